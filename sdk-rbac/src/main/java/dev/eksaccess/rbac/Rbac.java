package dev.eksaccess.rbac;

import dev.eksaccess.api.UnsupportedGrantException;
import dev.eksaccess.api.spi.Capability;
import dev.eksaccess.api.spi.RbacBackend;
import dev.eksaccess.api.spi.RbacChanges;
import dev.eksaccess.api.spi.RbacSnapshot;
import dev.eksaccess.api.spi.WriteResult;
import dev.eksaccess.rbac.internal.RbacReads;
import io.kubernetes.client.openapi.ApiClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
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
   * Reads manifests: several documents, and {@code List} kinds as {@code kubectl get
   * clusterroles,clusterrolebindings,roles,rolebindings -A -o yaml} prints them. Other kinds are
   * skipped. Aggregated ClusterRoles without rules (as hand-written manifests have them) get the
   * rules of the ClusterRoles their selectors match, as the aggregation controller would.
   *
   * <pre>{@code
   * RbacAuthorizer rbac = RbacAuthorizer.of(Rbac.fromYaml(Files.readString(Path.of("rbac.yaml"))));
   * }</pre>
   *
   * @param yaml the manifests
   * @return the snapshot
   * @throws dev.eksaccess.api.InvalidInputException if the text is not YAML, an object is malformed
   *     (the message says which document and field), or it holds objects but no RBAC object, such
   *     as the aws-auth ConfigMap
   */
  public static RbacSnapshot fromYaml(String yaml) {
    return RbacReads.fromYaml(Map.of("yaml", Objects.requireNonNull(yaml, "yaml")));
  }

  /**
   * Reads manifest files into one snapshot.
   *
   * <pre>{@code
   * RbacSnapshot dump = Rbac.fromYaml(Path.of("clusterroles.yaml"), Path.of("bindings.yaml"));
   * }</pre>
   *
   * @param files the files
   * @return the snapshot
   * @throws IOException if a file cannot be read
   * @throws dev.eksaccess.api.InvalidInputException if a file is not YAML or holds a malformed
   *     object; the message names the file
   */
  public static RbacSnapshot fromYaml(Path... files) throws IOException {
    Map<String, String> texts = new LinkedHashMap<>();
    for (Path f : files) {
      texts.put(f.toString(), Files.readString(f, StandardCharsets.UTF_8));
    }
    return RbacReads.fromYaml(texts);
  }

  /**
   * Reads a live cluster's RBAC objects, every page of each list ({@code limit} 500), each with its
   * {@code resourceVersion}.
   *
   * <pre>{@code
   * RbacAuthorizer live = RbacAuthorizer.of(Rbac.read(apiClient));
   * }</pre>
   *
   * @param client the Kubernetes client
   * @return the snapshot
   * @throws dev.eksaccess.api.BackendException if the API server refuses or fails
   */
  public static RbacSnapshot read(ApiClient client) {
    return RbacReads.read(Objects.requireNonNull(client, "client"));
  }

  /**
   * RBAC from saved manifests, with no cluster connection: for explaining, {@code whoCan}, auditing
   * and planning offline. Read-only: writing anything throws {@link UnsupportedOperationException}.
   *
   * <pre>{@code
   * RbacBackend rbac = Rbac.offline(Rbac.fromYaml(Path.of("clusterroles.yaml"), Path.of("bindings.yaml")));
   * }</pre>
   *
   * @param snapshot the roles and bindings, such as {@link #fromYaml(Path...)}
   * @return the read-only backend
   */
  public static RbacBackend offline(RbacSnapshot snapshot) {
    RbacSnapshot read = Objects.requireNonNull(snapshot, "snapshot");
    return new RbacBackend() {
      @Override
      public String name() {
        return "rbac (offline)";
      }

      @Override
      public RbacSnapshot read() {
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
