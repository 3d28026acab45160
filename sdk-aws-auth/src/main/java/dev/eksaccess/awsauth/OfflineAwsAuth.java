package dev.eksaccess.awsauth;

import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.UnsupportedGrantException;
import dev.eksaccess.api.spi.Capability;
import dev.eksaccess.api.spi.IdentityBackend;
import dev.eksaccess.api.spi.IdentityChanges;
import dev.eksaccess.api.spi.IdentitySnapshot;
import dev.eksaccess.api.spi.PrincipalMatching;
import dev.eksaccess.api.spi.Version;
import dev.eksaccess.api.spi.WriteResult;
import dev.eksaccess.kubernetes.support.Manifests;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * aws-auth read from a manifest ({@code kubectl get configmap aws-auth -n kube-system -o yaml}, or
 * a dump of many objects), for explain, whoCan, audit and plans with no cluster connection.
 * Read-only.
 */
final class OfflineAwsAuth implements IdentityBackend {
  private final String source;
  private final IdentitySnapshot snapshot;

  private OfflineAwsAuth(String source, IdentitySnapshot snapshot) {
    this.source = source;
    this.snapshot = snapshot;
  }

  static OfflineAwsAuth of(String source, String yaml) {
    Map<String, Object> configMap = find(source, Manifests.loadAll(source, yaml));
    Map<String, String> data = strings(configMap.get("data"), source + " data");
    Object metadata = configMap.get("metadata");
    @Nullable String breakGlass = null;
    if (metadata instanceof Map<?, ?> meta && meta.get("annotations") instanceof Map<?, ?> a) {
      if (a.get(dev.eksaccess.api.support.BreakGlassAnnotation.KEY) instanceof String s) {
        breakGlass = s;
      }
    }
    Object version = metadata instanceof Map<?, ?> meta ? meta.get("resourceVersion") : null;
    return new OfflineAwsAuth(
        source,
        AwsAuthBackend.snapshot(
            Version.of(version == null ? "offline" : version.toString()),
            AwsAuthDocument.parse(data),
            breakGlass));
  }

  /** The aws-auth ConfigMap among the documents, or inside a {@code kind: List}. */
  private static Map<String, Object> find(String source, List<Object> documents) {
    List<Object> objects = new ArrayList<>();
    for (Object d : documents) {
      if (d instanceof Map<?, ?> m
          && "List".equals(m.get("kind"))
          && m.get("items") instanceof List<?> items) {
        objects.addAll(items);
      } else if (d != null) {
        objects.add(d);
      }
    }
    for (Object o : objects) {
      if (o instanceof Map<?, ?> m
          && "ConfigMap".equals(m.get("kind"))
          && m.get("metadata") instanceof Map<?, ?> meta
          && "aws-auth".equals(meta.get("name"))
          && (meta.get("namespace") == null || "kube-system".equals(meta.get("namespace")))) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
      }
    }
    throw InvalidInputException.of(
        ErrorCode.MALFORMED_MANIFEST,
        source,
        null,
        "holds no ConfigMap kube-system/aws-auth (of "
            + objects.size()
            + " objects); save it with kubectl get configmap aws-auth -n kube-system -o yaml.");
  }

  private static Map<String, String> strings(@Nullable Object value, String where) {
    Map<String, String> out = new LinkedHashMap<>();
    if (value == null) {
      return out;
    }
    if (!(value instanceof Map<?, ?> m)) {
      throw InvalidInputException.of(
          ErrorCode.MALFORMED_MANIFEST,
          where,
          String.valueOf(value),
          "is not a map of keys to text, as a ConfigMap's data is.");
    }
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (!(e.getValue() instanceof String s)) {
        throw InvalidInputException.of(
            ErrorCode.MALFORMED_MANIFEST,
            where + "." + e.getKey(),
            String.valueOf(e.getValue()),
            "is not text; the API server stores every ConfigMap value as a string (quote it).");
      }
      out.put(String.valueOf(e.getKey()), s);
    }
    return out;
  }

  @Override
  public String name() {
    return "aws-auth (offline, " + source + ")";
  }

  @Override
  public Set<Capability> capabilities() {
    return AwsAuthBackend.CAPABILITIES;
  }

  @Override
  public PrincipalMatching principalMatching() {
    return PrincipalMatching.CANONICAL_ARN;
  }

  @Override
  public IdentitySnapshot read() {
    return snapshot;
  }

  @Override
  public WriteResult write(IdentityChanges changes, Version expected) {
    if (changes.isEmpty()) {
      return new WriteResult(expected, 0);
    }
    throw new UnsupportedGrantException(
        Capability.WRITES,
        name()
            + " is read-only: explain, whoCan, audit and plans work offline; to apply a plan, use"
            + " AwsAuth.backend(client) on the cluster. Nothing was written.");
  }

  @Override
  public String toString() {
    return "OfflineAwsAuth[" + source + "]";
  }
}
