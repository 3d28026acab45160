package dev.eksaccess.it;

import dev.eksaccess.api.spi.RbacBackend;
import dev.eksaccess.rbac.Rbac;
import dev.eksaccess.testkit.RbacBackendContract;
import io.kubernetes.client.openapi.ApiException;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The RBAC backend passes its contract against a real kube-apiserver, in a namespace per test. */
class RbacContractRealServerTest extends RbacBackendContract {
  @RegisterExtension static final RealKubeApi KUBE = new RealKubeApi();

  @Override
  protected String namespace() {
    try {
      return KUBE.namespace();
    } catch (ApiException e) {
      throw new IllegalStateException("cannot create the test's namespace: " + e.getMessage(), e);
    }
  }

  @Override
  protected RbacBackend backend() {
    return Rbac.backend(KUBE.client());
  }
}
