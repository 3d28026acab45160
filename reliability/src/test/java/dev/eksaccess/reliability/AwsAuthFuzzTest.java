package dev.eksaccess.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.eksaccess.api.Caller;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.IamUser;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.Principal;
import dev.eksaccess.api.spi.IdentityChange;
import dev.eksaccess.api.spi.IdentityChanges;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.awsauth.AwsAuth;
import dev.eksaccess.awsauth.AwsAuthDocument;
import dev.eksaccess.awsauth.AwsAuthEntry;
import dev.eksaccess.awsauth.IdentityMappingTable;
import dev.eksaccess.awsauth.MalformedAwsAuthException;
import dev.eksaccess.awsauth.Section;
import dev.eksaccess.awsauth.SectionError;
import dev.eksaccess.migration.Migration;
import dev.eksaccess.migration.RoleResolver;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Fuzzes the aws-auth reader, linter, resolver and editor with arbitrary {@code mapRoles}, {@code
 * mapUsers} and {@code mapAccounts} text, and the manifest readers with arbitrary manifests. Only
 * the documented exceptions may escape, and an edit changes exactly what it was asked to. Without
 * {@code JAZZER_FUZZ} these are regression passes over the seeds in {@code
 * src/test/resources/dev/eksaccess/reliability/AwsAuthFuzzTestInputs/}; {@code reliability/fuzz.sh}
 * runs the campaign (see the README).
 */
class AwsAuthFuzzTest {
  static final IamRole PROBE = IamRole.of("arn:aws:iam::999999999999:role/FuzzProbe");
  static final IdentityMapping PROBE_MAPPING =
      IdentityMapping.of(PROBE).withUsername("probe").withGroups(List.of("acme:probe"));

  /**
   * An input is {@code mapRoles}, then a NUL, then {@code mapUsers}, then a NUL, then {@code
   * mapAccounts} (missing parts are missing keys).
   */
  static Map<String, String> data(byte[] input) {
    String[] parts = new String(input, StandardCharsets.UTF_8).split("\0", 3);
    Map<String, String> data = new LinkedHashMap<>();
    data.put("mapRoles", parts[0]);
    if (parts.length > 1) {
      data.put("mapUsers", parts[1]);
    }
    if (parts.length > 2) {
      data.put("mapAccounts", parts[2]);
    }
    return data;
  }

  @FuzzTest(maxDuration = "5m")
  @DictionaryFile(resourcePath = "aws-auth.dict")
  void readingLintingAndEditingNeverFailsAndNeverLosesAMapping(byte[] input) {
    Map<String, String> data = data(input);
    // reading, linting and resolving take anything, as EKS does: bad sections and entries are
    // reported, never thrown
    AwsAuthDocument doc = AwsAuthDocument.parse(data);
    doc.findings().forEach(f -> assertThat(f.message()).isNotBlank());
    doc.sectionErrors().forEach(e -> assertThat(e.toString()).isNotBlank());
    IdentityMappingTable.of(doc);
    for (Caller c :
        List.of(
            Caller.of("arn:aws:sts::111122223333:assumed-role/Ops/s1"),
            Caller.of("arn:aws:iam::111122223333:user/ops"))) {
      doc.resolve(c);
      doc.nearMisses(c);
    }

    // add a new role
    edit(doc, List.of(new IdentityChange.Put(PROBE_MAPPING)), PROBE, true);
    // change, and remove, a principal the document maps (when one parses)
    Optional<Principal> mapped = firstPrincipal(doc);
    if (mapped.isPresent()) {
      Principal p = mapped.get();
      edit(
          doc,
          List.of(
              new IdentityChange.Put(
                  IdentityMapping.of(p).withUsername("changed").withGroups(List.of("acme:c")))),
          p,
          true);
      edit(doc, List.of(new IdentityChange.Remove(p)), p, false);
      removeAsEksctlDoes(doc, p);
    }
    // accounts
    try {
      AwsAuthDocument next =
          doc.apply(
              IdentityChanges.of(
                  List.of(
                      new IdentityChange.AddAccount("444455556666"),
                      new IdentityChange.RemoveAccount(
                          doc.accounts().stream()
                              .filter(a -> !a.equals("444455556666"))
                              .findFirst()
                              .orElse("111122223333")))));
      assertThat(next.accounts()).contains("444455556666");
    } catch (MalformedAwsAuthException e) {
      requireDocumented(doc, Section.MAP_ACCOUNTS, e);
    }
  }

