package dev.eksaccess.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.testkit.EksFault;
import dev.eksaccess.testkit.FakeCluster;
import dev.eksaccess.testkit.FakeIam;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * IAM Identity Center permission sets: resolved by name to their {@code AWSReservedSSO_} role, each
 * backend's path rule applied, and an SSO session explained as the permission set and the user.
 */
class SsoPermissionSetTest {
  static final String ACCOUNT = "111122223333";
  static final Instant CREATED = Instant.parse("2025-06-01T00:00:00Z");
  static final String SSO = "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/";
  static final String ADMIN_ARN = SSO + "eu-west-1/AWSReservedSSO_Admin_0123456789abcdef";

  final FakeIam iam =
      FakeIam.forAccount(ACCOUNT)
          .createRole(ADMIN_ARN, CREATED)
          // names that a prefix match would confuse with Admin
          .createRole(SSO + "AWSReservedSSO_Admin_ReadOnly_fedcba9876543210", CREATED)
          .createRole(SSO + "eu-west-1/AWSReservedSSO_AdminTeam_00112233445566aa", CREATED)
          // not under the SSO path: never an SSO role, whatever its name
          .createRole(
              "arn:aws:iam::111122223333:role/AWSReservedSSO_Admin_ffffffffffffffff", CREATED);

  @Test
  void aPermissionSetResolvesToItsRoleWithThePathAndNothingThatOnlyLooksLikeIt() {
    IamRole admin = SsoPermissionSet.named("Admin").roleIn(ACCOUNT, iam);

    assertThat(admin.arn().value()).isEqualTo(ADMIN_ARN);
    assertThat(admin.path()).isEqualTo("/aws-reserved/sso.amazonaws.com/eu-west-1/");
    assertThat(SsoPermissionSet.named("Admin_ReadOnly").roleIn(ACCOUNT, iam).name())
        .isEqualTo("AWSReservedSSO_Admin_ReadOnly_fedcba9876543210");
    assertThat(iam.requests())
        .containsExactly(
            "ListRoles /aws-reserved/sso.amazonaws.com/",
            "ListRoles /aws-reserved/sso.amazonaws.com/");
  }

