package dev.eksaccess.testkit;

import dev.eksaccess.api.spi.IdentityBackend;
import dev.eksaccess.api.spi.RbacBackend;
import org.junit.jupiter.api.Nested;

/** The testkit's own fakes pass the contracts every real backend passes. */
class InMemoryContractTest {
  @Nested
  class AwsAuthFake extends IdentityBackendContract {
    @Override
    protected IdentityBackend backend() {
      return Fakes.awsAuth(ClusterState.empty("contract"));
    }
  }

  @Nested
  class AccessEntriesFake extends IdentityBackendContract {
    @Override
    protected IdentityBackend backend() {
      return Fakes.accessEntries(ClusterState.empty("contract"));
    }
  }

  @Nested
  class RbacFake extends RbacBackendContract {
    @Override
    protected RbacBackend backend() {
      return Fakes.rbac(ClusterState.empty("contract").addNamespaces("apps"));
    }
  }
}
