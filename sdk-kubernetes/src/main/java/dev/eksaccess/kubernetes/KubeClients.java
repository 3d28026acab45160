package dev.eksaccess.kubernetes;

import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.kubernetes.internal.PerRequestToken;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
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
  /**
   * How often clients made here used to ask their token supplier for a token.
   *
   * @deprecated clients made by {@link #forEndpoint} now ask the supplier for every request, so a
   *     token's age is the supplier's decision alone (an {@code EksToken} never hands out one older
   *     than 4 minutes); this period is no longer used.
   */
  @Deprecated public static final Duration TOKEN_REFRESH = Duration.ofMinutes(10);

  private KubeClients() {}

  /**
   * A client for an explicit endpoint that verifies the server against {@code caCertificatePem} and
   * sends the bearer token {@code token} gives, asking it for every request (so the supplier alone
   * decides how old a token may be: keep its own cache cheap, as {@code EksToken} does, which never
   * hands out a token older than 4 minutes). TLS verification cannot be turned off here.
   *
   * <pre>{@code
   * ApiClient k8s = KubeClients.forEndpoint(endpoint, caPem, EksToken.of(creds, region, "prod"));
   * }</pre>
   *
   * @param endpoint the API server's https URL
   * @param caCertificatePem the cluster's CA certificate, PEM-encoded
   * @param token supplies a bearer token, asked for every request; it is never logged
   * @return the client
   * @throws InvalidInputException if the endpoint is not an https URL
   */
  public static ApiClient forEndpoint(
      String endpoint, byte[] caCertificatePem, Supplier<String> token) {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(caCertificatePem, "caCertificatePem");
    Objects.requireNonNull(token, "token");
    if (!endpoint.startsWith("https://")) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_ARGUMENT,
          "endpoint",
          endpoint,
          "is not an https URL; an EKS API server endpoint looks like"
              + " https://ABCDEF.gr7.eu-west-1.eks.amazonaws.com.");
    }
    return new ClientBuilder()
        .setBasePath(endpoint)
        .setCertificateAuthority(caCertificatePem.clone())
        .setAuthentication(new PerRequestToken(token))
        .build();
  }
}
