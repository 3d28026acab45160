package dev.eksaccess.kubernetes;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.credentials.RefreshAuthentication;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Kubernetes {@link ApiClient}s for an API server endpoint, with TLS verification always on.
 *
 * <pre>{@code
 * ApiClient k8s = KubeClients.forEndpoint(endpoint, caPem, EksToken.of(creds, region, "prod"));
 * }</pre>
 */
public final class KubeClients {
  /** How often the client asks its token supplier for a token; EKS tokens live 15 minutes. */
  public static final Duration TOKEN_REFRESH = Duration.ofMinutes(10);

  private KubeClients() {}

  /**
   * A client for an explicit endpoint that verifies the server against {@code caCertificatePem} and
   * sends the bearer token {@code token} gives, asking again every {@link #TOKEN_REFRESH}. TLS
   * verification cannot be turned off here.
   *
   * <pre>{@code
   * ApiClient k8s = KubeClients.forEndpoint(endpoint, caPem, EksToken.of(creds, region, "prod"));
   * }</pre>
   *
   * @param endpoint the API server's https URL
   * @param caCertificatePem the cluster's CA certificate, PEM-encoded
   * @param token supplies a bearer token; it is never logged
   * @return the client
   * @throws IllegalArgumentException if the endpoint is not an https URL
   */
  public static ApiClient forEndpoint(
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
}
