package dev.eksaccess.awsauth;

import dev.eksaccess.api.spi.IdentityBackend;
import dev.eksaccess.testkit.AwsAuthBackendContract;
import io.kubernetes.client.util.ClientBuilder;

/** The real aws-auth backend passes the aws-auth-specific contract (lossless, refusing). */
class AwsAuthSpecificContractTest extends AwsAuthBackendContract {
  @Override
  protected IdentityBackend backend(String baseUrl) {
    return AwsAuth.backend(new ClientBuilder().setBasePath(baseUrl).build());
  }
}
