package dev.eksaccess.it;

import dev.eksaccess.testkit.KubeApiContract;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The requests of {@link KubeApiContract}, which {@code FakeKubeApi} answers in every build, sent
 * to a real kube-apiserver: the recorded answers must still be the server's.
 */
class KubeApiContractRealServerTest extends KubeApiContract {
  @RegisterExtension static final RealKubeApi KUBE = new RealKubeApi();

  private HttpClient http;

  @Override
  protected String baseUrl() {
    return KUBE.url();
  }

  @Override
  protected HttpClient httpClient() {
    if (http == null) {
      http = KUBE.httpClient();
    }
    return http;
  }

  @Override
  protected HttpRequest.Builder authorize(HttpRequest.Builder request) {
    return request.header("Authorization", "Bearer " + KUBE.token());
  }
}
