package dev.eksaccess.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.eksaccess.api.support.ReservedNames;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Names a requester could pass into a grant to become someone else: hidden characters that a YAML
 * 1.1 reader turns into structure, and templates that render into a name Kubernetes or EKS keeps
 * for itself. Each is refused at the step that received it, on every backend.
 */
class HostileNamesTest {
  private static final IamRole DEV = IamRole.of("arn:aws:iam::111122223333:role/Dev");

  static Stream<Arguments> hiddenCharacters() {
    return Stream.of(
        Arguments.of("dev\u2028  - system:masters", "U+2028", 3),
        Arguments.of("dev\u2029x", "U+2029", 3),
        Arguments.of("dev\u0085x", "U+0085", 3),
        Arguments.of("dev\rx", "U+000D", 3),
        Arguments.of("dev\nx", "U+000A", 3),
        Arguments.of("\uFEFFdev", "U+FEFF", 0),
        Arguments.of("de\u200Bv", "U+200B", 2),
        Arguments.of("ad\u202Emin", "U+202E", 2),
        Arguments.of("dev\uE000", "U+E000", 3),
        Arguments.of("dev\u0378", "U+0378", 3), // unassigned
        Arguments.of("dev\uD800", "U+D800", 3), // a high surrogate alone
        Arguments.of("\uDC00dev", "U+DC00", 0), // a low surrogate alone
        Arguments.of("a\u0080b", "U+0080", 1),
        Arguments.of("a\u001Fb", "U+001F", 1));
  }

