package dev.eksaccess.api.internal;

import dev.eksaccess.api.AccessPolicy;
import dev.eksaccess.api.Bindable;
import dev.eksaccess.api.Binding;
import dev.eksaccess.api.ClusterRoleDefinition;
import dev.eksaccess.api.Grant;
import dev.eksaccess.api.Request;
import dev.eksaccess.api.Role;
import dev.eksaccess.api.RoleDefinition;
import dev.eksaccess.api.RoleRef;
import dev.eksaccess.api.spi.PolicyRule;
import dev.eksaccess.api.spi.RbacRole;
import dev.eksaccess.api.spi.RbacSnapshot;
import dev.eksaccess.api.support.AccessPolicyRules;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The powers that change access itself, each as the Kubernetes requests that use it: whoever holds
 * one can grant itself (or anyone) more than it was given. RBAC's own escape hatches ({@code
 * escalate}, {@code bind}, {@code impersonate}), writing bindings, and writing aws-auth. Being in
 * {@code system:masters} or holding a cluster-admin access policy holds them all, through the same
 * requests.
 */
public final class EscalationPowers {
  private EscalationPowers() {}

  private static final String RBAC = "rbac.authorization.k8s.io";

  /** One power that changes access. */
  public enum Power {
    /** {@code escalate} on roles: write a role with rules the writer does not hold. */
    ESCALATE("escalate on roles"),
    /** {@code bind} on roles: bind a role whose rules the writer does not hold. */
    BIND("bind on roles"),
    /** {@code impersonate}: act as another user, group or ServiceAccount. */
    IMPERSONATE("impersonate"),
    /** Create or change RoleBindings or ClusterRoleBindings. */
    WRITE_BINDINGS("write bindings"),
    /** Write the aws-auth ConfigMap: map any IAM principal to any group. */
    WRITE_AWS_AUTH("write aws-auth");

    private final String text;

    Power(String text) {
      this.text = text;
    }

    @Override
    public String toString() {
      return text;
    }
  }

  /** A request that uses a power. */
  public record Probe(Power power, Request request) {}

  /**
   * The requests that use each power in {@code namespace}, or, for {@code ""}, cluster-wide (where
   * the cluster-scoped ones count too: ClusterRoles, ClusterRoleBindings, users and groups).
   *
   * @param namespace the namespace, or "" for the whole cluster
   * @return the probes
   */
  public static List<Probe> probes(String namespace) {
    List<Probe> out = new ArrayList<>();
    boolean cluster = namespace.isEmpty();
    String ns = cluster ? "default" : namespace; // a namespaced request needs some namespace
    out.add(new Probe(Power.ESCALATE, rbac("escalate", "roles").inNamespace(ns)));
    out.add(new Probe(Power.BIND, rbac("bind", "roles").inNamespace(ns)));
    out.add(new Probe(Power.WRITE_BINDINGS, rbac("create", "rolebindings").inNamespace(ns)));
    out.add(new Probe(Power.WRITE_BINDINGS, rbac("patch", "rolebindings").inNamespace(ns)));
    out.add(
        new Probe(
            Power.IMPERSONATE,
            Request.verb("impersonate").resource("serviceaccounts").inNamespace(ns)));
    if (cluster || namespace.equals("kube-system")) {
      for (String verb : List.of("update", "patch", "delete")) {
        out.add(
            new Probe(
                Power.WRITE_AWS_AUTH,
                Request.verb(verb)
                    .resource("configmaps")
                    .named("aws-auth")
                    .inNamespace("kube-system")));
      }
      out.add(
          new Probe(
              Power.WRITE_AWS_AUTH,
              Request.verb("create").resource("configmaps").inNamespace("kube-system")));
    }
    if (cluster) {
      out.add(new Probe(Power.ESCALATE, rbac("escalate", "clusterroles")));
      out.add(new Probe(Power.BIND, rbac("bind", "clusterroles")));
      out.add(new Probe(Power.WRITE_BINDINGS, rbac("create", "clusterrolebindings")));
      out.add(new Probe(Power.IMPERSONATE, Request.verb("impersonate").resource("users")));
      out.add(new Probe(Power.IMPERSONATE, Request.verb("impersonate").resource("groups")));
    }
    return out;
  }

