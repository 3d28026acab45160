package dev.eksaccess.accessentries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.eksaccess.api.BackendException;
import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.Guard;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.UnsafeChangeException;
import dev.eksaccess.testkit.EksFault;
import dev.eksaccess.testkit.FakeEksApi;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AuthenticationModesTest {
  static final String ADMIN = "arn:aws:iam::111122223333:role/Admin";

  final FakeEksApi api = FakeEksApi.start();

  @AfterEach
  void stop() {
    api.close();
  }

  AuthenticationModes modes(String cluster) {
    return AuthenticationModes.builder(AccessEntriesBackendTest.client(api, 1), cluster)
        .pollInterval(Duration.ofMillis(1))
        .build();
  }

  @Test
  void aLegacyClusterWithoutAccessConfigIsConfigMap() {
    api.addLegacyCluster("old");

    assertThat(modes("old").current()).isEqualTo(AuthenticationMode.CONFIG_MAP);
  }

  @Test
  void theLadderIsWalkedOneStepAtATimeEachPolledToItsEnd() {
    api.addCluster("prod", "CONFIG_MAP").pollsPerUpdate(3);
    AuthenticationModes prod = modes("prod");

    AuthenticationModes.ModeChange first = prod.plan(AuthenticationMode.API_AND_CONFIG_MAP);
    assertThat(first.toString())
        .contains("CONFIG_MAP → API_AND_CONFIG_MAP")
        .contains("cannot be undone");
    first.apply();
    assertThat(api.authenticationMode("prod")).isEqualTo("API_AND_CONFIG_MAP");
    assertThat(api.count("DescribeUpdate")).isEqualTo(3);

    api.putEntry("prod", ADMIN, "STANDARD", "admin", List.of());
    api.putPolicy("prod", ADMIN, "AmazonEKSClusterAdminPolicy");
    AuthenticationModes.ModeChange second = prod.plan(AuthenticationMode.API);
    assertThat(second.violations()).isEmpty();
    assertThat(second.toString()).contains("aws-auth stops counting");
    second.apply();
    assertThat(prod.current()).isEqualTo(AuthenticationMode.API);
  }

  @Test
  void skipsStepsBackAndSameModeMovesAreRefusedBeforeCallingAws() {
    api.addCluster("prod", "CONFIG_MAP");
    api.addCluster("done", "API");

    var skip =
        catchThrowableOfType(
            InvalidInputException.class, () -> modes("prod").plan(AuthenticationMode.API));
    assertThat(skip.code()).isEqualTo(ErrorCode.INVALID_MODE_CHANGE);
    assertThat(skip.getMessage()).contains("move to API_AND_CONFIG_MAP first");
    assertThat(
            catchThrowableOfType(
                    InvalidInputException.class,
                    () -> modes("prod").plan(AuthenticationMode.CONFIG_MAP))
                .getMessage())
        .contains("already in CONFIG_MAP");
    assertThat(
            catchThrowableOfType(
                    InvalidInputException.class,
                    () -> modes("done").plan(AuthenticationMode.API_AND_CONFIG_MAP))
                .getMessage())
        .contains("never moves a cluster back");
    assertThat(api.count("UpdateClusterConfig")).isZero();
  }

  @Test
  void theMoveToApiNeedsAClusterAdminEntryUnlessForced() {
    api.addCluster("prod", "API_AND_CONFIG_MAP");
    api.putEntry("prod", ADMIN, "STANDARD", "admin", List.of());
    api.putPolicy("prod", ADMIN, "AmazonEKSClusterAdminPolicy", "kube-system"); // not cluster-wide

    AuthenticationModes.ModeChange move = modes("prod").plan(AuthenticationMode.API);
    var refused = catchThrowableOfType(UnsafeChangeException.class, move::apply);
    assertThat(refused.code()).isEqualTo(ErrorCode.LOCKOUT_AUTH_MODE);
    assertThat(refused.getMessage()).contains("nobody could administer cluster prod");
    assertThat(api.count("UpdateClusterConfig")).isZero();

    move.force(Guard.AUTH_MODE_ADMIN).apply();
    assertThat(api.authenticationMode("prod")).isEqualTo("API");
  }

  @Test
  void theAdminEntryIsLookedForAgainWhenTheMoveToApiIsApplied() {
    api.addCluster("prod", "API_AND_CONFIG_MAP");
    api.putEntry("prod", ADMIN, "STANDARD", "admin", List.of());
    api.putPolicy("prod", ADMIN, "AmazonEKSClusterAdminPolicy");
    AuthenticationModes.ModeChange move = modes("prod").plan(AuthenticationMode.API);
    assertThat(move.violations()).isEmpty();

    api.removeEntry("prod", ADMIN); // revoked between review and apply

    var refused = catchThrowableOfType(UnsafeChangeException.class, move::apply);
    assertThat(refused.getMessage()).contains("nobody could administer cluster prod");
    assertThat(api.count("UpdateClusterConfig")).isZero();
    assertThat(api.authenticationMode("prod")).isEqualTo("API_AND_CONFIG_MAP");
  }

  @Test
  void aDroppedAnswerToTheModeUpdateIsRetriedAsTheSameUpdate() {
    api.addCluster("prod", "CONFIG_MAP").pollsPerUpdate(2);
    api.inject("UpdateClusterConfig", EksFault.droppedAfterCommit());
    AuthenticationModes prod =
        AuthenticationModes.builder(AccessEntriesBackendTest.client(api, 3), "prod")
            .pollInterval(Duration.ofMillis(1))
            .build();

    prod.plan(AuthenticationMode.API_AND_CONFIG_MAP).apply();

    assertThat(api.count("UpdateClusterConfig")).isEqualTo(2);
    assertThat(api.authenticationMode("prod")).isEqualTo("API_AND_CONFIG_MAP");
  }

  @Test
  void aFailedUpdateAndOneThatOutlastsTheTimeoutSaySo() {
    api.addCluster("prod", "CONFIG_MAP").failNextUpdate();

    var failed =
        catchThrowableOfType(
            BackendException.class,
            () -> modes("prod").plan(AuthenticationMode.API_AND_CONFIG_MAP).apply());
    assertThat(failed.getMessage()).contains("ended Failed").contains("the mode is unchanged");
    assertThat(api.authenticationMode("prod")).isEqualTo("CONFIG_MAP");

    api.pollsPerUpdate(1_000_000);
    var slow =
        catchThrowableOfType(
            BackendException.class,
            () ->
                AuthenticationModes.builder(AccessEntriesBackendTest.client(api, 1), "prod")
                    .pollInterval(Duration.ofMillis(1))
                    .timeout(Duration.ofMillis(50))
                    .build()
                    .plan(AuthenticationMode.API_AND_CONFIG_MAP)
                    .apply());
    assertThat(slow.getMessage()).contains("still in progress").contains("DescribeUpdate");
  }
}
