package dev.eksaccess.awsauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.awsauth.Finding.Code;
import dev.eksaccess.awsauth.Finding.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One case per finding: the mistake is found where it is, with its fix; the clean form is not. */
class FindingsTest {
  private static List<Finding> lint(String section, String text) {
    return AwsAuthDocument.parse(Map.of(section, text)).findings();
  }

  private static List<Finding> roles(String text) {
    return lint("mapRoles", text);
  }

  private static Finding only(List<Finding> findings, Code code) {
    assertThat(findings).filteredOn(f -> f.code() == code).hasSize(1);
    return findings.stream().filter(f -> f.code() == code).findFirst().orElseThrow();
  }

  @Test
  void aCleanAwsAuthHasNoFindings() {
    assertThat(
            roles(
                """
                - rolearn: arn:aws:iam::111122223333:role/NodeInstanceRole
                  username: system:node:{{EC2PrivateDNSName}}
                  groups:
                    - system:bootstrappers
                    - system:nodes
                - rolearn: arn:aws:iam::111122223333:role/DevTeamRole
                  username: dev
                  groups: [acme:devs]
                """))
        .isEmpty();
    assertThat(lint("mapAccounts", "- \"111122223333\"\n")).isEmpty();
  }

  @Test
  void rolePathGivesTheFixedArn() {
    Finding f =
        only(
            roles("- rolearn: arn:aws:iam::111122223333:role/teams/Dev\n  username: dev\n"),
            Code.ROLE_PATH);
    assertThat(f.severity()).isEqualTo(Severity.ERROR);
    assertThat(f.line()).isEqualTo(1);
    assertThat(f.column()).isEqualTo(12);
    assertThat(f.message()).contains("Write arn:aws:iam::111122223333:role/Dev.");
  }

  @Test
  void stsArnInRolearnGivesTheRole() {
    Finding f =
        only(
            roles("- rolearn: arn:aws:sts::111122223333:assumed-role/Dev/jane\n  username: dev\n"),
            Code.STS_ARN);
    assertThat(f.message()).contains("Write arn:aws:iam::111122223333:role/Dev.");
  }

  @Test
  void duplicatesSayWhichShadowsWhich() {
    List<Finding> findings =
        roles(
            """
            - rolearn: arn:aws:iam::111122223333:role/Dev
              username: a
            - rolearn: arn:aws:iam::111122223333:role/dev
              username: b
            """);
    Finding f = only(findings, Code.DUPLICATE_ARN);
    assertThat(f.line()).isEqualTo(3);
    assertThat(f.message())
        .contains("mapRoles[1]")
        .contains("shadows mapRoles[0]")
        .contains("differing only in case");
  }

  @Test
  void caseVariantUsersAreAnErrorBecauseTheyRace() {
    Finding f =
        only(
            lint(
                "mapUsers",
                """
                - userarn: arn:aws:iam::111122223333:user/Bob
                  username: a
                - userarn: arn:aws:iam::111122223333:user/bob
                  username: b
                """),
            Code.DUPLICATE_ARN);
    assertThat(f.severity()).isEqualTo(Severity.ERROR);
    assertThat(f.message()).contains("in no fixed order");
  }

  @Test
  void aYamlErrorNamesTheSectionTheLostNodeRolesAndTheTab() {
    List<Finding> findings =
        roles(
            "- rolearn: arn:aws:iam::111122223333:role/NodeInstanceRole\n\tgroups: [system:nodes]\n");
    assertThat(only(findings, Code.SECTION_DROPPED).message()).contains("node roles included");
    Finding tab = only(findings, Code.TAB_INDENT);
    assertThat(tab.line()).isEqualTo(2);
    assertThat(tab.column()).isEqualTo(1);
  }

  @Test
  void groupsAsAStringGivesNoGroups() {
    Finding f =
        only(
            roles(
                "- rolearn: arn:aws:iam::111122223333:role/Dev\n  username: dev\n  groups: system:masters\n"),
            Code.GROUPS_NOT_A_LIST);
    assertThat(f.message()).contains("no groups at all").contains("groups: [system:masters]");
  }

  @Test
  void mapAccountsAsObjectsAndNonIds() {
    assertThat(
            only(lint("mapAccounts", "- account: \"111122223333\"\n"), Code.SECTION_DROPPED)
                .message())
        .contains("account id belongs");
    assertThat(only(lint("mapAccounts", "- 11112222333\n"), Code.ACCOUNT_NOT_AN_ID).message())
        .contains("not a 12-digit account id");
  }

