package dev.eksaccess.it;

import dev.eksaccess.api.spi.IdentityBackend;
import dev.eksaccess.awsauth.AwsAuth;
import dev.eksaccess.testkit.IdentityBackendContract;
import io.kubernetes.client.openapi.ApiException;
import java.io.IOException;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The aws-auth backend, over the real Kubernetes client, passes the identity contract against a
 * real kube-apiserver; each test holds kube-system/aws-auth alone and gets it back as it was.
 */
class AwsAuthContractRealServerTest extends IdentityBackendContract {
  @RegisterExtension static final RealKubeApi KUBE = new RealKubeApi();

  @Override
  protected IdentityBackend backend() {
    try {
      KUBE.takeAwsAuth();
    } catch (ApiException | IOException e) {
      throw new IllegalStateException("cannot take kube-system/aws-auth: " + e.getMessage(), e);
    }
    return AwsAuth.backend(KUBE.client());
  }
}
