package dev.eksaccess.api.authz;

import dev.eksaccess.api.support.JsonText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What one user may do in one namespace: resources × verbs, like {@code kubectl access-matrix}
 * (rakkess). Built by {@link RbacAuthorizer#accessMatrix(KubernetesUser, String)}.
 *
 * <pre>{@code
 * AccessMatrix m = rbac.accessMatrix(KubernetesUser.of("jane", "acme:devs"), "prod-apps");
 * m.allows("pods", "delete");
 * System.out.println(m);    // NAME  GET  LIST  WATCH  CREATE ...
 * }</pre>
 *
 * @param user the user
 * @param namespace the namespace; empty for cluster scope
 * @param verbs the verbs, in column order
 * @param allowed for each resource ({@code pods}, {@code deployments.apps}), the verbs allowed
 */
public record AccessMatrix(
    KubernetesUser user, String namespace, List<String> verbs, Map<String, Set<String>> allowed) {
  /** Checks for nulls and copies. */
  public AccessMatrix {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(namespace, "namespace");
    verbs = List.copyOf(verbs);
    if (!(allowed instanceof MatrixCells)) { // the authorizer's rows are unmodifiable already
      Map<String, Set<String>> copy = new LinkedHashMap<>();
      allowed.forEach((k, v) -> copy.put(k, Set.copyOf(v)));
      allowed = java.util.Collections.unmodifiableMap(copy);
    }
  }

  /**
   * Whether the user may use a verb on a resource.
   *
   * @param resource the resource as the matrix names it, such as {@code pods} or {@code
   *     deployments.apps}
   * @param verb the verb
   * @return true if allowed
   */
  public boolean allows(String resource, String verb) {
    return allowed.getOrDefault(resource, Set.of()).contains(verb);
  }

  /**
   * The matrix as JSON (schema {@code eks-access/access-matrix/v1}): the user and its groups, the
   * namespace ({@code ""} for cluster scope), the verbs, and per resource the verbs allowed, in the
   * table's order.
   *
   * <pre>{@code
   * String json = rbac.accessMatrix(bob, "payments").toJson();
   * // {"schema":"eks-access/access-matrix/v1","user":"bob",...,"resources":[{"resource":"pods","allowed":["get","list"]},...]}
   * }</pre>
   *
   * @return a JSON object
   */
  public String toJson() {
    return JsonText.object(
        json -> {
          json.writeStringField("schema", "eks-access/access-matrix/v1");
          json.writeStringField("user", user.name());
          json.writeArrayFieldStart("groups");
          for (String g : user.effectiveGroups()) {
            json.writeString(g);
          }
          json.writeEndArray();
          json.writeStringField("namespace", namespace);
          json.writeArrayFieldStart("verbs");
          for (String v : verbs) {
            json.writeString(v);
          }
          json.writeEndArray();
          json.writeArrayFieldStart("resources");
          for (Map.Entry<String, Set<String>> row : allowed.entrySet()) {
            json.writeStartObject();
            json.writeStringField("resource", row.getKey());
            json.writeArrayFieldStart("allowed");
            for (String v : verbs) {
              if (row.getValue().contains(v)) {
                json.writeString(v);
              }
            }
            json.writeEndArray();
            json.writeEndObject();
          }
          json.writeEndArray();
        });
  }

  /** An aligned table: one row per resource, ✔ or ✖ per verb. */
  @Override
  public String toString() {
    List<String> header = new ArrayList<>();
    header.add("NAME");
    verbs.forEach(v -> header.add(v.toUpperCase(java.util.Locale.ROOT)));
    int width = allowed.keySet().stream().mapToInt(String::length).max().orElse(4);
    width = Math.max(width, 4);
    StringBuilder b = new StringBuilder();
    b.append(String.format("%-" + width + "s", "NAME"));
    for (String v : header.subList(1, header.size())) {
      b.append("  ").append(v);
    }
    b.append('\n');
    for (Map.Entry<String, Set<String>> row : allowed.entrySet()) {
      b.append(String.format("%-" + width + "s", row.getKey()));
      for (String v : verbs) {
        String mark = row.getValue().contains(v) ? "✔" : "✖";
        b.append("  ").append(mark).append(" ".repeat(v.length() - 1));
      }
      b.append('\n');
    }
    return b.toString();
  }
}
