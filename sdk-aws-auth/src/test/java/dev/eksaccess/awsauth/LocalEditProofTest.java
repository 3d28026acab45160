package dev.eksaccess.awsauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.IamUser;
import dev.eksaccess.api.Principal;
import dev.eksaccess.api.spi.IdentityChange;
import dev.eksaccess.api.spi.IdentityChanges;
import dev.eksaccess.api.spi.IdentityMapping;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * An edit of aws-auth is proven either by reading back the whole document or, when it only spliced
 * whole items into a list whose items read the same wherever they stand, by reading only what it
 * wrote. The second proof must never accept what the first refuses, and must give the same text:
 * over thousands of generated documents (plain ones and ones with every feature that ties items
 * together) and edits, whenever the local proof answers, the whole read-back agrees.
 */
class LocalEditProofTest {
  private static final int CASES = 3000;

  @Test
  void theLocalProofNeverAcceptsWhatTheWholeReadBackRefuses() {
    Random random = new Random(20261207);
    int proven = 0;
    int plain = 0;
    for (int n = 0; n < CASES; n++) {
      boolean tangled = random.nextInt(3) == 0;
      String mapRoles = document(random, tangled);
      String mapUsers = random.nextBoolean() ? users(random) : null;
      Map<String, String> data =
          mapUsers == null
              ? Map.of("mapRoles", mapRoles)
              : Map.of("mapRoles", mapRoles, "mapUsers", mapUsers);
      AwsAuthDocument doc = AwsAuthDocument.parse(data);
      IdentityChanges changes = changes(random);
      Outcome local = outcome(() -> doc.renderProvenLocally(changes));
      Outcome whole = outcome(() -> Optional.of(doc.renderReadBackWhole(changes)));
      if (local.data().isPresent()) {
        proven++;
        assertThat(whole.data())
            .as(
                "case %d: the whole read-back of an edit the local proof accepted%n%s%n%s",
                n, data, changes)
            .isEqualTo(local.data());
        assertThat(
                tangled
                    && hasTangle(mapRoles)
                    && !mapRoles.equals(local.data().get().get("mapRoles")))
            .as(
                "case %d: a list with anchors, tags or block scalars is never proven locally%n%s",
                n, mapRoles)
            .isFalse();
      } else if (local.refusal().isPresent()) {
        assertThat(whole.refusal()).as("case %d: the same refusal", n).isEqualTo(local.refusal());
      }
      if (!tangled && whole.data().isPresent()) {
        plain++;
      }
    }
    // not vacuous: most edits of plain lists take the cheap proof
    assertThat(proven).isGreaterThan(plain / 2).isGreaterThan(CASES / 4);
  }

  @Test
  void anEditOfAPlainListIsProvenLocallyAndReadsBackTheSame() {
    AwsAuthDocument doc =
        AwsAuthDocument.parse(
            Map.of(
                "mapRoles",
                """
                # platform
                - rolearn: arn:aws:iam::111122223333:role/a
                  username: a
                  groups: [acme:a]

                - rolearn: arn:aws:iam::111122223333:role/b # owner: b
                  username: b
                """));
    IdentityChanges changes =
        IdentityChanges.of(
            List.of(
                new IdentityChange.Put(
                    IdentityMapping.of(IamRole.of("arn:aws:iam::111122223333:role/c"))
                        .withGroups(List.of("acme:c"))),
                new IdentityChange.Remove(IamRole.of("arn:aws:iam::111122223333:role/a"))));

    Optional<Map<String, String>> local = doc.renderProvenLocally(changes);

    assertThat(local).isPresent();
    assertThat(local.get()).isEqualTo(doc.renderReadBackWhole(changes));
    assertThat(AwsAuthDocument.parse(local.get()).roleMappings())
        .extracting(AwsAuthEntry::arn)
        .containsExactly("arn:aws:iam::111122223333:role/b", "arn:aws:iam::111122223333:role/c");
  }

  @Test
  void aListWithAKeepChompedBlockScalarIsReadBackWhole() {
    AwsAuthDocument doc =
        AwsAuthDocument.parse(
            Map.of(
                "mapRoles",
                """
                - rolearn: arn:aws:iam::111122223333:role/a
                  username: |+
                    a

                """));
    IdentityChanges changes =
        IdentityChanges.of(
            List.of(
                new IdentityChange.Put(
                    IdentityMapping.of(IamRole.of("arn:aws:iam::111122223333:role/c")))));

    assertThat(doc.renderProvenLocally(changes)).isEmpty();
  }

  private record Outcome(Optional<Map<String, String>> data, Optional<String> refusal) {}

  private interface Render {
    Optional<Map<String, String>> run();
  }

  private static Outcome outcome(Render render) {
    try {
      return new Outcome(render.run(), Optional.empty());
    } catch (RuntimeException e) {
      return new Outcome(
          Optional.empty(), Optional.of(e.getClass().getName() + ": " + e.getMessage()));
    }
  }

  private static final String[] TANGLES = {"&", "*", "!!", "|", ">", "---", "\t", "\uFEFF", "\r"};

  private static boolean hasTangle(String text) {
    for (String t : TANGLES) {
      if (text.contains(t)) {
        return true;
      }
    }
    return false;
  }

  private static String role(int i) {
    return "arn:aws:iam::111122223333:role/r" + i;
  }

