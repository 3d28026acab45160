package dev.eksaccess.accessentries;

import dev.eksaccess.api.spi.IdentityBackend;
import dev.eksaccess.testkit.FakeEksApi;
import dev.eksaccess.testkit.IdentityBackendContract;
import org.junit.jupiter.api.AfterEach;

/** The real Access Entries backend, over the real EksClient and a wire-level fake, passes. */
class AccessEntriesBackendContractTest extends IdentityBackendContract {
  private final FakeEksApi api = FakeEksApi.start().addCluster("contract", "API_AND_CONFIG_MAP");

  @AfterEach
  void stop() {
    api.close();
  }

  @Override
  protected IdentityBackend backend() {
    return AccessEntries.backend(AccessEntriesBackendTest.client(api, 3), "contract");
  }
}
