package dev.eksaccess.awsauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.eksaccess.api.Caller;
import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.spi.IdentityChange;
import dev.eksaccess.api.spi.IdentityChanges;
import dev.eksaccess.api.spi.IdentityMapping;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * aws-auth documents found by fuzzing and by reading the readers: each is read as EKS reads it, and
 * edited correctly or refused with the SDK's exception, never with another.
 */
// concatenation keeps each hidden character and missing line break visible where it matters
@SuppressWarnings("StringConcatToTextBlock")
class HostileAwsAuthTest {
  static final IamRole OPS = IamRole.of("arn:aws:iam::111122223333:role/Ops");
  static final IamRole DEV = IamRole.of("arn:aws:iam::111122223333:role/Dev");
  static final Caller OPS_CALLER = Caller.of("arn:aws:sts::111122223333:assumed-role/Ops/s1");
  static final Caller DEV_CALLER = Caller.of("arn:aws:sts::111122223333:assumed-role/Dev/s1");

  static IdentityChanges put(IamRole role, String username, String... groups) {
    return IdentityChanges.of(
        List.of(
            new IdentityChange.Put(
                IdentityMapping.of(role).withUsername(username).withGroups(List.of(groups)))));
  }

  static IdentityChanges remove(IamRole role) {
    return IdentityChanges.of(List.of(new IdentityChange.Remove(role)));
  }

  static AwsAuthDocument roles(String mapRoles) {
    return AwsAuthDocument.parse(Map.of("mapRoles", mapRoles));
  }

  static List<String> view(AwsAuthDocument doc) {
    return doc.roleMappings().stream()
        .map(e -> e.arn() + " " + e.username().orElse("-") + " " + e.groups())
        .toList();
  }

  /** Adding, updating and removing a role all land where meant, and nothing else changes. */
  static void editsLandWhereMeant(AwsAuthDocument doc) {
    assertThat(doc.sectionErrors()).isEmpty();
    List<String> before = view(doc);

    AwsAuthDocument added = doc.apply(put(DEV, "dev", "acme:devs"));
    assertThat(added.sectionErrors()).isEmpty();
    // in order, and the new entry among them (its place means nothing to EKS: it has no duplicate)
    assertThat(view(added))
        .containsSubsequence(before)
        .contains("arn:aws:iam::111122223333:role/Dev dev [acme:devs]")
        .hasSize(before.size() + 1);
    assertThat(added.resolve(DEV_CALLER))
        .hasValueSatisfying(id -> assertThat(id.groups()).containsExactly("acme:devs"));

    AwsAuthDocument updated = doc.apply(put(OPS, "ops2", "acme:ops2"));
    assertThat(updated.sectionErrors()).isEmpty();
    assertThat(updated.resolve(OPS_CALLER))
        .hasValueSatisfying(
            id -> {
              assertThat(id.username()).isEqualTo("ops2");
              assertThat(id.groups()).containsExactly("acme:ops2");
            });

    AwsAuthDocument removed = doc.apply(remove(OPS));
    assertThat(removed.sectionErrors()).isEmpty();
    assertThat(removed.resolve(OPS_CALLER)).isEmpty();
    assertThat(view(removed))
        .isEqualTo(before.stream().filter(v -> !v.contains("role/Ops ")).toList());
  }

  @Test
  void aByteOrderMarkBeforeMapRolesIsKeptAndEditsLandInTheList() {
    AwsAuthDocument doc =
        roles(
            "\uFEFF- rolearn: arn:aws:iam::111122223333:role/Ops\n"
                + "  username: ops\n"
                + "  groups: [acme:ops]\n"
                + "- rolearn: arn:aws:iam::111122223333:role/Other\n"
                + "  username: other\n");
    editsLandWhereMeant(doc);
    assertThat(doc.apply(put(DEV, "dev", "acme:devs")).data().get("mapRoles"))
        .startsWith("\uFEFF-");
  }

  @Test
  void aKeepChompedBlockScalarAtTheEndKeepsItsTrailingLines() {
    AwsAuthDocument doc =
        roles(
            """
            - rolearn: arn:aws:iam::111122223333:role/Other
              username: other
              note: |+
                kept

            - rolearn: arn:aws:iam::111122223333:role/Ops
              groups: [acme:ops]
              username: |+
                ops


            """);
    editsLandWhereMeant(doc);
  }

  @Test
  void aBlockScalarAtTheEndOfTextWithoutALineBreakKeepsItsValue() {
    AwsAuthDocument doc =
        roles(
            "- rolearn: arn:aws:iam::111122223333:role/Other\n"
                + "  username: |\n"
                + "    other\n"
                + "- rolearn: arn:aws:iam::111122223333:role/Ops\n"
                + "  groups: [acme:ops]\n"
                + "  username: |\n"
                + "    ops");
    editsLandWhereMeant(doc);
  }

