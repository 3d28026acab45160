package dev.eksaccess.awsauth;

import dev.eksaccess.api.spi.IdentityBackend;
import dev.eksaccess.testkit.FakeKubeApi;
import dev.eksaccess.testkit.IdentityBackendContract;
import io.kubernetes.client.util.ClientBuilder;
import org.junit.jupiter.api.AfterEach;

/** The real aws-auth backend, over the real client and a wire-level fake, passes the contract. */
class AwsAuthBackendContractTest extends IdentityBackendContract {
  // JUnit makes an instance per test, so each test gets its own fresh server
  private final FakeKubeApi api = FakeKubeApi.start();

  @AfterEach
  void stop() {
    api.close();
  }

  @Override
  protected IdentityBackend backend() {
    return AwsAuth.backend(new ClientBuilder().setBasePath(api.baseUrl()).build());
  }
}