  private static String document(Random random, boolean tangled) {
    String pad = " ".repeat(random.nextInt(3) * 2);
    String eol = tangled && random.nextInt(6) == 0 ? "\r\n" : "\n";
    StringBuilder out = new StringBuilder();
    if (tangled && random.nextInt(8) == 0) {
      out.append("\uFEFF");
    }
    if (tangled && random.nextInt(8) == 0) {
      out.append("---").append(eol);
    }
    int count = 1 + random.nextInt(6);
    for (int i = 0; i < count; i++) {
      int id = random.nextInt(8);
      if (random.nextInt(4) == 0) {
        out.append(pad).append("# entry ").append(i).append(eol);
      }
      if (random.nextInt(5) == 0) {
        out.append(eol);
      }
      if (random.nextInt(6) == 0) {
        out.append(pad)
            .append("- {rolearn: '")
            .append(role(id))
            .append("', username: u")
            .append(id)
            .append(", groups: [g")
            .append(id)
            .append(", acme:all]}")
            .append(eol);
        continue;
      }
      String anchor = tangled && random.nextInt(4) == 0 ? "&a" + i + " " : "";
      out.append(pad).append("- ").append(anchor).append("rolearn: ");
      out.append(random.nextBoolean() ? role(id) : "\"" + role(id) + "\"");
      if (random.nextInt(4) == 0) {
        out.append("  # owner ").append(id);
      }
      out.append(eol);
      switch (tangled ? random.nextInt(5) : random.nextInt(3)) {
        case 0 -> out.append(pad).append("  username: u").append(id).append(eol);
        case 1 -> out.append(pad).append("  username: 'team:{{SessionName}}'").append(eol);
        case 2 ->
            out.append(pad)
                .append("  username:\n")
                .append(pad)
                .append("    u")
                .append(id)
                .append(eol);
        case 3 ->
            out.append(pad)
                .append("  username: |+")
                .append(eol)
                .append(pad)
                .append("    u")
                .append(eol)
                .append(eol);
        default -> out.append(pad).append("  username: !!str u").append(id).append(eol);
      }
      if (random.nextBoolean()) {
        out.append(pad).append("  groups:").append(eol);
        out.append(pad).append("    - g").append(id).append(eol);
        if (random.nextBoolean()) {
          out.append(pad).append("    - acme:all").append(eol);
        }
      } else if (tangled && random.nextInt(3) == 0 && i > 0) {
        out.append(pad).append("  groups: *a0").append(eol);
      }
      if (random.nextInt(5) == 0) {
        out.append(pad).append("  team: platform\t# unknown field, kept").append(eol);
      }
    }
    String text = out.toString();
    return random.nextInt(6) == 0 ? text.stripTrailing() : text;
  }

  private static String users(Random random) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 1 + random.nextInt(3); i++) {
      out.append("- userarn: arn:aws:iam::111122223333:user/u")
          .append(random.nextInt(4))
          .append("\n  username: u\n");
    }
    return out.toString();
  }

  private static IdentityChanges changes(Random random) {
    List<IdentityChange> changes = new ArrayList<>();
    for (int i = 0; i < 1 + random.nextInt(3); i++) {
      Principal principal =
          random.nextInt(5) == 0
              ? IamUser.of("arn:aws:iam::111122223333:user/u" + random.nextInt(4))
              : IamRole.of(role(random.nextInt(10)));
      if (random.nextInt(3) == 0) {
        changes.add(new IdentityChange.Remove(principal));
      } else {
        IdentityMapping m =
            IdentityMapping.of(principal).withGroups(List.of("acme:g" + random.nextInt(3)));
        changes.add(new IdentityChange.Put(random.nextBoolean() ? m.withUsername("n" + i) : m));
      }
    }
    return IdentityChanges.of(changes);
  }

  @Test
  void aDashInACommentBeforeTheFirstTokenIsNotTakenForTheListsColumn() {
    IdentityChanges addC =
        IdentityChanges.of(
            List.of(
                new IdentityChange.Put(
                    IdentityMapping.of(IamRole.of("arn:aws:iam::111122223333:role/C")))));
    AwsAuthDocument commented =
        AwsAuthDocument.parse(
            Map.of(
                "mapRoles",
                "- # break-glass\n  rolearn: arn:aws:iam::111122223333:role/A\n  username: a\n"));
    AwsAuthDocument dashInComment =
        AwsAuthDocument.parse(
            Map.of(
                "mapRoles",
                """
                - # x-
                  rolearn: arn:aws:iam::111122223333:role/A
                  groups:
                     - system:masters
                - rolearn: arn:aws:iam::111122223333:role/B
                """));
    IdentityChanges removeB =
        IdentityChanges.of(
            List.of(new IdentityChange.Remove(IamRole.of("arn:aws:iam::111122223333:role/B"))));

    assertThat(commented.renderProvenLocally(addC)).isEmpty();
    assertThat(dashInComment.renderProvenLocally(removeB)).isEmpty();
  }

  @Test
  void aPutOfAUserMappedUnderMapRolesTakesEffect() {
    AwsAuthDocument doc =
        AwsAuthDocument.parse(
            Map.of(
                "mapRoles",
                """
                - rolearn: arn:aws:iam::111122223333:user/alice
                  username: alice
                  groups: [admins]
                """));
    IdentityChanges viewers =
        IdentityChanges.of(
            List.of(
                new IdentityChange.Put(
                    IdentityMapping.of(IamUser.of("arn:aws:iam::111122223333:user/alice"))
                        .withUsername("alice")
                        .withGroups(List.of("viewers")))));

    AwsAuthDocument after = doc.apply(viewers);

    assertThat(after.resolve(dev.eksaccess.api.Caller.of("arn:aws:iam::111122223333:user/alice")))
        .get()
        .satisfies(m -> assertThat(m.groups()).containsExactly("viewers"));
    assertThat(after.roleMappings()).isEmpty();
  }
}