  /**
   * The namespace to probe for one namespace of a scope: itself, or for a {@code prefix*} wildcard
   * {@code kube-system} when it matches that (aws-auth lives there), else a name it matches.
   *
   * @param where a namespace, a {@code prefix*} wildcard, or "" for the whole cluster
   * @return the namespace to probe
   */
  public static String probedNamespace(String where) {
    if (!where.endsWith("*")) {
      return where;
    }
    String prefix = where.substring(0, where.length() - 1);
    return "kube-system".startsWith(prefix) ? "kube-system" : prefix + "x";
  }

  private static Request rbac(String verb, String resource) {
    return Request.verb(verb).resource(resource).inApiGroup(RBAC);
  }

  /**
   * The powers these rules hold where they apply: in {@code namespace} for a RoleBinding's, or
   * everywhere ({@code ""}) for a ClusterRoleBinding's or a cluster-wide access policy's.
   *
   * @param rules the rules
   * @param namespace where they apply, or "" for the whole cluster
   * @return the powers, in declaration order
   */
  public static Set<Power> held(List<PolicyRule> rules, String namespace) {
    // a rule limited to named objects still holds the power over them (impersonate the group
    // system:masters, bind the role cluster-admin): judge it by verb, group and resource
    List<PolicyRule> anyName =
        rules.stream()
            .map(r -> r.resourceNames().isEmpty() ? r : r.withResourceNames(List.of()))
            .toList();
    Set<Power> out = EnumSet.noneOf(Power.class);
    for (Probe p : probes(namespace)) {
      if (anyName.stream().anyMatch(r -> r.allows(p.request()))) {
        out.add(p.power());
      }
    }
    return out;
  }

  /**
   * A warning for each binding of these grants whose role or access policy holds a power that
   * changes access, where the binding applies: such a grant gives more than it names, since its
   * holder can grant itself the rest. A role the snapshot does not have is not judged.
   *
   * @param grants the grants
   * @param rbac the cluster's RBAC objects, to read a bound role's rules; null without RBAC
   * @return the warnings
   */
  public static List<String> handedOut(List<Grant> grants, @Nullable RbacSnapshot rbac) {
    List<String> out = new ArrayList<>();
    for (Grant g : grants) {
      for (Binding b : g.bindings()) {
        Optional<List<PolicyRule>> rules = rulesOf(b.target(), rbac);
        if (rules.isEmpty()) {
          continue;
        }
        List<String> wheres = b.scope().isClusterWide() ? List.of("") : b.scope().namespaces();
        for (String where : wheres) {
          Set<Power> powers = held(rules.get(), probedNamespace(where));
          if (!powers.isEmpty()) {
            out.add(
                "grant to "
                    + g.principal()
                    + ": "
                    + b.target()
                    + (where.isEmpty() ? " cluster-wide" : " in namespace " + where)
                    + " holds "
                    + powers
                    + ", so its holder can grant itself (or anyone) more than this grant names;"
                    + " bind a narrower role if that is not meant.");
          }
        }
      }
    }
    return out;
  }

  private static Optional<List<PolicyRule>> rulesOf(Bindable target, @Nullable RbacSnapshot rbac) {
    if (target instanceof ClusterRoleDefinition d) {
      return Optional.of(d.rules());
    }
    if (target instanceof RoleDefinition d) {
      return Optional.of(d.rules());
    }
    if (target instanceof AccessPolicy p) {
      return AccessPolicyRules.of(p);
    }
    if (rbac == null) {
      return Optional.empty();
    }
    String ns = target instanceof Role r ? r.namespace() : "";
    String name = ((RoleRef) target).name();
    return rbac.roles().stream()
        .filter(r -> r.namespace().equals(ns) && r.name().equals(name))
        .findFirst()
        .map(RbacRole::rules);
  }
}
