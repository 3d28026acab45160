package dev.eksaccess.accessentries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.eksaccess.api.AccessPolicy;
import dev.eksaccess.api.Audit;
import dev.eksaccess.api.BackendException;
import dev.eksaccess.api.ClusterAccess;
import dev.eksaccess.api.DeadAccessRepair;
import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.SsoPermissionSet;
import dev.eksaccess.api.spi.IamDirectory;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.testkit.EksFault;
import dev.eksaccess.testkit.FakeEksApi;
import dev.eksaccess.testkit.FakeIam;
import dev.eksaccess.testkit.FakeIamApi;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

/** The IamClient code path, against IAM's query protocol served by {@link FakeIamApi}. */
class IamRolesTest {
  static final String ACCOUNT = "111122223333";
  static final IamRole DEV = IamRole.of("arn:aws:iam::111122223333:role/teams/DevTeamRole");
  static final Instant CREATED = Instant.parse("2025-06-01T00:00:00Z");

  final FakeIam roles = FakeIam.forAccount(ACCOUNT).createRole(DEV.arn().value(), CREATED);
  final FakeIamApi api = FakeIamApi.start(roles);
  final IamClient client =
      IamClient.builder()
          .endpointOverride(URI.create(api.baseUrl()))
          .region(Region.AWS_GLOBAL)
          .credentialsProvider(
              StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "x")))
          .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1)))
          .build();
  final IamDirectory iam = IamRoles.directory(client, ACCOUNT);

  @AfterEach
  void stop() {
    client.close();
    api.close();
  }

  @Test
  void getRoleGivesThePathTheUniqueIdAndTheCreationDate() {
    IamDirectory.RoleDetails r = iam.role(ACCOUNT, "DevTeamRole").orElseThrow();

    assertThat(r.role()).isEqualTo(DEV);
    assertThat(r.roleId()).startsWith("AROA");
    assertThat(r.createDate()).isEqualTo(CREATED);
    assertThat(iam.role(ACCOUNT, "Gone")).isEmpty();
    assertThat(api.requests()).containsExactly("GetRole DevTeamRole", "GetRole Gone");
  }

  @Test
  void accessDeniedIsABackendExceptionThatSaysWhichPermissionIsMissing() {
    api.inject("GetRole", EksFault.accessDenied());

    BackendException e =
        catchThrowableOfType(BackendException.class, () -> iam.role(ACCOUNT, "DevTeamRole"));

    assertThat(e.statusCode()).isEqualTo(403);
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage())
        .contains("IAM GetRole DevTeamRole failed: AccessDenied")
        .contains("iam:GetRole and iam:ListRoles");
    assertThat(e.requestId()).isPresent();
  }

  @Test
  void throttlingIsRetryable() {
    api.inject("GetRole", EksFault.throttling());

    BackendException e =
        catchThrowableOfType(BackendException.class, () -> iam.role(ACCOUNT, "DevTeamRole"));

    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).contains("Throttling");
  }

  @Test
  void listRolesReadsEveryPageUnderThePrefix() {
    for (int i = 0; i < 1001; i++) {
      roles.createRole(
          "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Set"
              + i
              + "_0123456789abcdef",
          CREATED);
    }

    List<IamDirectory.RoleDetails> sso = iam.roles(ACCOUNT, SsoPermissionSet.PATH);

    assertThat(sso).hasSize(1001).noneMatch(r -> r.role().equals(DEV));
    assertThat(api.requests())
        .containsExactly(
            "ListRoles /aws-reserved/sso.amazonaws.com/",
            "ListRoles /aws-reserved/sso.amazonaws.com/");
    IamRole set7 = SsoPermissionSet.named("Set7").roleIn(ACCOUNT, iam);
    assertThat(set7.path()).isEqualTo("/aws-reserved/sso.amazonaws.com/eu-west-1/");
  }

  @Test
  void badInputsAreRefusedBeforeAnyCall() {
    assertThat(
            catchThrowableOfType(
                    InvalidInputException.class, () -> IamRoles.directory(client, "1234"))
                .code())
        .isEqualTo(ErrorCode.INVALID_ARGUMENT);
    assertThat(
            catchThrowableOfType(
                    InvalidInputException.class, () -> iam.role("444455556666", "DevTeamRole"))
                .getMessage())
        .contains("IAM sees only its credentials' account");
    assertThat(
            catchThrowableOfType(InvalidInputException.class, () -> iam.roles(ACCOUNT, "no-slash"))
                .code())
        .isEqualTo(ErrorCode.INVALID_ARGUMENT);
    assertThat(api.requests()).isEmpty();
    assertThat(iam.covers("444455556666")).isFalse();
  }

  @Test
  void anEntryLeftDeadByARoleCreatedAgainIsFoundAndRepairedOverTheRealClients() {
    try (FakeEksApi eksApi = FakeEksApi.start().addCluster("prod", "API_AND_CONFIG_MAP")) {
      AccessEntriesBackend entries =
          AccessEntries.backend(AccessEntriesBackendTest.client(eksApi, 1), "prod");
      ClusterAccess prod =
          ClusterAccess.builder().clusterName("prod").identities(entries).iam(iam).build();
      prod.plan(ClusterAccess.grant(DEV).asGroup("acme:devs").bind(AccessPolicy.VIEW).clusterWide())
          .apply();
      assertThat(prod.audit().findings()).isEmpty();
      IdentityMapping before = entries.read().mappings().get(0);
      Instant entryCreated = entries.read().createdAtOf(before).orElseThrow();

      roles.deleteRole("DevTeamRole").createRole(DEV.arn().value(), entryCreated.plusMillis(1));

      assertThat(prod.audit().findings())
          .extracting(Audit.Finding::code)
          .containsExactly(Audit.Finding.Code.DEAD_ENTRY_ROLE_RECREATED);
      DeadAccessRepair repair = prod.planRepairDeadAccess();
      assertThat(repair.changes()).hasSize(1);

      repair.apply();

      assertThat(eksApi.requests())
          .containsSubsequence("DeleteAccessEntry " + DEV, "CreateAccessEntry");
      assertThat(entries.read().mappings()).containsExactly(before);
      assertThat(entries.read().createdAtOf(before).orElseThrow()).isAfter(entryCreated);
      assertThat(prod.audit().findings()).isEmpty();
    }
  }
}
