package dev.eksaccess.awsauth;

import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.spi.IdentityBackend;
import dev.eksaccess.kubernetes.KubeClients;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Entry points to the {@code kube-system/aws-auth} backend over the official Kubernetes Java
 * client.
 *
 * <pre>{@code
 * ApiClient client = AwsAuth.apiClient(Path.of(System.getProperty("user.home"), ".kube/config"),
 *     "arn:aws:eks:eu-west-1:111122223333:cluster/prod");
 * ClusterAccess prod = ClusterAccess.builder()
 *     .clusterName("prod")
 *     .identities(AwsAuth.backend(client))
 *     .rbac(rbacBackend)
 *     .build();
 * }</pre>
 */
public final class AwsAuth {
  /**
   * How often credentials from a kubeconfig {@code exec} plugin are fetched again: EKS tokens live
   * 15 minutes, so a long-lived process must refresh them before that ({@code aws eks get-token}
   * signs a new token each time it runs). A token supplier given to {@link #apiClient(String,
   * byte[], Supplier)} is asked for every request instead.
   */
  public static final Duration TOKEN_REFRESH = Duration.ofMinutes(10);

  private AwsAuth() {}

  /**
   * aws-auth read from a saved manifest, with no cluster connection: for explaining, {@code
   * whoCan}, auditing and planning offline. The file is what {@code kubectl get configmap aws-auth
   * -n kube-system -o yaml} prints, or a dump of many objects (several documents or a {@code kind:
   * List}) that holds it. The backend is read-only: writing anything throws {@link
   * UnsupportedOperationException}.
   *
   * <pre>{@code
   * ClusterAccess offline = ClusterAccess.builder().clusterName("prod")
   *     .identities(AwsAuth.offline(Path.of("aws-auth.yaml")))
   *     .rbac(Rbac.offline(Rbac.fromYaml(Path.of("rbac.yaml"))))
   *     .build();
   * System.out.println(offline.explain(jane, Request.verb("delete").resource("pods").inNamespace("prod-apps")));
   * }</pre>
   *
   * @param manifest the manifest file
   * @return the read-only backend
   * @throws IOException if the file cannot be read
   * @throws dev.eksaccess.api.InvalidInputException if the file is not YAML or holds no
   *     kube-system/aws-auth ConfigMap, naming the file (and line) and what to save instead
   */
  public static IdentityBackend offline(Path manifest) throws IOException {
    Objects.requireNonNull(manifest, "manifest");
    return OfflineAwsAuth.of(
        manifest.toString(), Files.readString(manifest, StandardCharsets.UTF_8));
  }

  /**
   * aws-auth read from manifest text; see {@link #offline(Path)}.
   *
   * @param manifestYaml the manifest
   * @return the read-only backend
   * @throws dev.eksaccess.api.InvalidInputException if the text is not YAML or holds no
   *     kube-system/aws-auth ConfigMap
   */
  public static IdentityBackend offline(String manifestYaml) {
    return OfflineAwsAuth.of(
        "aws-auth manifest", Objects.requireNonNull(manifestYaml, "manifestYaml"));
  }

  /**
   * The backend over {@code client}, with the default options.
   *
   * <pre>{@code
   * IdentityBackend ids = AwsAuth.backend(client);
   * }</pre>
   *
   * @param client the Kubernetes client
   * @return the backend
   */
  public static AwsAuthBackend backend(ApiClient client) {
    return builder(client).build();
  }

  /**
   * A builder for the backend over {@code client}, to set retries, server dry-run or the acting
   * caller.
   *
   * <pre>{@code
   * AwsAuthBackend ids = AwsAuth.builder(client)
   *     .retryPolicy(RetryPolicy.of(10, Duration.ofMillis(50), Duration.ofSeconds(2)))
   *     .build();
   * }</pre>
   *
   * @param client the Kubernetes client
   * @return the builder
   */
  public static AwsAuthBackend.Builder builder(ApiClient client) {
    return new AwsAuthBackend.Builder(Objects.requireNonNull(client, "client"));
  }

  /**
   * The backend for one context of a kubeconfig file.
   *
   * <pre>{@code
   * AwsAuthBackend ids = AwsAuth.backend(Path.of("/home/jane/.kube/config"), "prod");
   * }</pre>
   *
   * @param kubeconfig the kubeconfig file
   * @param context the context to use, or null for the file's {@code current-context}
   * @return the backend
   * @throws IOException if the file cannot be read
   * @throws InvalidInputException if the file has no such context
   */
  public static AwsAuthBackend backend(Path kubeconfig, @Nullable String context)
      throws IOException {
    return backend(apiClient(kubeconfig, context));
  }

  /**
   * A Kubernetes client for one context of a kubeconfig file. Relative certificate paths resolve
   * against the file's folder; {@code exec} credentials (such as {@code aws eks get-token}) are
   * fetched again every {@link #TOKEN_REFRESH}, so the client outlives one EKS token.
   *
   * @param kubeconfig the kubeconfig file
   * @param context the context to use, or null for the file's {@code current-context}
   * @return the client
   * @throws IOException if the file cannot be read
   * @throws InvalidInputException if the file has no such context
   */
  public static ApiClient apiClient(Path kubeconfig, @Nullable String context) throws IOException {
    Objects.requireNonNull(kubeconfig, "kubeconfig");
    KubeConfig config;
    try (Reader in = Files.newBufferedReader(kubeconfig, StandardCharsets.UTF_8)) {
      config = KubeConfig.loadKubeConfig(in);
    }
    Path folder = kubeconfig.toAbsolutePath().getParent();
    if (folder != null) {
      config.setFile(folder.resolve(kubeconfig.getFileName()).toFile());
    }
    if (context != null && !config.setContext(context)) {
      throw new InvalidInputException(
          ErrorCode.INVALID_ARGUMENT,
          List.of(
              new InvalidInputException.Problem(
                  "context",
                  context,
                  "kubeconfig "
                      + kubeconfig
                      + " has no context named \""
                      + context
                      + "\"; list them with `kubectl config get-contexts --kubeconfig "
                      + kubeconfig
                      + "`.")));
    }
    return ClientBuilder.kubeconfig(config, TOKEN_REFRESH).build();
  }

  /**
   * A Kubernetes client for an explicit endpoint, such as the one EKS DescribeCluster returns, that
   * verifies the server against {@code caCertificatePem} and sends the bearer token {@code token}
   * gives, asking it for every request (an {@code EksToken} never hands out a token older than 4
   * minutes), as {@code KubeClients.forEndpoint} does.
   *
   * <pre>{@code
   * ApiClient client = AwsAuth.apiClient(
   *     "https://ABCDEF.gr7.eu-west-1.eks.amazonaws.com",
   *     Base64.getDecoder().decode(cluster.certificateAuthority().data()),
   *     () -> tokens.token("prod"));
   * }</pre>
   *
   * @param endpoint the API server's URL
   * @param caCertificatePem the cluster's CA certificate, PEM-encoded (decode EKS's base64 first)
   * @param token supplies a bearer token; it is never logged
   * @return the client
   * @throws InvalidInputException if the endpoint is not an https URL
   */
  public static ApiClient apiClient(
      String endpoint, byte[] caCertificatePem, Supplier<String> token) {
    return KubeClients.forEndpoint(endpoint, caCertificatePem, token);
  }
}
