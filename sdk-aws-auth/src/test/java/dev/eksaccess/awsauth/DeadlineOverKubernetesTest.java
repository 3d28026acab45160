package dev.eksaccess.awsauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.eksaccess.api.BackendException;
import dev.eksaccess.api.ClusterAccess;
import dev.eksaccess.api.DeadlineExceededException;
import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.RetryPolicy;
import dev.eksaccess.kubernetes.KubeClients;
import dev.eksaccess.testkit.FakeKubeApi;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A deadline bounds a Kubernetes request in flight, through the real client against the wire fake:
 * a slow API server costs the caller its timeout, not the request's whole latency.
 */
class DeadlineOverKubernetesTest {
  final FakeKubeApi api = FakeKubeApi.start();

  @AfterEach
  void stop() {
    api.close();
  }

  ClusterAccess over(ApiClient client) {
    return ClusterAccess.builder()
        .clusterName("prod")
        .identities(AwsAuth.backend(client))
        .timeout(Duration.ofMillis(400))
        .build();
  }

  @Test
  void aClientWithDeadlinesIsCutAtTheDeadline() {
    api.latency(Duration.ofSeconds(3));
    ApiClient client =
        KubeClients.withDeadlines(new ClientBuilder().setBasePath(api.baseUrl()).build());

    DeadlineExceededException e =
        assertTimeoutPreemptively(
            Duration.ofMillis(2_500),
            () -> catchThrowableOfType(DeadlineExceededException.class, over(client)::audit));

    assertThat(e.code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
    assertThat(e).hasMessageContaining("PT0.4S");
  }

  @Test
  void theClientsOwnShorterTimeoutStandsUnderALongDeadline() {
    api.latency(Duration.ofSeconds(2));
    ApiClient client =
        KubeClients.withDeadlines(
            new ClientBuilder()
                .setBasePath(api.baseUrl())
                .setReadTimeout(Duration.ofMillis(300))
                .build());
    ClusterAccess prod =
        ClusterAccess.builder()
            .clusterName("prod")
            .identities(AwsAuth.backend(client))
            .retryPolicy(RetryPolicy.none())
            .timeout(Duration.ofSeconds(30))
            .build();

    BackendException e =
        assertTimeoutPreemptively(
            Duration.ofMillis(1_800),
            () -> catchThrowableOfType(BackendException.class, prod::audit));

    assertThat(e).as("the read timed out at the client's 300 ms, not the deadline").isNotNull();
  }

  @Test
  void installingTwiceAddsOneInterceptor() {
    ApiClient client = new ClientBuilder().setBasePath(api.baseUrl()).build();
    int before = client.getHttpClient().interceptors().size();

    KubeClients.withDeadlines(KubeClients.withDeadlines(client));

    assertThat(client.getHttpClient().interceptors()).hasSize(before + 1);
  }
}
