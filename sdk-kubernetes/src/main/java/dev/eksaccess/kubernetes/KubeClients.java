package dev.eksaccess.kubernetes;

import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.kubernetes.internal.DeadlineTimeouts;
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
    return withDeadlines(
        new ClientBuilder()
            .setBasePath(endpoint)
            .setCertificateAuthority(caCertificatePem.clone())
            .setAuthentication(new PerRequestToken(token))
            .build());
  }

  /**
   * Makes {@code client} give each request only the time left by the deadline of the operation it
   * serves ({@link dev.eksaccess.api.ClusterAccess.Builder#timeout}): connect, write and read of
   * each request are bounded by it, and a request is not sent once it has passed. Clients from
   * {@link #forEndpoint} and {@link EksClusters} already do this; call it on a client you built
   * yourself. Without a deadline, the client's own timeouts stand. It replaces the client's OkHttp
   * client with one that shares its connection pool and adds one interceptor.
   *
   * <pre>{@code
   * ApiClient client = KubeClients.withDeadlines(Config.defaultClient());
   * }</pre>
   *
   * @param client the client
   * @return the same client
   */
  public static ApiClient withDeadlines(ApiClient client) {
    Objects.requireNonNull(client, "client");
    boolean installed =
        client.getHttpClient().interceptors().stream().anyMatch(i -> i instanceof DeadlineTimeouts);
    if (!installed) {
      client.setHttpClient(
          client.getHttpClient().newBuilder().addInterceptor(new DeadlineTimeouts()).build());
    }
    return client;
  }
}
