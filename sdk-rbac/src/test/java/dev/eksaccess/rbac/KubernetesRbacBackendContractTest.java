package dev.eksaccess.rbac;

import dev.eksaccess.api.spi.RbacBackend;
import dev.eksaccess.testkit.FakeKubeApi;
import dev.eksaccess.testkit.RbacBackendContract;
import io.kubernetes.client.util.ClientBuilder;
import org.junit.jupiter.api.AfterEach;

/** The real RBAC backend, over the real client and a wire-level fake, passes the contract. */
class KubernetesRbacBackendContractTest extends RbacBackendContract {
  // JUnit makes an instance per test, so each test gets its own fresh server
  private final FakeKubeApi api = FakeKubeApi.start().addNamespace("apps");

  @AfterEach
  void stop() {
    api.close();
  }

  @Override
  protected RbacBackend backend() {
    return Rbac.backend(new ClientBuilder().setBasePath(api.baseUrl()).build());
  }
}
