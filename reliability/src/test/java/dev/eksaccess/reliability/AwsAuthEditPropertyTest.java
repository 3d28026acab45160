package dev.eksaccess.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.IamUser;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.Principal;
import dev.eksaccess.api.spi.IdentityChange;
import dev.eksaccess.api.spi.IdentityChanges;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.awsauth.AwsAuthDocument;
import dev.eksaccess.awsauth.AwsAuthEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Properties of editing aws-auth, for 400 random documents (a fixed seed each, so a failure names
 * the seed that reproduces it) (written by a YAML emitter, with fields and keys eks-access does not
 * model) and random change sets, with any string as username or group.
 */
class AwsAuthEditPropertyTest {
  /** One entry of a generated document. */
  record Entry(Principal principal, String username, List<String> groups, String extra) {}

  static final String NAME_CHARS = "abcXYZ019+=,.@_-";
  static final List<String> TRICKY =
      List.of(
          "yes",
          "on",
          "~",
          "null",
          "0x1F",
          "1e3",
          "- rolearn: arn:aws:iam::1:role/x",
          "a\n- rolearn: arn:aws:iam::111122223333:role/Injected",
          "#c",
          "&a",
          "*a",
          "!!str",
          "{{SessionName}}",
          "system:masters",
          " leading",
          "trailing ",
          "\"",
          "'",
          "\t",
          "",
          "\u0085",
          "\u2028",
          "\uFEFF",
          "caf\u00e9",
          "\uD83D\uDE80",
          "a: b",
          "[x]",
          "{y}",
          "%TAG",
          "--- ",
          "...",
          "|",
          ">",
          "? k",
          "@",
          "`");

  /** A random aws-auth world: principals, any text as usernames and groups and extra fields. */
  record Gen(Random random) {
    Principal principal() {
      StringBuilder name = new StringBuilder();
      for (int i = random.nextInt(12) + 1; i > 0; i--) {
        name.append(NAME_CHARS.charAt(random.nextInt(NAME_CHARS.length())));
      }
      String account = random.nextBoolean() ? "111122223333" : "444455556666";
      return random.nextBoolean()
          ? IamRole.of("arn:aws:iam::" + account + ":role/" + name)
          : IamUser.of("arn:aws:iam::" + account + ":user/" + name);
    }

    /** Any text at all: quotes, colons, line breaks, YAML 1.1 booleans, controls, unicode. */
    String anyText() {
      if (random.nextInt(3) == 0) {
        return TRICKY.get(random.nextInt(TRICKY.size()));
      }
      StringBuilder b = new StringBuilder();
      for (int i = random.nextInt(25); i > 0; i--) {
        int pool = random.nextInt(4);
        b.appendCodePoint(
            switch (pool) {
              case 0 -> 0x20 + random.nextInt(0x5f); // printable ASCII
              case 1 -> " \n\t\r\0:#-'\"".codePointAt(random.nextInt(10));
              case 2 -> 0xa0 + random.nextInt(0xd7ff - 0xa0); // BMP, no surrogates
              default -> 0x10000 + random.nextInt(0x10000); // beyond the BMP
            });
      }
      return b.toString();
    }

    List<String> texts() {
      List<String> out = new ArrayList<>();
      for (int i = random.nextInt(4); i > 0; i--) {
        out.add(anyText());
      }
      return out;
    }

    Entry entry() {
      return new Entry(principal(), anyText(), texts(), anyText());
    }

    List<Entry> document() {
      Map<String, Entry> byKey = new LinkedHashMap<>();
      for (int i = random.nextInt(9); i > 0; i--) {
        Entry e = entry();
        byKey.putIfAbsent(key(e.principal()), e);
      }
      return new ArrayList<>(byKey.values());
    }

    List<IdentityChange> changes(List<Entry> doc) {
      Map<String, IdentityChange> byKey = new LinkedHashMap<>();
      for (int i = random.nextInt(6); i > 0; i--) {
        // half of the changes touch a principal the document already has
        Principal p =
            !doc.isEmpty() && random.nextBoolean()
                ? doc.get(random.nextInt(doc.size())).principal()
                : principal();
        Optional<IdentityChange> c =
            random.nextInt(3) == 0
                ? Optional.of(new IdentityChange.Remove(p))
                : put(new Entry(p, anyText(), texts(), ""));
        c.ifPresent(x -> byKey.putIfAbsent(key(p), x));
      }
      return new ArrayList<>(byKey.values());
    }
  }

  static final AtomicInteger READABLE_SKIPPED = new AtomicInteger();

  @AfterAll
  static void mostDocumentsWereReadable() {
    // The generator's YAML 1.2 emitter writes U+0085, U+2028 and U+2029 as they are; EKS's YAML
    // 1.1 reader (and so the SDK's, since #23) breaks lines there, which makes about a tenth of
    // the documents unreadable. The rest must still be most of them.
    assertThat(READABLE_SKIPPED.get()).as("documents EKS could not read").isLessThan(60);
  }

  static LongStream seeds() {
    return LongStream.range(0, 400);
  }

  /** A Put, unless the model refuses the values (then there is nothing to write). */
  static Optional<IdentityChange> put(Entry e) {
    try {
      return Optional.of(
          new IdentityChange.Put(
              IdentityMapping.of(e.principal()).withUsername(e.username()).withGroups(e.groups())));
    } catch (InvalidInputException | IllegalArgumentException refused) {
      return Optional.empty();
    }
  }

