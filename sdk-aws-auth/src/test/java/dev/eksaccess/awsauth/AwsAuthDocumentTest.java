package dev.eksaccess.awsauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.eksaccess.api.Caller;
import dev.eksaccess.api.ErrorCode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each rule written from aws-iam-authenticator's documented behaviour
 * (shared/reference/aws-auth.md).
 */
class AwsAuthDocumentTest {
  static final Caller JANE =
      Caller.of("arn:aws:sts::111122223333:assumed-role/DevTeamRole/jane@example.com");
  static final Caller BOB = Caller.of("arn:aws:iam::111122223333:user/bob");

  static AwsAuthDocument roles(String mapRoles) {
    return AwsAuthDocument.parse(Map.of("mapRoles", mapRoles));
  }

  @Nested
  class Reading {
    @Test
    void readsRolesUsersAndAccountsWithTheirLines() {
      AwsAuthDocument doc =
          AwsAuthDocument.parse(
              Map.of(
                  "mapRoles",
                  """
                  - rolearn: arn:aws:iam::111122223333:role/NodeInstanceRole
                    username: system:node:{{EC2PrivateDNSName}}
                    groups:
                      - system:bootstrappers
                      - system:nodes
                  - rolearn: arn:aws:iam::111122223333:role/DevTeamRole
                    username: dev:{{SessionName}}
                    groups: [acme:devs]
                  """,
                  "mapUsers",
                  "- userarn: arn:aws:iam::111122223333:user/bob\n  username: bob\n",
                  "mapAccounts",
                  "- \"444455556666\"\n- 012345678901\n"));
      assertThat(doc.sectionErrors()).isEmpty();
      assertThat(doc.roleMappings()).hasSize(2);
      assertThat(doc.roleMappings().get(1).source())
          .isEqualTo(new MappingSource(Section.MAP_ROLES, 1, 6));
      assertThat(doc.roleMappings().get(1).groups()).containsExactly("acme:devs");
      assertThat(doc.userMappings())
          .singleElement()
          .satisfies(u -> assertThat(u.username()).contains("bob"));
      assertThat(doc.accounts())
          .containsExactly("444455556666", "012345678901"); // literal text kept
    }