  @Test
  void unknownPlaceholderIsNamed() {
    Finding f =
        only(
            roles(
                "- rolearn: arn:aws:iam::111122223333:role/Dev\n  username: dev-{{EC2InstanceID}}\n"),
            Code.UNKNOWN_PLACEHOLDER);
    assertThat(f.message()).contains("{{EC2InstanceID}}").contains("EC2PrivateDNSName");
  }

  @Test
  void missingUsernameAndMissingArn() {
    List<Finding> findings =
        roles("- rolearn: arn:aws:iam::111122223333:role/Dev\n  groups: [g]\n- username: x\n");
    assertThat(only(findings, Code.MISSING_USERNAME).severity()).isEqualTo(Severity.WARNING);
    assertThat(only(findings, Code.MISSING_ARN).message())
        .contains("mapRoles[1] (line 3) has no rolearn");
  }

  @Test
  void whitespaceInNamesAndArns() {
    List<Finding> findings =
        roles(
            "- rolearn: \"arn:aws:iam::111122223333:role/Dev \"\n  username: \" dev\"\n  groups: [\"acme:devs\\n\"]\n");
    assertThat(findings).filteredOn(f -> f.code() == Code.WHITESPACE).hasSize(3);
    assertThat(findings).anySatisfy(f -> assertThat(f.message()).contains("\"acme:devs\\n\""));
  }

  @Test
  void systemMastersIsAWarning() {
    Finding f =
        only(
            roles(
                "- rolearn: arn:aws:iam::111122223333:role/Admin\n  username: admin\n  groups: [system:masters]\n"),
            Code.SYSTEM_MASTERS);
    assertThat(f.severity()).isEqualTo(Severity.WARNING);
  }

  @Test
  void sessionNameOnAPersonsRoleIsAWarningButNotOnNodes() {
    assertThat(
            only(
                    roles(
                        "- rolearn: arn:aws:iam::111122223333:role/Dev\n  username: dev:{{SessionName}}\n"),
                    Code.SESSION_NAME_TRUST)
                .message())
        .contains("--role-session-name");
    assertThat(
            roles(
                "- rolearn: arn:aws:iam::111122223333:role/Fargate\n  username: system:node:{{SessionName}}\n  groups: [system:nodes]\n"))
        .noneMatch(f -> f.code() == Code.SESSION_NAME_TRUST);
  }

  @Test
  void unknownKeysSuggestTheRightOne() {
    Finding f =
        only(
            roles("- rolearn: arn:aws:iam::111122223333:role/Dev\n  username: dev\n  group: [a]\n"),
            Code.UNKNOWN_KEY);
    assertThat(f.message()).contains("\"group\"").contains("did you mean groups?");
    assertThat(
            roles(
                "- rolearn: arn:aws:iam::111122223333:role/Dev\n  username: dev\n  userid: AROAEXAMPLE\n"))
        .isEmpty();
  }

  @Test
  void wronglyTypedFieldsAreFound() {
    List<Finding> findings =
        roles(
            "- rolearn: 12\n- rolearn: arn:aws:iam::111122223333:role/Dev\n  username: 42\n  groups: [7]\n");
    assertThat(findings).filteredOn(f -> f.code() == Code.WRONG_TYPE).hasSize(3);
  }