  @Test
  void aFirstItemStartingWithADashDoesNotMoveTheList() {
    AwsAuthDocument doc =
        roles(
            """
            - -x: y
            - rolearn: arn:aws:iam::111122223333:role/Ops
              username: ops
              groups: [acme:ops]
            """);
    editsLandWhereMeant(doc);
  }

  @Test
  void anAnchoredEntryAndItsAliasAreEditedAsEksReadsThem() {
    AwsAuthDocument doc =
        roles(
            """
            - &ops
              rolearn: arn:aws:iam::111122223333:role/Ops
              username: ops
              groups: [acme:ops]
            - *ops
            - rolearn: arn:aws:iam::111122223333:role/Other
              username: other
            """);
    editsLandWhereMeant(doc);
    AwsAuthDocument last =
        roles(
            """
            - rolearn: arn:aws:iam::111122223333:role/Other
              username: other
            - &ops {rolearn: "arn:aws:iam::111122223333:role/Ops", username: ops, groups: [acme:ops]}
            - *ops
            """);
    editsLandWhereMeant(last);
  }

  @Test
  void changingAnEntryWhoseAnchorAnotherEntryUsesIsRefusedWithTheSdkException() {
    AwsAuthDocument doc =
        roles(
            """
            - rolearn: arn:aws:iam::111122223333:role/Ops
              username: ops
              groups: &shared [acme:ops]
            - rolearn: arn:aws:iam::111122223333:role/Other
              username: other
              groups: *shared
            """);
    assertThat(doc.resolve(Caller.of("arn:aws:iam::111122223333:role/Other")))
        .hasValueSatisfying(id -> assertThat(id.groups()).containsExactly("acme:ops"));

    var e =
        catchThrowableOfType(
            MalformedAwsAuthException.class, () -> doc.apply(put(OPS, "ops", "acme:new")));

    assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_AWS_AUTH);
    assertThat(e.section()).isEqualTo("mapRoles");
    assertThat(e.line()).isEqualTo(3);
    assertThat(e.getMessage()).contains("&shared").contains("*shared").contains("nothing");
    // the entry that only uses it can change
    assertThat(
            doc.apply(put(IamRole.of("arn:aws:iam::111122223333:role/Other"), "o", "acme:o"))
                .sectionErrors())
        .isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"null", "~", "Null", "NULL", "null # nothing yet", "!!null ''"})
  void aNullSectionIsEmptyAsEksReadsIt(String text) {
    AwsAuthDocument doc = roles(text);

    assertThat(doc.sectionErrors()).isEmpty();
    assertThat(doc.roleMappings()).isEmpty();
    AwsAuthDocument next = doc.apply(put(DEV, "dev", "acme:devs"));
    assertThat(next.sectionErrors()).isEmpty();
    assertThat(view(next)).containsExactly("arn:aws:iam::111122223333:role/Dev dev [acme:devs]");
  }

  @Test
  void aLineSeparatorInAGroupIsReadAsEksReadsIt() {
    // EKS's YAML 1.1 reader breaks the line at U+2028: the group becomes two
    AwsAuthDocument doc =
        roles(
            "- rolearn: arn:aws:iam::111122223333:role/Ops\n"
                + "  username: ops\n"
                + "  groups:\n"
                + "    - dev\u2028    - system:masters\n");

    assertThat(doc.resolve(OPS_CALLER))
        .hasValueSatisfying(id -> assertThat(id.groups()).containsExactly("dev", "system:masters"));
    assertThat(doc.findings())
        .anySatisfy(
            f -> {
              assertThat(f.code()).isEqualTo(Finding.Code.LINE_SEPARATOR);
              assertThat(f.message()).contains("U+2028");
            });
  }

  @Test
  void aSectionALineSeparatorBreaksIsUnreadableAndNeverEdited() {
    AwsAuthDocument doc =
        roles(
            "- rolearn: arn:aws:iam::111122223333:role/Ops\u2028username: ops\n"
                + "- rolearn: arn:aws:iam::111122223333:role/Other\n");

    assertThat(doc.sectionErrors())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.section()).isEqualTo(Section.MAP_ROLES);
              assertThat(e.problem()).contains("U+2028");
            });
    assertThat(doc.resolve(OPS_CALLER)).isEmpty();
    var e =
        catchThrowableOfType(
            MalformedAwsAuthException.class, () -> doc.apply(put(DEV, "dev", "acme:devs")));
    assertThat(e.getMessage()).contains("U+2028");
  }

  @Test
  void deepNestingIsASectionErrorNotACrash() {
    AwsAuthDocument doc = AwsAuthDocument.parse(Map.of("mapRoles", "[".repeat(2_000)));
    assertThat(doc.sectionErrors())
        .singleElement()
        .satisfies(e -> assertThat(e.problem()).contains("deeper than 100 levels"));
  }

  @Test
  void aRecursiveAliasIsASectionErrorAsInEks() {
    AwsAuthDocument doc = AwsAuthDocument.parse(Map.of("mapRoles", "&a [*a]\n"));
    assertThat(doc.sectionErrors())
        .singleElement()
        .satisfies(e -> assertThat(e.problem()).contains("contains it"));
  }

  @Test
  void aManifestNestedTooDeeplyIsTheDocumentedException() {
    var e =
        catchThrowableOfType(
            MalformedAwsAuthException.class,
            () -> AwsAuthDocument.parseManifest("[".repeat(2_000)));
    assertThat(e.getMessage()).contains("deeper than 100 levels");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0o17",
        "0O17",
        "+0x1F",
        "0X1F",
        "0B101",
        "-0b1",
        "2001-12-14",
        "<<",
        "=",
        "équipe",
        "a\u00A0b",
        "yes",
        "~",
        "1_000"
      })
  void valuesAYaml11OrYaml12ReaderCouldMisreadAreQuoted(String value) {
    AwsAuthDocument next = roles("[]\n").apply(put(DEV, "u:x", value));
    String text = next.data().get("mapRoles");
    assertThat(text).doesNotContain("- " + value + "\n");
    assertThat(next.resolve(DEV_CALLER))
        .hasValueSatisfying(id -> assertThat(id.groups()).containsExactly(value));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0o17", "+0x1F", "0X1F", "0B101"})
  void plainNumbersGoReadsAsNumbersAreNotText(String value) {
    AwsAuthDocument doc =
        roles(
            "- rolearn: arn:aws:iam::111122223333:role/Ops\n  username: ops\n  groups: ["
                + value
                + "]\n");
    assertThat(doc.resolve(OPS_CALLER))
        .hasValueSatisfying(id -> assertThat(id.groups()).containsExactly(""));
  }

  @Test
  void aLineSeparatorBeforeTheListStartsALineAsInEks() {
    // found by fuzzing: the list's column was counted from the last "\n", not from the separator
    AwsAuthDocument doc =
        roles(
            "\u2028- rolearn: arn:aws:iam::111122223333:role/Ops\n"
                + "  username: ops\n"
                + "  groups: [acme:ops]\n");
    editsLandWhereMeant(doc);
  }

  @Test
  void carriageReturnsAloneEndLines() {
    AwsAuthDocument doc =
        roles(
            "- rolearn: arn:aws:iam::111122223333:role/Other\r"
                + "  username: other\r"
                + "- rolearn: arn:aws:iam::111122223333:role/Ops\r"
                + "  username: ops\r"
                + "  groups: [acme:ops]\r");
    editsLandWhereMeant(doc);
  }

  @Test
  void anEmojiAcrossTheReadersBufferIsText() {
    // found by fuzzing: snakeyaml-engine fails when a surrogate pair straddles its 1,024-char
    // buffer
    String roles =
        "# "
            + "a".repeat(1022)
            + "\uD83D\uDE00\n"
            + "- rolearn: arn:aws:iam::111122223333:role/Ops\n"
            + "  username: ops\n"
            + "  groups: [acme:ops]\n";
    AwsAuthDocument doc = roles(roles);
    assertThat(doc.roleMappings()).hasSize(1);
    editsLandWhereMeant(doc);
  }

  @Test
  void existingHiddenCharactersAndReservedTemplatesAreFindings() {
    AwsAuthDocument doc =
        roles(
            """
            - rolearn: arn:aws:iam::111122223333:role/Ops
              username: "ops\\u200B"
              groups: ["{{SessionName}}:masters", "acme:{{SessionName}}"]
            - rolearn: arn:aws:iam::111122223333:role/Nodes
              username: system:node:{{SessionName}}
              groups: [system:nodes]
            """);

    assertThat(doc.findings())
        .filteredOn(f -> f.code() == Finding.Code.HIDDEN_CHARACTER)
        .singleElement()
        .satisfies(f -> assertThat(f.message()).contains("U+200B").contains("\\u200b"));
    assertThat(doc.findings())
        .filteredOn(f -> f.code() == Finding.Code.RESERVED_TEMPLATE)
        .singleElement()
        .satisfies(
            f ->
                assertThat(f.message())
                    .contains("groups[0]")
                    .contains("{{SessionName}} starts with \"system\""));
  }
}
