package dev.eksaccess.awsauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.eksaccess.api.AccessPolicy;
import dev.eksaccess.api.Caller;
import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.IamUser;
import dev.eksaccess.api.Scope;
import dev.eksaccess.api.UnsupportedGrantException;
import dev.eksaccess.api.spi.IdentityChange;
import dev.eksaccess.api.spi.IdentityChanges;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.PolicyAssociation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EditingTest {
  static final String MAP_ROLES =
      """
      # managed by the platform team; do not hand-edit
      - rolearn: arn:aws:iam::111122223333:role/NodeInstanceRole
        username: system:node:{{EC2PrivateDNSName}}
        groups:
          - system:bootstrappers   # nodes join with this
          - system:nodes
      - rolearn: arn:aws:iam::111122223333:role/Ops
        username: ops
        comment: keep me
        groups: [acme:ops]
      # the admins
      - rolearn: arn:aws:iam::111122223333:role/Admin
        username: admin
        groups:
          - system:masters
      """;
  static final AwsAuthDocument DOC =
      AwsAuthDocument.parse(
          Map.of("mapRoles", MAP_ROLES, "mapUsers", "[]\n", "other", "kept: as is\n"));
  static final IamRole DEV = IamRole.of("arn:aws:iam::111122223333:role/teams/DevTeamRole");
  static final Caller JANE = Caller.of("arn:aws:sts::111122223333:assumed-role/DevTeamRole/jane");

  private static String section(AwsAuthDocument doc, String key) {
    return java.util.Objects.requireNonNull(doc.data().get(key), key);
  }

  private static IdentityChanges changes(IdentityChange... changes) {
    return IdentityChanges.of(List.of(changes));
  }

  private static IdentityChange put(IdentityMapping m) {
    return new IdentityChange.Put(m);
  }

  @Test
  void addingAppendsAndKeepsEveryByteOfTheRest() {
    AwsAuthDocument next =
        DOC.apply(
            changes(
                put(
                    IdentityMapping.of(DEV)
                        .withUsername("dev:{{SessionName}}")
                        .withGroups(List.of("acme:devs")))));

    String text = section(next, "mapRoles");
    assertThat(text).startsWith(MAP_ROLES);
    assertThat(text.substring(MAP_ROLES.length()))
        .isEqualTo(
            """
            - rolearn: arn:aws:iam::111122223333:role/DevTeamRole
              username: dev:{{SessionName}}
              groups:
              - acme:devs
            """);
    assertThat(next.data())
        .containsEntry("other", "kept: as is\n")
        .containsEntry("mapUsers", "[]\n");
    assertThat(next.resolve(JANE))
        .hasValueSatisfying(
            id -> {
              assertThat(id.username()).isEqualTo("dev:jane");
              assertThat(id.groups()).containsExactly("acme:devs");
            });
    assertThat(next.findings()).noneMatch(f -> f.severity() == Finding.Severity.ERROR);
  }

  @Test
  void aRolePathIsStrippedBecauseStsNeverReportsIt() {
    AwsAuthDocument next =
        DOC.apply(changes(put(IdentityMapping.of(DEV).withGroups(List.of("g")))));
    assertThat(section(next, "mapRoles")).contains("role/DevTeamRole").doesNotContain("teams/");
    assertThat(next.resolve(JANE)).isPresent();
  }

  @Test
  void updatingChangesOnlyThatEntryAndKeepsItsUnknownFields() {
    IamRole ops = IamRole.of("arn:aws:iam::111122223333:role/Ops");
    AwsAuthDocument next =
        DOC.apply(
            changes(put(IdentityMapping.of(ops).withGroups(List.of("acme:ops", "acme:oncall")))));

    String text = section(next, "mapRoles");
    assertThat(text)
        .startsWith(
            MAP_ROLES.substring(
                0, MAP_ROLES.indexOf("- rolearn: arn:aws:iam::111122223333:role/Ops")));
    assertThat(text).endsWith(MAP_ROLES.substring(MAP_ROLES.indexOf("# the admins")));
    assertThat(text).contains("comment: keep me").contains("username: ops");
    assertThat(next.resolve(Caller.of("arn:aws:iam::111122223333:role/Ops")))
        .hasValueSatisfying(
            id -> assertThat(id.groups()).containsExactly("acme:ops", "acme:oncall"));
  }

  @Test
  void removingDeletesOnlyThatEntryAndKeepsComments() {
    AwsAuthDocument next =
        DOC.apply(
            changes(new IdentityChange.Remove(IamRole.of("arn:aws:iam::111122223333:role/Ops"))));
    String text = section(next, "mapRoles");
    assertThat(text)
        .isEqualTo(
            MAP_ROLES.replace(
                """
                - rolearn: arn:aws:iam::111122223333:role/Ops
                  username: ops
                  comment: keep me
                  groups: [acme:ops]
                """,
                ""));
    assertThat(next.roleMappings()).hasSize(2);
  }

  @Test
  void applyingTwiceEqualsApplyingOnce() {
    IdentityChanges c =
        changes(put(IdentityMapping.of(DEV).withUsername("dev").withGroups(List.of("a"))));
    assertThat(DOC.apply(c).apply(c).data()).isEqualTo(DOC.apply(c).data());
    assertThat(DOC.apply(IdentityChanges.none())).isSameAs(DOC);
  }

  @Test
  void aMalformedSectionIsNeverOverwrittenButOthersCanChange() {
    AwsAuthDocument broken =
        AwsAuthDocument.parse(
            Map.of("mapRoles", "- rolearn: arn:aws:iam::111122223333:role/A\n\tusername: a\n"));
    var e =
        catchThrowableOfType(
            MalformedAwsAuthException.class,
            () -> broken.apply(changes(put(IdentityMapping.of(DEV).withGroups(List.of("g"))))));
    assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_AWS_AUTH);
    assertThat(e.section()).isEqualTo("mapRoles");
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.getMessage()).contains("never overwrites");

    IamUser bob = IamUser.of("arn:aws:iam::111122223333:user/bob");
    AwsAuthDocument next = broken.apply(changes(put(IdentityMapping.of(bob).withUsername("bob"))));
    assertThat(section(next, "mapRoles")).isEqualTo(section(broken, "mapRoles"));
    assertThat(next.resolve(Caller.of(bob.arn().value()))).isPresent();
  }

  @Test
  void aJsonSectionIsEditedAndStillReads() {
    AwsAuthDocument json =
        AwsAuthDocument.parse(
            Map.of(
                "mapRoles",
                "[{\"rolearn\":\"arn:aws:iam::111122223333:role/Ops\",\"username\":\"ops\",\"extra\":1}]"));
    AwsAuthDocument next = json.apply(changes(put(IdentityMapping.of(DEV).withUsername("dev"))));
    assertThat(next.roleMappings()).hasSize(2);
    assertThat(section(next, "mapRoles")).contains("extra");
    assertThat(next.resolve(JANE)).isPresent();
  }

  @Test
  void accountsAreAddedQuotedAndRemoved() {
    AwsAuthDocument next =
        AwsAuthDocument.parse(Map.of())
            .apply(changes(new IdentityChange.AddAccount("012345678901")));
    assertThat(section(next, "mapAccounts")).isEqualTo("- \"012345678901\"\n");
    assertThat(next.accounts()).containsExactly("012345678901");
    assertThat(next.apply(changes(new IdentityChange.RemoveAccount("012345678901"))).accounts())
        .isEmpty();
  }

  @Test
  void accessPoliciesAreRefused() {
    var e =
        catchThrowableOfType(
            UnsupportedGrantException.class,
            () ->
                DOC.apply(
                    changes(
                        put(
                            IdentityMapping.of(DEV)
                                .withPolicies(
                                    List.of(
                                        new PolicyAssociation(
                                            AccessPolicy.VIEW, Scope.cluster())))))));
    assertThat(e.getMessage()).contains("aws-auth has no access policies");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "- rolearn: arn:aws:iam::111122223333:role/Evil",
        "a\", \"groups\": [\"system:masters\"]",
        "x]\n- rolearn: evil",
        "{{SessionName}}",
        "# not a comment",
        "yes",
        "0123",
        "a: b",
        "'quoted'",
        "&anchor",
        "*alias",
        "!!binary",
        "|",
        "@at",
        "`tick`"
      })
  void hostileValuesReadBackExactlyAndMapNoOneElse(String hostile) {
    IamRole evil = IamRole.of("arn:aws:iam::111122223333:role/Evil");
    AwsAuthDocument next;
    try {
      next =
          DOC.apply(
              changes(
                  put(
                      IdentityMapping.of(DEV)
                          .withUsername("u:" + hostile)
                          .withGroups(List.of(hostile, "ok")))));
    } catch (dev.eksaccess.api.InvalidInputException rejected) {
      assertThat(hostile)
          .contains("\n"); // only values with control characters are refused up front
      return;
    }
    assertThat(next.resolve(JANE))
        .hasValueSatisfying(
            id -> {
              assertThat(id.username())
                  .isEqualTo("u:" + hostile.replace("{{SessionName}}", "jane"));
              assertThat(id.groups())
                  .containsExactly(hostile.replace("{{SessionName}}", "jane"), "ok");
            });
    assertThat(next.resolve(Caller.of(evil.arn().value()))).isEmpty();
    assertThat(next.roleMappings()).hasSize(4);
    assertThat(next.sectionErrors()).isEmpty();
  }

  @Test
  void anEmojiBeforeTheEndOfTheLastEntryDoesNotMoveItsTextIntoTheNewOne() {
    // found by AwsAuthEditPropertyTest: the parser counts code points, a String UTF-16 chars
    String roles =
        """
        - rolearn: arn:aws:iam::111122223333:role/Rocket
          username: "rocket \uD83D\uDE80"
          x-owner: team \uD83D\uDE80 platform
        """;
    Map<String, String> after =
        AwsAuthDocument.parse(Map.of("mapRoles", roles))
            .render(
                IdentityChanges.of(
                    List.of(
                        new IdentityChange.Put(
                            IdentityMapping.of(IamRole.of("arn:aws:iam::111122223333:role/New"))
                                .withUsername("new")))));

    assertThat(after.get("mapRoles"))
        .startsWith(roles)
        .endsWith("- rolearn: arn:aws:iam::111122223333:role/New\n  username: new\n");
  }

  @Test
  void removingWhatIsNotThereLeavesTheSectionByteForByte() {
    Map<String, String> data = Map.of("mapRoles", "", "mapUsers", "# none yet\n");
    Map<String, String> after =
        AwsAuthDocument.parse(data)
            .render(
                IdentityChanges.of(
                    List.of(
                        new IdentityChange.Remove(
                            IamRole.of("arn:aws:iam::111122223333:role/Gone")),
                        new IdentityChange.Remove(
                            IamUser.of("arn:aws:iam::111122223333:user/gone")))));

    assertThat(after).isEqualTo(data);
  }

  @Test
  void anEntryThatIsAListDoesNotSwallowTheEntryAddedAfterIt() {
    // found by fuzzing: the new entry went into the nested list, where EKS never reads it
    String roles = "- - rolearn: arn:aws:iam::111122223333:role/Nested\n";
    AwsAuthDocument after =
        AwsAuthDocument.parse(
            AwsAuthDocument.parse(Map.of("mapRoles", roles))
                .render(
                    IdentityChanges.of(
                        List.of(
                            new IdentityChange.Put(
                                IdentityMapping.of(IamRole.of("arn:aws:iam::111122223333:role/New"))
                                    .withUsername("new"))))));

    assertThat(after.data().get("mapRoles")).startsWith(roles);
    assertThat(after.roleMappings())
        .extracting(AwsAuthEntry::arn)
        .contains("arn:aws:iam::111122223333:role/New");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "&roles\n  - rolearn: arn:aws:iam::111122223333:role/NodeInstanceRole\n    username: n\n",
        "--- !!seq\n- rolearn: arn:aws:iam::111122223333:role/NodeInstanceRole\n  username: n\n",
        "!!seq\n  - rolearn: arn:aws:iam::111122223333:role/NodeInstanceRole\n    username: n\n"
      })
  void anAnchorOrTagBeforeTheListKeepsTheEditReadable(String roles) {
    // found in review: the column came from the sequence's start, which is the anchor or tag
    AwsAuthDocument after =
        AwsAuthDocument.parse(Map.of("mapRoles", roles))
            .apply(
                IdentityChanges.of(
                    List.of(
                        new IdentityChange.Put(
                            IdentityMapping.of(IamRole.of("arn:aws:iam::111122223333:role/Dev"))
                                .withUsername("dev")))));

    assertThat(after.sectionErrors()).isEmpty();
    assertThat(after.roleMappings())
        .extracting(AwsAuthEntry::arn)
        .containsExactly(
            "arn:aws:iam::111122223333:role/NodeInstanceRole",
            "arn:aws:iam::111122223333:role/Dev");
  }

  @Test
  void removingFromAMissingSectionAddsNoKey() {
    Map<String, String> data = Map.of("mapRoles", "[]\n");

    Map<String, String> after =
        AwsAuthDocument.parse(data)
            .render(
                IdentityChanges.of(
                    List.of(
                        new IdentityChange.Remove(
                            IamUser.of("arn:aws:iam::111122223333:user/gone")))));

    assertThat(after).isEqualTo(data);
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "[]",
        "[]\n",
        "- {rolearn: arn:aws:iam::111122223333:role/Ops, username: ops}",
        "[{\"rolearn\":\"arn:aws:iam::111122223333:role/Ops\",\"username\":\"ops\"}]",
        "  - rolearn: arn:aws:iam::111122223333:role/Ops\n    username: ops",
      })
  void aChangeThatChangesNothingLeavesEveryByte(String mapRoles) {
    AwsAuthDocument doc = AwsAuthDocument.parse(Map.of("mapRoles", mapRoles, "x", "y"));

    IdentityChange putOps =
        put(
            IdentityMapping.of(IamRole.of("arn:aws:iam::111122223333:role/Ops"))
                .withUsername("ops"));
    IdentityChange removeGone =
        new IdentityChange.Remove(IamRole.of("arn:aws:iam::111122223333:role/Gone"));
    // removing what is not there, and putting what is already there as it is
    Map<String, String> same =
        doc.render(
            mapRoles.contains("role/Ops") ? changes(removeGone, putOps) : changes(removeGone));

    assertThat(same).isEqualTo(Map.of("mapRoles", mapRoles, "x", "y"));
    assertThat(same).doesNotContainKey("mapUsers"); // an absent section stays absent
  }

  @Test
  void anEditMatchesTheIndentationOfTheEntriesAroundIt() {
    String indented =
        """
            - rolearn: arn:aws:iam::111122223333:role/Ops
              username: ops
            - rolearn: arn:aws:iam::111122223333:role/Admin
              username: admin
        """;
    AwsAuthDocument doc = AwsAuthDocument.parse(Map.of("mapRoles", indented));

    String after =
        section(
            doc.apply(
                changes(put(IdentityMapping.of(DEV).withUsername("dev").withGroups(List.of("a"))))),
            "mapRoles");

    assertThat(after)
        .startsWith(indented)
        .endsWith(
            """
                - rolearn: arn:aws:iam::111122223333:role/DevTeamRole
                  username: dev
                  groups:
                  - a
            """);
  }
}
