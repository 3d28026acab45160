package dev.eksaccess.rbac;

import dev.eksaccess.api.UnsupportedGrantException;
import dev.eksaccess.api.spi.Capability;
import dev.eksaccess.api.spi.RbacBackend;
import dev.eksaccess.api.spi.RbacChanges;
import dev.eksaccess.api.spi.Version;
import dev.eksaccess.api.spi.WriteResult;
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

  /**
   * RBAC from saved manifests, with no cluster connection: for explaining, {@code whoCan}, auditing
   * and planning offline. Read-only: writing anything throws {@link UnsupportedOperationException}.
   *
   * <pre>{@code
   * RbacBackend rbac = Rbac.offline(RbacSnapshot.fromYaml(Path.of("clusterroles.yaml"), Path.of("bindings.yaml")));
   * }</pre>
   *
   * @param snapshot the roles and bindings, such as {@link
   *     RbacSnapshot#fromYaml(java.nio.file.Path...)}
   * @return the read-only backend
   */
  public static RbacBackend offline(RbacSnapshot snapshot) {
    dev.eksaccess.api.spi.RbacSnapshot read =
        Objects.requireNonNull(snapshot, "snapshot").toSpi(Version.of("offline"));
    return new RbacBackend() {
      @Override
      public String name() {
        return "rbac (offline)";
      }

      @Override
      public dev.eksaccess.api.spi.RbacSnapshot read() {
        return read;
      }

      @Override
      public WriteResult write(RbacChanges changes) {
        if (changes.isEmpty()) {
          return new WriteResult(read.version(), 0);
        }
        throw new UnsupportedGrantException(
            Capability.WRITES,
            "RBAC read from manifests is read-only: explain, whoCan, audit and plans work offline;"
                + " to apply a plan, use Rbac.backend(client) on the cluster. Nothing was"
                + " written.");
      }

      @Override
      public String toString() {
        return "Rbac.offline["
            + read.roles().size()
            + " roles, "
            + read.bindings().size()
            + " bindings]";
      }
    };
  }
}
