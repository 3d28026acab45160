package dev.eksaccess.kubernetes;

import dev.eksaccess.accessentries.EksToken;
import dev.eksaccess.accessentries.internal.EksErrors;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.credentials.RefreshAuthentication;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.Cluster;

/**
 * Kubernetes {@link ApiClient}s for EKS clusters, without a kubeconfig or the aws CLI.
 *
 * <pre>{@code
 * // from DescribeCluster and the caller's AWS credentials
 * ApiClient k8s = EksClusters.forCluster(eks, "prod", DefaultCredentialsProvider.create());
 * AwsAuthBackend ids = AwsAuth.backend(k8s);
 * }</pre>
 */
public final class EksClusters {
  /** How often the client asks its token supplier for a token; EKS tokens live 15 minutes. */
  public static final Duration TOKEN_REFRESH = Duration.ofMinutes(10);

  private EksClusters() {}

  /**
   * A client for an explicit endpoint that verifies the server against {@code caCertificatePem} and
   * sends the bearer token {@code token} gives, asking again every {@link #TOKEN_REFRESH}. TLS
   * verification cannot be turned off here.
   *
   * <pre>{@code
   * ApiClient k8s = EksClusters.apiClient(endpoint, caPem, EksToken.of(creds, region, "prod"));
   * }</pre>
   *
   * @param endpoint the API server's https URL
   * @param caCertificatePem the cluster's CA certificate, PEM-encoded
   * @param token supplies a bearer token; it is never logged
   * @return the client
   * @throws IllegalArgumentException if the endpoint is not an https URL
   */
  public static ApiClient apiClient(
      String endpoint, byte[] caCertificatePem, Supplier<String> token) {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(caCertificatePem, "caCertificatePem");
    Objects.requireNonNull(token, "token");
    if (!endpoint.startsWith("https://")) {
      throw new IllegalArgumentException(
          "endpoint \""
              + endpoint
              + "\" is not an https URL; an EKS API server endpoint looks like"
              + " https://ABCDEF.gr7.eu-west-1.eks.amazonaws.com.");
    }
    return new ClientBuilder()
        .setBasePath(endpoint)
        .setCertificateAuthority(caCertificatePem.clone())
        .setAuthentication(new RefreshAuthentication(token, TOKEN_REFRESH))
        .build();
  }

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
    return apiClient(c.endpoint(), ca, EksToken.of(credentials, region, cluster));
  }
}
