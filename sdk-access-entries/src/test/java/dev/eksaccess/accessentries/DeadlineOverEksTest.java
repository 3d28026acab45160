package dev.eksaccess.accessentries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.eksaccess.api.BackendException;
import dev.eksaccess.api.ClusterAccess;
import dev.eksaccess.api.ClusterRole;
import dev.eksaccess.api.DeadlineExceededException;
import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.RetryPolicy;
import dev.eksaccess.api.spi.IdentityBackend;
import dev.eksaccess.testkit.ClusterState;
import dev.eksaccess.testkit.FakeEksApi;
import dev.eksaccess.testkit.Fakes;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksAsyncClient;
import software.amazon.awssdk.services.eks.EksClient;

/**
 * A deadline reaches every EKS request, sync and async, through the real AWS SDK against the wire
 * fake: a slow EKS costs the caller its timeout, not the call's whole latency.
 */
class DeadlineOverEksTest {
  static final IamRole DEV = IamRole.of("arn:aws:iam::111122223333:role/Dev");

  final FakeEksApi api = FakeEksApi.start().addCluster("prod", "API_AND_CONFIG_MAP");

  @AfterEach
  void stop() {
    api.close();
  }

  ClusterAccess over(IdentityBackend ids) {
    return ClusterAccess.builder()
        .clusterName("prod")
        .identities(ids)
        .rbac(Fakes.rbac(ClusterState.withDefaultRoles("prod")))
        .timeout(Duration.ofMillis(400))
        .build();
  }

  @Test
  void aSlowEksCallIsCutAtTheDeadlineOnTheSyncClient() {
    api.putEntry("prod", DEV.arn().value(), "STANDARD", "dev", List.of("acme:devs"));
    api.latency(Duration.ofSeconds(3));
    ClusterAccess prod =
        over(AccessEntries.backend(AccessEntriesBackendTest.client(api, 1), "prod"));

    DeadlineExceededException e =
        assertTimeoutPreemptively(
            Duration.ofMillis(2_500),
            () -> catchThrowableOfType(DeadlineExceededException.class, prod::audit));

    assertThat(e.code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
    assertThat(e).hasMessageContaining("PT0.4S").hasCauseInstanceOf(ApiCallTimeoutException.class);
  }

  @Test
  void theClientsOwnShorterApiCallTimeoutStandsUnderALongDeadline() {
    api.latency(Duration.ofSeconds(3));
    try (EksClient eks =
        EksClient.builder()
            .endpointOverride(URI.create(api.baseUrl()))
            .region(Region.US_WEST_2)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
            .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofMillis(300)))
            .build()) {
      ClusterAccess prod =
          ClusterAccess.builder()
              .clusterName("prod")
              .identities(AccessEntries.backend(eks, "prod"))
              .rbac(Fakes.rbac(ClusterState.withDefaultRoles("prod")))
              .retryPolicy(RetryPolicy.none())
              .timeout(Duration.ofSeconds(30))
              .build();

      BackendException e =
          assertTimeoutPreemptively(
              Duration.ofMillis(2_500),
              () -> catchThrowableOfType(BackendException.class, prod::audit));

      assertThat(e).as("cut at the client's 300 ms, not the 30 s deadline").isNotNull();
      assertThat(e).isNotInstanceOf(DeadlineExceededException.class);
    }
  }

  @Test
  void theAsyncClientIsNotJoinedPastTheDeadline() {
    api.latency(Duration.ofSeconds(3));
    try (EksAsyncClient async = AccessEntriesBackendTest.asyncClient(api)) {
      ClusterAccess prod = over(AccessEntries.backend(async, "prod"));

      DeadlineExceededException e =
          assertTimeoutPreemptively(
              Duration.ofMillis(2_500),
              () ->
                  catchThrowableOfType(
                      DeadlineExceededException.class,
                      () ->
                          prod.plan(
                                  ClusterAccess.grant(DEV)
                                      .asGroup("acme:devs")
                                      .bind(ClusterRole.VIEW)
                                      .inNamespace("apps"))
                              .apply()));

      assertThat(e.code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
      assertThat(api.principals("prod")).as("nothing was written").isEmpty();
    }
  }
}