  @Test
  void findingsAreInSectionAndLineOrder() {
    List<Finding> findings =
        AwsAuthDocument.parse(
                Map.of(
                    "mapUsers", "- userarn: arn:aws:iam::111122223333:user/bob\n",
                    "mapRoles",
                        "- rolearn: arn:aws:iam::111122223333:role/a/B\n  username: b\n- rolearn: arn:aws:iam::111122223333:role/c/D\n  username: d\n"))
            .findings();
    assertThat(findings)
        .extracting(Finding::section, Finding::line)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Section.MAP_ROLES, 1),
            org.assertj.core.groups.Tuple.tuple(Section.MAP_ROLES, 3),
            org.assertj.core.groups.Tuple.tuple(Section.MAP_USERS, 1));
    assertThat(findings.get(0).toString()).startsWith("ERROR ROLE_PATH mapRoles line 1 column 12:");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "arn:aws:iam::<ACCOUNT_ID>:role/Dev | the placeholder <ACCOUNT_ID>",
        "arn:aws:iam::${account_id}:role/Dev | the placeholder ${account_id}",
        "arn:aws:iam::123456789012:role/Dev | example account 123456789012",
        "arn:aws:iam::111122223333:role/ | has no role name",
        "arn:aws:iam::ACCOUNT_ID:role/Dev | the placeholder ACCOUNT_ID",
      })
  void placeholderOrExampleArnsMatchNoCaller(String arn, String why) {
    Finding f = only(roles("- rolearn: " + arn + "\n  username: dev\n"), Code.PLACEHOLDER_ARN);

    assertThat(f.severity()).isEqualTo(Severity.ERROR);
    assertThat(f.line()).isEqualTo(1);
    assertThat(f.column()).isEqualTo(12);
    assertThat(f.message()).contains(why).contains("get-caller-identity");
  }

  @Test
  void aRealArnIsNoPlaceholder() {
    assertThat(roles("- rolearn: arn:aws:iam::111122223333:role/Dev\n  username: dev\n"))
        .noneMatch(f -> f.code() == Code.PLACEHOLDER_ARN);
  }

  @ParameterizedTest
  @CsvSource({
    "MapRoles, mapRoles",
    "maproles, mapRoles",
    "mapRole, mapRoles",
    "map_users, mapUsers"
  })
  void misnamedDataKeysAreFoundWithTheirRealName(String key, String section) {
    List<Finding> findings =
        AwsAuthDocument.parse(Map.of(key, "- rolearn: arn:aws:iam::111122223333:role/Dev\n"))
            .findings();

    Finding f = only(findings, Code.MISNAMED_KEY);
    assertThat(f.section().key()).isEqualTo(section);
    assertThat(f.severity()).isEqualTo(Severity.ERROR);
    assertThat(f.message()).contains("\"" + key + "\"").contains("Rename it to " + section);
  }

  @Test
  void otherDataKeysAreNotSections() {
    assertThat(
            AwsAuthDocument.parse(
                    Map.of(
                        "x-notes",
                        "kept",
                        "mapRoles",
                        "[]",
                        "mapRoles-old",
                        "[]",
                        "mapRolesDisabled",
                        "[]"))
                .findings())
        .as("a longer name is more likely parked on purpose")
        .isEmpty();
  }

  @Test
  void aStrayCharacterInAGroupIsFoundWithItsPlace() {
    Finding f =
        only(
            roles(
                """
                - rolearn: arn:aws:iam::111122223333:role/Nodes
                  username: system:node:{{EC2PrivateDNSName}}
                  groups: [system:bootstrappers, "system:nodes>"]
                """),
            Code.STRAY_CHARACTER);

    assertThat(f.line()).isEqualTo(3);
    assertThat(f.column()).isEqualTo(34);
    assertThat(f.message()).contains("\"system:nodes>\"").contains("\">\" at 13");
  }

  @Test
  void anStsSessionArnUnderMapUsersNeverMatches() {
    Finding f =
        only(
            lint(
                "mapUsers",
                "- userarn: arn:aws:sts::111122223333:assumed-role/Dev/jane\n  username: j\n"),
            Code.STS_ARN);

    assertThat(f.section()).isEqualTo(Section.MAP_USERS);
    assertThat(f.message()).contains("Map the role in mapRoles");
  }

  @Test
  void findingsHaveAVersionedJsonFormWithCodeSeverityLineAndColumn() throws Exception {
    AwsAuthDocument doc =
        AwsAuthDocument.parse(
            Map.of(
                "mapRoles",
                "- rolearn: arn:aws:iam::111122223333:role/teams/Dev\n  username: dev\n",
                "mapUsers",
                "- userarn: [\n"));

    com.fasterxml.jackson.databind.JsonNode json =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(doc.findingsToJson());

    assertThat(json.path("schema").asText()).isEqualTo("eks-access/aws-auth-findings/v1");
    com.fasterxml.jackson.databind.JsonNode rolePath =
        java.util.stream.StreamSupport.stream(json.path("findings").spliterator(), false)
            .filter(f -> f.path("code").asText().equals("ROLE_PATH"))
            .findFirst()
            .orElseThrow();
    assertThat(rolePath.path("severity").asText()).isEqualTo("ERROR");
    assertThat(rolePath.path("section").asText()).isEqualTo("mapRoles");
    assertThat(rolePath.path("line").asInt()).isEqualTo(1);
    assertThat(rolePath.path("column").asInt()).isEqualTo(12);
    assertThat(rolePath.path("message").asText())
        .contains("Write arn:aws:iam::111122223333:role/Dev.");
    assertThat(json.path("unreadableSections").get(0).path("section").asText())
        .isEqualTo("mapUsers");
  }
}
