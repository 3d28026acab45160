package dev.eksaccess.accessentries;

import dev.eksaccess.api.spi.IdentityBackend;
import dev.eksaccess.testkit.AccessEntriesBackendContract;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;

/** The real Access Entries backend passes the Access-Entries-specific contract. */
class AccessEntriesSpecificContractTest extends AccessEntriesBackendContract {
  @Override
  protected IdentityBackend backend(String baseUrl, String cluster) {
    return AccessEntries.backend(
        EksClient.builder()
            .endpointOverride(URI.create(baseUrl))
            .region(Region.US_WEST_2)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "x")))
            .build(),
        cluster);
  }
}
