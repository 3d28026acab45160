package dev.eksaccess.kubernetes;

import dev.eksaccess.accessentries.EksToken;
import dev.eksaccess.accessentries.support.EksErrors;
import io.kubernetes.client.openapi.ApiClient;
import java.util.Base64;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.Cluster;

/**
 * Kubernetes {@link ApiClient}s for EKS clusters, from DescribeCluster, without a kubeconfig or the
 * aws CLI. Needs {@code sdk-access-entries} (and so the AWS SDK) on the class path; {@link
 * KubeClients} does not.
 *
 * <pre>{@code
 * // from DescribeCluster and the caller's AWS credentials
 * ApiClient k8s = EksClusters.forCluster(eks, "prod", DefaultCredentialsProvider.create());
 * AwsAuthBackend ids = AwsAuth.backend(k8s);
 * }</pre>
 */
public final class EksClusters {
  private EksClusters() {}

  /**
   * A client for an EKS cluster: its endpoint and CA from DescribeCluster, and tokens made from
   * {@code credentials} ({@link EksToken}). Needs {@code sdk-access-entries} on the class path.
   *
   * @param eks the EKS client; its region is the cluster's
   * @param cluster the cluster's name
   * @param credentials the AWS credentials the cluster should see (they map through aws-auth or an
   *     access entry)
   * @return the client
   * @throws dev.eksaccess.api.BackendException if DescribeCluster fails
   */
  public static ApiClient forCluster(
      EksClient eks, String cluster, AwsCredentialsProvider credentials) {
    Objects.requireNonNull(eks, "eks");
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(credentials, "credentials");
    Cluster c;
    try {
      c = eks.describeCluster(b -> b.name(cluster)).cluster();
    } catch (SdkException e) {
      throw EksErrors.failure("DescribeCluster " + cluster, e);
    }
    Region region =
        Objects.requireNonNull(
            eks.serviceClientConfiguration().region(), "the EKS client has no region");
    byte[] ca = Base64.getDecoder().decode(c.certificateAuthority().data());
    return KubeClients.forEndpoint(c.endpoint(), ca, EksToken.of(credentials, region, cluster));
  }
}
