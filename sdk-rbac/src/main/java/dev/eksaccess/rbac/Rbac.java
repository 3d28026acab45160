package dev.eksaccess.rbac;

import io.kubernetes.client.openapi.ApiClient;
import java.util.Objects;

/**
 * Entry points to the Kubernetes RBAC backend over the official Kubernetes Java client.
 *
 * <pre>{@code
 * ClusterAccess prod = ClusterAccess.builder()
 *     .clusterName("prod")
 *     .identities(AwsAuth.backend(client))
 *     .rbac(Rbac.backend(client))
 *     .build();
 * }</pre>
 */
public final class Rbac {
  private Rbac() {}

  /**
   * The RBAC backend over {@code client}. It changes and deletes only objects labelled {@code
   * app.kubernetes.io/managed-by: eks-access}; use {@link KubernetesRbacBackend#adopting()} to take
   * over same-named objects someone else created.
   *
   * @param client the Kubernetes client
   * @return the backend
   */
  public static KubernetesRbacBackend backend(ApiClient client) {
    return new KubernetesRbacBackend(Objects.requireNonNull(client, "client"), false);
  }
}