  @Test
  void aPermissionSetTheAccountLacksIsRefusedWithTheOnesItHas() {
    InvalidInputException e =
        catchThrowableOfType(
            InvalidInputException.class,
            () -> SsoPermissionSet.named("ReadOnly").roleIn(ACCOUNT, iam));

    assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_SET_NOT_FOUND);
    assertThat(e.getMessage())
        .contains("has no role in account 111122223333")
        .contains("assign the permission set to the account in IAM Identity Center")
        .contains("Admin, AdminTeam, Admin_ReadOnly");
  }

  @Test
  void twoRolesForOnePermissionSetAreAmbiguous() {
    iam.createRole(SSO + "us-east-1/AWSReservedSSO_AdminTeam_99aa", CREATED);

    InvalidInputException e =
        catchThrowableOfType(
            InvalidInputException.class,
            () -> SsoPermissionSet.named("AdminTeam").roleIn(ACCOUNT, iam));

    assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_SET_AMBIGUOUS);
    assertThat(e.getMessage()).contains("has 2 roles").contains("IamRole.of");
  }

  @Test
  void badNamesAndAccountsAreRefusedWithoutAskingIam() {
    assertThat(
            catchThrowableOfType(
                    InvalidInputException.class,
                    () -> SsoPermissionSet.named("AWSReservedSSO_Admin_0123456789abcdef!"))
                .code())
        .isEqualTo(ErrorCode.INVALID_ARGUMENT);
    assertThat(catchThrowableOfType(InvalidInputException.class, () -> SsoPermissionSet.named("")))
        .hasMessageContaining("1 to 32 letters");
    assertThat(
            catchThrowableOfType(
                    InvalidInputException.class,
                    () -> SsoPermissionSet.named("Admin").roleIn("4444", iam))
                .getMessage())
        .contains("not a 12-digit AWS account id");
    assertThat(
            catchThrowableOfType(
                    InvalidInputException.class,
                    () -> SsoPermissionSet.named("Admin").roleIn("444455556666", iam))
                .getMessage())
        .contains("not an account this IAM directory answers for");
    assertThat(iam.requests()).isEmpty();
  }

  @Test
  void anIamFailureIsABackendException() {
    iam.failNext(EksFault.accessDenied());

    BackendException e =
        catchThrowableOfType(
            BackendException.class, () -> SsoPermissionSet.named("Admin").roleIn(ACCOUNT, iam));

    assertThat(e.statusCode()).isEqualTo(403);
    assertThat(e.getMessage()).contains("iam:ListRoles");
  }

  @Test
  void rolesAndCallersAreReadBackAsTheirPermissionSet() {
    assertThat(SsoPermissionSet.of(IamRole.of(ADMIN_ARN)))
        .contains(SsoPermissionSet.named("Admin"));
    assertThat(
            SsoPermissionSet.of(
                IamRole.of("arn:aws:iam::111122223333:role/AWSReservedSSO_Admin_ReadOnly_abc123")))
        .contains(SsoPermissionSet.named("Admin_ReadOnly"));
    assertThat(
            SsoPermissionSet.of(
                IamRole.of("arn:aws:iam::111122223333:role/teams/AWSReservedSSO_Admin_abc123")))
        .isEmpty(); // IAM Identity Center never puts its roles there
    assertThat(SsoPermissionSet.of(IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole")))
        .isEmpty();
    assertThat(
            SsoPermissionSet.of(
                Caller.of(
                    "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_abc123/alice@example.com")))
        .contains(SsoPermissionSet.named("Admin"));
    assertThat(SsoPermissionSet.named("Admin").matchesRoleName("AWSReservedSSO_AdminTeam_abc123"))
        .isFalse();
  }

  @Test
  void awsAuthMapsTheRoleWithoutItsPathAndAccessEntriesWithIt() {
    IamRole admin = SsoPermissionSet.named("Admin").roleIn(ACCOUNT, iam);
    Grant admins =
        ClusterAccess.grant(admin).asGroup("acme:admins").bind(ClusterRole.VIEW).clusterWide();

    FakeCluster awsAuth = FakeCluster.awsAuth("prod");
    Plan awsAuthPlan = awsAuth.clusterAccess().plan(admins);
    awsAuthPlan.apply();
    FakeCluster entries = FakeCluster.accessEntries("prod");
    entries.clusterAccess().plan(admins).apply();

    // aws-iam-authenticator compares the session's canonical ARN, role/NAME, as text
    assertThat(awsAuth.state().mappings())
        .extracting(m -> m.principal().arn().value())
        .containsExactly("arn:aws:iam::111122223333:role/AWSReservedSSO_Admin_0123456789abcdef");
    assertThat(awsAuthPlan.warnings()).anyMatch(w -> w.contains("without its path"));
    // EKS refuses the path-less form of an SSO role as an invalid principal
    assertThat(entries.state().mappings())
        .extracting(m -> m.principal().arn().value())
        .containsExactly(ADMIN_ARN);
  }

  @Test
  void anSsoSessionIsExplainedAsThePermissionSetAndTheUser() {
    Caller alice =
        Caller.of(
            "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/alice@example.com");
    Request getPods = Request.verb("get").resource("pods").inNamespace("apps");
    FakeCluster entries = FakeCluster.accessEntries("prod");
    entries.seedAccessEntry(
        IdentityMapping.of(IamRole.of(ADMIN_ARN)).withGroups(java.util.List.of("acme:admins")));
    entries
        .clusterAccess()
        .plan(
            ClusterAccess.grant(IamRole.of(ADMIN_ARN))
                .asGroup("acme:admins")
                .bind(ClusterRole.VIEW)
                .clusterWide())
        .apply();

    Decision d = entries.clusterAccess().explain(alice, getPods);

    assertThat(d.allowed()).isTrue();
    assertThat(d.steps().get(0).text())
        .contains(
            "IAM Identity Center sign-in: permission set \"Admin\", user \"alice@example.com\"")
        .contains("/aws-reserved/sso.amazonaws.com/");
    Decision plain =
        entries
            .clusterAccess()
            .explain(Caller.of("arn:aws:sts::111122223333:assumed-role/Other/bob"), getPods);
    assertThat(plain.steps().get(0).text()).doesNotContain("IAM Identity Center");
  }
}