  /** aws-auth as a platform team might have written it: an emitter's YAML, with extra fields. */
  static Map<String, String> render(List<Entry> doc) {
    List<Map<String, Object>> roles = new ArrayList<>();
    List<Map<String, Object>> users = new ArrayList<>();
    for (Entry e : doc) {
      Map<String, Object> m = new LinkedHashMap<>();
      boolean role = e.principal() instanceof IamRole;
      m.put(role ? "rolearn" : "userarn", e.principal().arn().value());
      m.put("username", e.username());
      m.put("groups", e.groups());
      m.put("x-owner", e.extra());
      (role ? roles : users).add(m);
    }
    Dump dump = new Dump(DumpSettings.builder().build());
    Map<String, String> data = new LinkedHashMap<>();
    data.put("mapRoles", roles.isEmpty() ? "[]\n" : dump.dumpToString(roles));
    data.put("mapUsers", users.isEmpty() ? "[]\n" : dump.dumpToString(users));
    data.put("x-notes", "kept as is\n");
    return data;
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void anEditKeepsEveryUntouchedEntryAndFieldAndReadsBackExactlyWhatWasMeant(long seed) {
    Gen gen = new Gen(new Random(seed));
    List<Entry> doc = gen.document();
    List<IdentityChange> changes = gen.changes(doc);
    Map<String, String> original = render(doc);
    AwsAuthDocument before = AwsAuthDocument.parse(original);
    if (!before.sectionErrors().isEmpty()) {
      // The emitter writes YAML 1.2; EKS reads YAML 1.1, where a NEL or a line separator breaks a
      // line: EKS cannot read such a document, and the SDK, reading as EKS does, refuses to edit
      // it (tested in sdk-aws-auth). The check above says most seeds get this far.
      READABLE_SKIPPED.incrementAndGet();
      return;
    }
    Map<String, String> data;
    try {
      data = before.render(IdentityChanges.of(changes));
    } catch (InvalidInputException refused) {
      return; // a value aws-auth cannot hold is refused whole, before anything is written
    }
    AwsAuthDocument after = AwsAuthDocument.parse(data);

    assertThat(after.sectionErrors()).isEmpty();
    assertThat(data).containsEntry("x-notes", "kept as is\n");
    // what EKS read before (a plain ~ or yes in the emitter's YAML reads as YAML 1.1 has it) ...
    Map<String, String> expected = new LinkedHashMap<>();
    for (AwsAuthEntry e : concat(before.roleMappings(), before.userMappings())) {
      expected.put(e.arn().toLowerCase(Locale.ROOT), read(e));
    }
    // ... with each change made exactly as meant, whatever the text

    for (IdentityChange c : changes) {
      if (c instanceof IdentityChange.Put put) {
        IdentityMapping m = put.mapping();
        expected.put(
            key(m.principal()),
            view(written(m.principal()), m.username().orElseThrow(), m.groups()));
      } else {
        expected.remove(key(principal(c)));
      }
    }
    Map<String, String> got = new LinkedHashMap<>();
    for (AwsAuthEntry e : concat(after.roleMappings(), after.userMappings())) {
      assertThat(got.put(e.arn().toLowerCase(Locale.ROOT), read(e)))
          .as("one entry per principal")
          .isNull();
    }
    assertThat(got).isEqualTo(expected);
    for (Entry e : doc) {
      boolean touched =
          changes.stream().anyMatch(c -> key(principal(c)).equals(key(e.principal())));
      if (!touched) {
        assertThat(extraField(data, e.principal()))
            .as("the untouched entry keeps the field eks-access does not model")
            .isEqualTo(extraField(original, e.principal()));
      }
    }

    // applying the same changes again changes nothing
    assertThat(after.render(IdentityChanges.of(changes))).isEqualTo(data);
  }

  /** The {@code x-owner} of a principal's entry, read back with a YAML parser. */
  @SuppressWarnings("unchecked")
  static Object extraField(Map<String, String> data, Principal p) {
    boolean role = p instanceof IamRole;
    Object section =
        new Load(LoadSettings.builder().build())
            .loadFromString(data.get(role ? "mapRoles" : "mapUsers"));
    for (Object o : (List<Object>) section) {
      Map<String, Object> m = (Map<String, Object>) o;
      if (p.arn().value().equals(m.get(role ? "rolearn" : "userarn"))) {
        return m.get("x-owner");
      }
    }
    throw new AssertionError("no entry for " + p);
  }

  static Principal principal(IdentityChange c) {
    return c instanceof IdentityChange.Put put
        ? put.mapping().principal()
        : ((IdentityChange.Remove) c).principal();
  }

  /** aws-auth keys ARNs as text, ignoring case, and the SDK writes roles without their path. */
  static String key(Principal p) {
    return written(p).arn().value().toLowerCase(Locale.ROOT);
  }

  static Principal written(Principal p) {
    return p instanceof IamRole r ? r.withoutPath() : p;
  }

  static String view(Principal p, String username, List<String> groups) {
    return p.arn().value() + " | " + username + " | " + groups;
  }

  static String read(AwsAuthEntry e) {
    return e.arn() + " | " + e.username().orElse("") + " | " + e.groups();
  }

  static List<AwsAuthEntry> concat(List<AwsAuthEntry> a, List<AwsAuthEntry> b) {
    List<AwsAuthEntry> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