  @ParameterizedTest
  @MethodSource("hiddenCharacters")
  void aGroupWithAHiddenCharacterIsRefusedNamingItsCodePointAndIndex(
      String group, String codePoint, int index) {
    var e =
        catchThrowableOfType(
            InvalidInputException.class, () -> ClusterAccess.grant(DEV).asGroup(group));

    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_GROUP);
    assertThat(e.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.location()).isEqualTo("groups[0]");
              assertThat(p.value()).isEqualTo(group);
              assertThat(p.message())
                  .contains(codePoint)
                  .contains("at index " + index)
                  .contains("Remove it");
            });
    // the message shows the character escaped, never the character itself
    assertThat(e.getMessage()).doesNotContain(group.substring(index, index + 1));
  }

  @ParameterizedTest
  @MethodSource("hiddenCharacters")
  void theSameCharactersAreRefusedInUsernamesAndInGroupsAfterAUsername(
      String name, String codePoint, int index) {
    var user =
        catchThrowableOfType(
            InvalidInputException.class, () -> ClusterAccess.grant(DEV).asUser(name));
    assertThat(user.code()).isEqualTo(ErrorCode.INVALID_USERNAME);
    assertThat(user.getMessage()).contains(codePoint);

    var group =
        catchThrowableOfType(
            InvalidInputException.class,
            () -> ClusterAccess.grant(DEV).asUser("acme:dev").inGroups("acme:ok", name));
    assertThat(group.code()).isEqualTo(ErrorCode.INVALID_GROUP);
    assertThat(group.problems())
        .singleElement()
        .satisfies(p -> assertThat(p.location()).isEqualTo("groups[1]"));
  }

  @Test
  void theIssueExampleNamesTheLineSeparator() {
    var e =
        catchThrowableOfType(
            InvalidInputException.class,
            () -> ClusterAccess.grant(DEV).asGroup("dev\u2028  - system:masters"));
    assertThat(e.getMessage())
        .contains("U+2028 (LINE SEPARATOR, a line break in YAML 1.1) at index 3")
        .contains("\"dev\\u2028  - system:masters\"")
        .contains("EKS's break the line there");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"équipe", "チーム", "dev\u00A0team", "rocket-\uD83D\uDE80", "Dev Team", "a:b:c"})
  void visibleTextOfAnyScriptIsAName(String group) {
    assertThatNoException().isThrownBy(() -> ClusterAccess.grant(DEV).asGroup(group));
  }

  static Stream<Arguments> reservedGroups() {
    return Stream.of(
        Arguments.of("system:viewers", "starts with system:"),
        Arguments.of("eks:addon-manager", "starts with eks:"),
        Arguments.of("aws:x", "starts with aws:"),
        Arguments.of("amazon:x", "starts with amazon:"),
        Arguments.of("iam:x", "starts with iam:"),
        Arguments.of("system:{{SessionName}}", "starts with system:"),
        Arguments.of("{{SessionName}}:masters", "{{SessionName}} starts with \"system\""),
        Arguments.of("{{SessionNameRaw}}:masters", "{{SessionNameRaw}} starts with \"system\""),
        Arguments.of("sys{{SessionName}}:masters", "{{SessionName}} starts with \"tem\""),
        Arguments.of("system{{SessionName}}:masters", "becomes system:"), // users have no session
        Arguments.of("{{EC2PrivateDNSName}}:nodes", "{{EC2PrivateDNSName}} starts with"),
        Arguments.of("e{{SessionName}}{{SessionNameRaw}}:x", "becomes eks:"));
  }

  @ParameterizedTest
  @MethodSource("reservedGroups")
  void aGroupThatIsOrCanBecomeReservedIsRefusedAtTheChainStep(String group, String how) {
    var e =
        catchThrowableOfType(
            InvalidInputException.class, () -> ClusterAccess.grant(DEV).asGroup(group));

    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_GROUP);
    assertThat(e.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.location()).isEqualTo("groups[0]");
              assertThat(p.message()).contains(how).contains("a group of your own");
            });
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "system:admin",
        "system:anonymous",
        "system:kube-controller-manager",
        "system:kube-scheduler",
        "system:apiserver",
        "system:node:{{EC2PrivateDNSName}}",
        "eks:addon-manager",
        "aws:{{SessionName}}",
        "{{SessionName}}:admin",
        "iam{{SessionName}}:x"
      })
  void aUsernameThatIsOrCanBecomeReservedIsRefusedAtTheChainStep(String username) {
    var e =
        catchThrowableOfType(
            InvalidInputException.class, () -> ClusterAccess.grant(DEV).asUser(username));

    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_USERNAME);
    assertThat(e.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.location()).isEqualTo("username");
              assertThat(p.message()).contains("keeps for its own components");
            });
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "acme:{{SessionName}}",
        "dev-{{SessionName}}",
        "{{SessionName}}",
        "{{AccountID}}:admins",
        "{{AccessKeyID}}:x",
        "{{Unknown}}system:x",
        "System:masters",
        "xsystem:masters",
        "team:system:masters"
      })
  void namesThatCannotBecomeReservedAreGranted(String group) {
    assertThatNoException().isThrownBy(() -> ClusterAccess.grant(DEV).asGroup(group));
    assertThat(ReservedNames.reach(group)).isEmpty();
  }

  @Test
  void systemMastersKeepsItsOwnCodeAndPointsToBreakGlass() {
    var e =
        catchThrowableOfType(
            InvalidInputException.class,
            () ->
                ClusterAccess.grant(DEV).asUser("acme:ops").inGroups("acme:ops", "system:masters"));
    assertThat(e.code()).isEqualTo(ErrorCode.SYSTEM_MASTERS_GRANT);
    assertThat(e.problems())
        .singleElement()
        .satisfies(p -> assertThat(p.location()).isEqualTo("groups[1]"));
    assertThat(e.getMessage()).contains("ClusterAccess.breakGlass(role)");
  }

  @Test
  void everyReservedNameOfASubjectIsReportedAtOnce() {
    var e =
        catchThrowableOfType(
            InvalidInputException.class,
            () ->
                ClusterAccess.grant(DEV)
                    .asUser("acme:{{SessionName}}")
                    .inGroups("eks:x", "acme:ok", "{{SessionName}}:nodes"));
    assertThat(e.problems())
        .extracting(InvalidInputException.Problem::location)
        .containsExactly("groups[0]", "groups[2]");
  }

  @Test
  @Timeout(5)
  void aTemplateOfAnyLengthIsDecidedWithoutExhaustingTheStack() {
    String longTemplate = "{{SessionName}}".repeat(20_000) + ":masters";
    assertThat(ReservedNames.reach(longTemplate))
        .hasValueSatisfying(r -> assertThat(r.prefix()).isEqualTo("system:"));
    assertThat(ReservedNames.reach("acme:" + "{{SessionName}}".repeat(20_000))).isEmpty();
  }

  @Test
  void theWitnessSaysWhichPlaceholderValuesReachThePrefix() {
    Optional<ReservedNames.Reach> r = ReservedNames.reach("am{{SessionNameRaw}}{{AccountID}}:x");
    // "amazon:" needs a colon after six letters, but {{AccountID}} is twelve digits: unreachable
    assertThat(r).isEmpty();
    assertThat(ReservedNames.reach("am{{SessionNameRaw}}:x"))
        .hasValueSatisfying(
            x -> {
              assertThat(x.prefix()).isEqualTo("amazon:");
              assertThat(x.values()).containsEntry("{{SessionNameRaw}}", "azon");
            });
  }
}
