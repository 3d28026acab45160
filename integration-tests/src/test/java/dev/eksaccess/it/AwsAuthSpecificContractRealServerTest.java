package dev.eksaccess.it;

import dev.eksaccess.api.spi.IdentityBackend;
import dev.eksaccess.awsauth.AwsAuth;
import dev.eksaccess.testkit.AwsAuthBackendContract;
import io.kubernetes.client.openapi.ApiException;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The aws-auth-specific contract (lossless edits, an unreadable section never overwritten, no
 * needless write) against a real kube-apiserver instead of {@code FakeKubeApi}.
 */
class AwsAuthSpecificContractRealServerTest extends AwsAuthBackendContract {
  @RegisterExtension static final RealKubeApi KUBE = new RealKubeApi();

  @Override
  protected IdentityBackend backend(String baseUrl) {
    return backend();
  }

  @Override
  protected IdentityBackend backend() {
    take();
    return AwsAuth.backend(KUBE.client());
  }

  @Override
  protected void seedAwsAuth(Map<String, String> data) {
    try {
      KUBE.putAwsAuth(data);
    } catch (ApiException | IOException e) {
      throw new IllegalStateException("cannot store kube-system/aws-auth: " + e.getMessage(), e);
    }
  }

  @Override
  protected Map<String, String> awsAuthData() {
    try {
      Map<String, String> data = KUBE.awsAuthData();
      if (data == null) {
        throw new AssertionError("there is no kube-system/aws-auth");
      }
      return data;
    } catch (ApiException e) {
      throw new IllegalStateException("cannot read kube-system/aws-auth: " + e.getMessage(), e);
    }
  }

  @Override
  protected long writeRequests() {
    return KUBE.writes();
  }

  private static void take() {
    try {
      KUBE.takeAwsAuth();
    } catch (ApiException | IOException e) {
      throw new IllegalStateException("cannot take kube-system/aws-auth: " + e.getMessage(), e);
    }
  }
}