  @FuzzTest(maxDuration = "5m")
  @DictionaryFile(resourcePath = "aws-auth.dict")
  void manifestsAndTheMigrationReadOrRefuseWithTheDocumentedException(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    AwsAuthDocument doc;
    try {
      doc = AwsAuthDocument.parseManifest(text);
    } catch (MalformedAwsAuthException e) {
      assertThat(e.getMessage()).isNotBlank();
      doc = AwsAuthDocument.parse(data(input));
    }
    // the migration's offline form plans from whatever the document holds
    assertThat(Migration.fromAwsAuth(doc, List.of(), RoleResolver.asWritten()).toString())
        .isNotNull();
    try {
      AwsAuth.offline(text).read();
    } catch (InvalidInputException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  /** The first principal EKS maps from the document, if any parses as a role or user. */
  static Optional<Principal> firstPrincipal(AwsAuthDocument doc) {
    for (AwsAuthEntry e : doc.roleMappings()) {
      try {
        return Optional.of(IamRole.of(e.arn()));
      } catch (InvalidInputException notARole) {
        // next
      }
    }
    for (AwsAuthEntry e : doc.userMappings()) {
      try {
        return Optional.of(IamUser.of(e.arn()));
      } catch (InvalidInputException notAUser) {
        // next
      }
    }
    return Optional.empty();
  }

  /**
   * Applies the changes: either refused as documented (a section EKS cannot read, an alias the edit
   * would leave undefined), or exactly these changes: every other entry reads as before, and the
   * principal is mapped as put or gone.
   */
  static void edit(
      AwsAuthDocument doc, List<IdentityChange> changes, Principal touched, boolean put) {
    Section section = touched instanceof IamRole ? Section.MAP_ROLES : Section.MAP_USERS;
    AwsAuthDocument next;
    try {
      next = AwsAuthDocument.parse(doc.render(IdentityChanges.of(changes)));
    } catch (MalformedAwsAuthException e) {
      requireDocumented(doc, section, e);
      return;
    }
    String arn = written(touched).toLowerCase(Locale.ROOT);
    assertThat(next.sectionErrors()).isEqualTo(doc.sectionErrors());
    for (Section s : List.of(Section.MAP_ROLES, Section.MAP_USERS)) {
      assertThat(others(next, s, arn)).as(s + " outside the change").isEqualTo(others(doc, s, arn));
    }
    List<AwsAuthEntry> now =
        entries(next, section).stream().filter(e -> e.arn().equalsIgnoreCase(arn)).toList();
    if (put) {
      IdentityMapping m = ((IdentityChange.Put) changes.get(0)).mapping();
      assertThat(now).isNotEmpty();
      AwsAuthEntry inForce = now.get(now.size() - 1); // EKS uses the last
      assertThat(inForce.username()).isEqualTo(m.username());
      assertThat(inForce.groups()).isEqualTo(m.groups());
    } else {
      assertThat(now).isEmpty();
    }
  }

  /** {@code eksctl delete iamidentitymapping}: the first entry only, or all. */
  static void removeAsEksctlDoes(AwsAuthDocument doc, Principal p) {
    for (boolean all : new boolean[] {false, true}) {
      try {
        AwsAuthDocument next = AwsAuthDocument.parse(doc.withoutMapping(p, all));
        assertThat(next.sectionErrors()).isEqualTo(doc.sectionErrors());
      } catch (MalformedAwsAuthException e) {
        requireDocumented(doc, p instanceof IamRole ? Section.MAP_ROLES : Section.MAP_USERS, e);
      }
    }
  }

  /**
   * A refusal is documented when the section is one EKS cannot read, or when the edit would leave
   * an alias undefined. The editor refusing its own edit is a finding: eks-access could not make a
   * correct edit of a document EKS reads.
   */
  static void requireDocumented(AwsAuthDocument doc, Section section, MalformedAwsAuthException e) {
    assertThat(e.getMessage()).isNotBlank();
    boolean unreadable =
        doc.sectionErrors().stream().map(SectionError::section).anyMatch(section::equals);
    boolean orphansAnAlias = e.getMessage().contains("defines the anchor");
    assertThat(unreadable || orphansAnAlias)
        .as("an edit refused although %s reads: %s", section, e.getMessage())
        .isTrue();
  }

  static String written(Principal p) {
    return p instanceof IamRole r ? r.withoutPath().arn().value() : p.arn().value();
  }

  static List<AwsAuthEntry> entries(AwsAuthDocument doc, Section section) {
    return section == Section.MAP_ROLES ? doc.roleMappings() : doc.userMappings();
  }

  static List<String> others(AwsAuthDocument doc, Section section, String arn) {
    List<String> out = new ArrayList<>();
    for (AwsAuthEntry e : entries(doc, section)) {
      if (!e.arn().equalsIgnoreCase(arn)) {
        out.add(view(e));
      }
    }
    return out;
  }

  /** What EKS takes from each entry, whatever its position and text. */
  static String view(AwsAuthEntry e) {
    return e.arn()
        + " "
        + e.username().orElse("")
        + " "
        + e.groups()
        + e.sso().map(s -> " " + s).orElse("");
  }
}