    @Test
    void aYamlErrorDropsThatSectionOnlyAndSaysWhatIsLost() {
      AwsAuthDocument doc =
          AwsAuthDocument.parse(
              Map.of(
                  "mapRoles",
                  """
                  - rolearn: arn:aws:iam::111122223333:role/NodeInstanceRole
                    groups:
                    - system:nodes
                  \t- rolearn: arn:aws:iam::111122223333:role/Admin
                  """,
                  "mapUsers",
                  "- userarn: arn:aws:iam::111122223333:user/bob\n  username: bob\n"));
      assertThat(doc.roleMappings()).isEmpty();
      assertThat(doc.userMappings()).hasSize(1);
      assertThat(doc.sectionErrors())
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.section()).isEqualTo(Section.MAP_ROLES);
                assertThat(e.line()).isEqualTo(4);
                assertThat(e.lostArns())
                    .containsExactly(
                        "arn:aws:iam::111122223333:role/NodeInstanceRole",
                        "arn:aws:iam::111122223333:role/Admin");
                assertThat(e.losesNodeRoles()).isTrue();
                assertThat(e.toString()).contains("mapRoles line 4").contains("nodes cannot join");
              });
      assertThat(doc.resolve(BOB)).isPresent();
    }

    @Test
    void aSectionThatIsNotAListIsDroppedWhole() {
      AwsAuthDocument doc =
          roles("rolearn: arn:aws:iam::111122223333:role/DevTeamRole\ngroups: [a]\n");
      assertThat(doc.sectionErrors())
          .singleElement()
          .satisfies(e -> assertThat(e.problem()).contains("a mapping, not a list"));
      assertThat(doc.resolve(JANE)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   \n", "``", "\"\"", "''"})
    void skippableSectionsAreNotErrors(String text) {
      assertThat(roles(text).sectionErrors()).isEmpty();
    }

    @Test
    void topLevelKeysAreCaseSensitive() {
      AwsAuthDocument doc =
          AwsAuthDocument.parse(
              Map.of("maproles", "- rolearn: arn:aws:iam::111122223333:role/DevTeamRole\n"));
      assertThat(doc.roleMappings()).isEmpty();
      assertThat(doc.resolve(JANE)).isEmpty();
      assertThat(doc.data()).containsKey("maproles"); // kept, never dropped
    }

    @Test
    void keysInsideEntriesAreCaseInsensitiveAndUnknownKeysIgnored() {
      AwsAuthDocument doc =
          roles(
              """
              - RoLeArN: arn:aws:iam::111122223333:role/DevTeamRole
                UsErNaMe: dev
                gRoUpS: [acme:devs]
                comment: owned by team dev
              """);
      assertThat(doc.resolve(JANE))
          .hasValueSatisfying(
              id -> {
                assertThat(id.username()).isEqualTo("dev");
                assertThat(id.groups()).containsExactly("acme:devs");
              });
    }

    @Test
    void jsonInYamlIsAccepted() {
      AwsAuthDocument doc =
          roles(
              "[{\"rolearn\":\"arn:aws:iam::111122223333:role/DevTeamRole\",\"username\":\"dev\",\"groups\":[\"g\"]}]");
      assertThat(doc.resolve(JANE))
          .hasValueSatisfying(id -> assertThat(id.groups()).containsExactly("g"));
    }

    @Test
    void wronglyTypedFieldsReadAsEmptyAndTheEntryStays() {
      AwsAuthDocument doc =
          roles(
              """
              - rolearn: arn:aws:iam::111122223333:role/DevTeamRole
                username: 12345
                groups: system:masters
              """);
      assertThat(doc.resolve(JANE))
          .hasValueSatisfying(
              id -> {
                assertThat(id.username()).isEmpty(); // a number is no username
                assertThat(id.groups()).isEmpty(); // a string is no list: no groups at all
              });
    }

    @Test
    void yaml11BooleansAreNotText() {
      AwsAuthDocument doc =
          roles(
              "- rolearn: arn:aws:iam::111122223333:role/DevTeamRole\n  username: yes\n  groups: [on, \"on\"]\n");
      assertThat(doc.resolve(JANE))
          .hasValueSatisfying(
              id -> {
                assertThat(id.username()).isEmpty();
                assertThat(id.groups()).containsExactly("", "on");
              });
    }

    @Test
    void anEntryWithoutItsArnIsDroppedAlone() {
      AwsAuthDocument doc =
          roles(
              """
              - username: orphan
                groups: [a]
              - rolearn: arn:aws:iam::111122223333:role/DevTeamRole
                username: dev
              """);
      assertThat(doc.roleMappings()).hasSize(2);
      assertThat(AwsAuthDocument.isInForce(doc.roleMappings().get(0))).isFalse();
      assertThat(doc.resolve(JANE))
          .hasValueSatisfying(id -> assertThat(id.username()).isEqualTo("dev"));
    }

    @Test
    void ssoEntriesAreKeptAndUnderstoodButDoNotMatch() {
      AwsAuthDocument doc =
          roles(
              """
              - sso:
                  permissionSetName: Admin
                  accountID: "111122223333"
                username: admin:{{SessionName}}
                groups: [acme:admins]
              """);
      assertThat(doc.roleMappings())
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.sso())
                    .contains(new SsoMatcher("Admin", "111122223333", java.util.Optional.empty()));
                assertThat(AwsAuthDocument.isInForce(e)).isTrue();
              });
      Caller sso =
          Caller.of(
              "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/jane");
      assertThat(doc.resolve(sso)).isEmpty();
      assertThat(doc.nearMisses(sso)).singleElement().asString().contains("SSORoleMatch");
    }

    @Test
    void mapAccountsWithAnObjectIsDroppedWhole() {
      AwsAuthDocument doc =
          AwsAuthDocument.parse(Map.of("mapAccounts", "- default: 111122223333\n"));
      assertThat(doc.accounts()).isEmpty();
      assertThat(doc.sectionErrors())
          .singleElement()
          .satisfies(e -> assertThat(e.section()).isEqualTo(Section.MAP_ACCOUNTS));
    }

    @Test
    void aManifestIsReadWithMetadataAndManagedFields() {
      AwsAuthDocument doc =
          AwsAuthDocument.parseManifest(
              """
              apiVersion: v1
              kind: ConfigMap
              metadata:
                name: aws-auth
                namespace: kube-system
                resourceVersion: "4242"
                annotations:
                  kubectl.kubernetes.io/last-applied-configuration: '{"apiVersion":"v1"}'
                managedFields:
                - manager: eksctl
                  operation: Update
              data:
                mapRoles: |
                  - rolearn: arn:aws:iam::111122223333:role/DevTeamRole
                    username: dev:{{SessionName}}
                    groups:
                      - acme:devs
                mapUsers: |
                  []
              """);
      assertThat(doc.resolve(JANE))
          .hasValueSatisfying(id -> assertThat(id.username()).isEqualTo("dev:jane-example.com"));
    }

    @Test
    void aBrokenManifestSaysWhere() {
      var e =
          catchThrowableOfType(
              MalformedAwsAuthException.class,
              () -> AwsAuthDocument.parseManifest("kind: ConfigMap\ndata:\n  mapRoles: [\n"));
      assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_AWS_AUTH);
      assertThat(e.line()).isGreaterThan(1);
      var notAConfigMap =
          catchThrowableOfType(
              MalformedAwsAuthException.class,
              () -> AwsAuthDocument.parseManifest("kind: Secret\n"));
      assertThat(notAConfigMap.getMessage()).contains("kind: ConfigMap");
    }
  }

  @Nested
  class Resolving {
    @Test
    void anAssumedRoleMatchesItsRoleIgnoringCase() {
      AwsAuthDocument doc =
          roles("- rolearn: ARN:AWS:IAM::111122223333:ROLE/devteamrole\n  username: dev\n");
      assertThat(doc.resolve(JANE))
          .hasValueSatisfying(id -> assertThat(id.source().index()).isZero());
    }

    @Test
    void duplicatesLastOneWins() {
      AwsAuthDocument doc =
          roles(
              """
              - rolearn: arn:aws:iam::111122223333:role/DevTeamRole
                username: first
              - rolearn: arn:aws:iam::111122223333:role/devteamrole
                username: second
              """);
      assertThat(doc.resolve(JANE))
          .hasValueSatisfying(
              id -> {
                assertThat(id.username()).isEqualTo("second");
                assertThat(id.source().index()).isEqualTo(1);
              });
    }

    @Test
    void rolesBeatUsersAndAUserArnInMapRolesStillMatches() {
      AwsAuthDocument doc =
          AwsAuthDocument.parse(
              Map.of(
                  "mapRoles",
                      "- rolearn: arn:aws:iam::111122223333:user/bob\n  username: from-roles\n",
                  "mapUsers",
                      "- userarn: arn:aws:iam::111122223333:user/bob\n  username: from-users\n"));
      assertThat(doc.resolve(BOB))
          .hasValueSatisfying(id -> assertThat(id.username()).isEqualTo("from-roles"));
    }

    @Test
    void mapAccountsGivesTheCanonicalArnAndNoGroups() {
      AwsAuthDocument doc = AwsAuthDocument.parse(Map.of("mapAccounts", "- \"111122223333\"\n"));
      assertThat(doc.resolve(JANE))
          .hasValueSatisfying(
              id -> {
                assertThat(id.username()).isEqualTo("arn:aws:iam::111122223333:role/DevTeamRole");
                assertThat(id.groups()).isEmpty();
                assertThat(id.source().section()).isEqualTo(Section.MAP_ACCOUNTS);
              });
    }

    @Test
    void anEntryWithoutUsernameGivesTheEmptyUsername() {
      assertThat(
              roles("- rolearn: arn:aws:iam::111122223333:role/DevTeamRole\n  groups: [g]\n")
                  .resolve(JANE))
          .hasValueSatisfying(id -> assertThat(id.username()).isEmpty());
    }

    @Test
    void templatesRenderInEksOrder() {
      AwsAuthDocument doc =
          roles(
              """
              - rolearn: arn:aws:iam::111122223333:role/DevTeamRole
                username: "{{AccountID}}:{{SessionName}}:{{SessionNameRaw}}:{{AccessKeyID}}:{{Unknown}}"
                groups: ["team-{{SessionName}}"]
              """);
      assertThat(doc.resolve(JANE, TemplateContext.empty().withAccessKeyId("AKIAEXAMPLE")))
          .hasValueSatisfying(
              id -> {
                assertThat(id.username())
                    .isEqualTo(
                        "111122223333:jane-example.com:jane@example.com:AKIAEXAMPLE:{{Unknown}}");
                assertThat(id.groups()).containsExactly("team-jane-example.com");
              });
      assertThat(doc.resolve(JANE))
          .hasValueSatisfying(id -> assertThat(id.username()).contains("{{AccessKeyID}}"));
    }

    @Test
    void ec2PrivateDnsNameNeedsAnInstanceSession() {
      AwsAuthDocument doc =
          roles(
              """
              - rolearn: arn:aws:iam::111122223333:role/NodeInstanceRole
                username: system:node:{{EC2PrivateDNSName}}
                groups: [system:bootstrappers, system:nodes]
              """);
      Caller node =
          Caller.of("arn:aws:sts::111122223333:assumed-role/NodeInstanceRole/i-0123456789abcdef0");
      assertThat(
              doc.resolve(
                  node, TemplateContext.empty().withEc2PrivateDnsName("ip-10-0-1-7.ec2.internal")))
          .hasValueSatisfying(
              id -> assertThat(id.username()).isEqualTo("system:node:ip-10-0-1-7.ec2.internal"));
      Caller human = Caller.of("arn:aws:sts::111122223333:assumed-role/NodeInstanceRole/jane");
      assertThat(doc.resolve(human)).isEmpty();
    }

    @Test
    void aRolePathIsANamedNearMiss() {
      AwsAuthDocument doc =
          roles("- rolearn: arn:aws:iam::111122223333:role/teams/DevTeamRole\n  username: dev\n");
      assertThat(doc.resolve(JANE)).isEmpty();
      assertThat(doc.nearMisses(JANE))
          .singleElement()
          .asString()
          .contains("mapRoles[0]")
          .contains("path /teams/")
          .contains("Write arn:aws:iam::111122223333:role/DevTeamRole");
    }

    @Test
    void anStsArnInRolearnIsANamedNearMiss() {
      AwsAuthDocument doc =
          roles("- rolearn: arn:aws:sts::111122223333:assumed-role/DevTeamRole/jane\n");
      assertThat(doc.resolve(JANE)).isEmpty();
      assertThat(doc.nearMisses(JANE))
          .singleElement()
          .asString()
          .contains("STS session ARN")
          .contains("Write arn:aws:iam::111122223333:role/DevTeamRole");
    }

    @Test
    void theSameNameInAnotherAccountIsANamedNearMiss() {
      AwsAuthDocument doc = roles("- rolearn: arn:aws:iam::999988887777:role/DevTeamRole\n");
      assertThat(doc.nearMisses(JANE)).singleElement().asString().contains("another account");
    }

    @Test
    void aMappingInADroppedSectionIsANamedNearMiss() {
      AwsAuthDocument doc =
          roles("- rolearn: arn:aws:iam::111122223333:role/DevTeamRole\n\tusername: dev\n");
      assertThat(doc.nearMisses(JANE)).anySatisfy(m -> assertThat(m).contains("drops whole"));
    }

    @Test
    void aMappedCallerHasNoNearMisses() {
      assertThat(roles("- rolearn: arn:aws:iam::111122223333:role/DevTeamRole\n").nearMisses(JANE))
          .isEmpty();
      assertThat(List.of(roles("").toString())).singleElement().asString().contains("0 mapRoles");
    }
  }
}
