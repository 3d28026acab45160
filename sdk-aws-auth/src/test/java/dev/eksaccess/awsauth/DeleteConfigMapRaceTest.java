package dev.eksaccess.awsauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.eksaccess.api.ConflictException;
import dev.eksaccess.api.spi.Version;
import dev.eksaccess.testkit.FakeKubeApi;
import io.kubernetes.client.util.ClientBuilder;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code deleteConfigMap} sends its reviewed version as a DELETE precondition, so a writer that
 * changes aws-auth between the check and the DELETE is not deleted with it: the API server refuses
 * the DELETE (409) and keeps the ConfigMap, and so does {@link FakeKubeApi} (it used to delete).
 */
class DeleteConfigMapRaceTest {
  final FakeKubeApi api = FakeKubeApi.start();

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void aWriteBetweenTheCheckAndTheDeleteKeepsTheConfigMap() {
    api.putConfigMap("kube-system", "aws-auth", Map.of("mapRoles", "[]\n"));
    AwsAuthBackend ids = AwsAuth.backend(new ClientBuilder().setBasePath(api.baseUrl()).build());
    Version reviewed = ids.read().version();
    api.beforeNext(
        "DELETE",
        () ->
            api.putConfigMap(
                "kube-system",
                "aws-auth",
                Map.of("mapRoles", "- rolearn: arn:aws:iam::111122223333:role/Late\n")));

    Throwable e = catchThrowable(() -> ids.deleteConfigMap(reviewed));

    assertThat(e).isInstanceOf(ConflictException.class);
    assertThat(api.configMapData("kube-system", "aws-auth"))
        .hasValueSatisfying(d -> assertThat(d.get("mapRoles")).contains("role/Late"));
    assertThat(api.pendingFaults()).isZero();
  }
}
