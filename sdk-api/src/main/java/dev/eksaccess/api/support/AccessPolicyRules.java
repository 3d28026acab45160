package dev.eksaccess.api.support;

import dev.eksaccess.api.AccessPolicy;
import dev.eksaccess.api.Request;
import dev.eksaccess.api.spi.PolicyAssociation;
import dev.eksaccess.api.spi.PolicyRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Kubernetes permissions of the EKS managed access policies that the EKS user guide publishes
 * (access-policy-reference): cluster-admin, admin, edit, view and admin-view. EKS's authorizer
 * checks them after RBAC. Other policies' contents are not published, so they are unknown here.
 */
@BackendSupport
public final class AccessPolicyRules {
  private AccessPolicyRules() {}

  private static final List<String> READ = List.of("get", "list", "watch");
  private static final List<String> WRITE =
      List.of("create", "delete", "deletecollection", "patch", "update");

  private static final List<PolicyRule> VIEW =
      List.of(
          rule(
              "",
              READ,
              "bindings",
              "configmaps",
              "endpoints",
              "events",
              "limitranges",
              "namespaces",
              "namespaces/status",
              "persistentvolumeclaims",
              "persistentvolumeclaims/status",
              "pods",
              "pods/log",
              "pods/status",
              "replicationcontrollers",
              "replicationcontrollers/scale",
              "replicationcontrollers/status",
              "resourcequotas",
              "resourcequotas/status",
              "serviceaccounts",
              "services",
              "services/status"),
          rule(
              "apps",
              READ,
              "controllerrevisions",
              "daemonsets",
              "daemonsets/status",
              "deployments",
              "deployments/scale",
              "deployments/status",
              "replicasets",
              "replicasets/scale",
              "replicasets/status",
              "statefulsets",
              "statefulsets/scale",
              "statefulsets/status"),
          rule("autoscaling", READ, "horizontalpodautoscalers", "horizontalpodautoscalers/status"),
          rule("batch", READ, "cronjobs", "cronjobs/status", "jobs", "jobs/status"),
          rule(
              "extensions",
              READ,
              "daemonsets",
              "daemonsets/status",
              "deployments",
              "deployments/scale",
              "deployments/status",
              "ingresses",
              "ingresses/status",
              "networkpolicies",
              "replicasets",
              "replicasets/scale",
              "replicasets/status",
              "replicationcontrollers/scale"),
          rule("policy", READ, "poddisruptionbudgets", "poddisruptionbudgets/status"),
          rule("networking.k8s.io", READ, "ingresses", "ingresses/status", "networkpolicies"),
          rule("discovery.k8s.io", READ, "endpointslices"));

  private static final List<PolicyRule> EDIT =
      concat(
          VIEW,
          rule("", List.of("impersonate"), "serviceaccounts"),
          rule(
              "",
              WRITE,
              "pods",
              "pods/attach",
              "pods/exec",
              "pods/portforward",
              "pods/proxy",
              "configmaps",
              "endpoints",
              "persistentvolumeclaims",
              "replicationcontrollers",
              "replicationcontrollers/scale",
              "secrets",
              "serviceaccounts",
              "services",
              "services/proxy"),
          rule("", List.of("create"), "pods/eviction", "serviceaccounts/token"),
          rule(
              "",
              READ,
              "pods/attach",
              "pods/exec",
              "pods/portforward",
              "pods/proxy",
              "secrets",
              "services/proxy"),
          rule(
              "apps",
              WRITE,
              "daemonsets",
              "deployments",
              "deployments/rollback",
              "deployments/scale",
              "replicasets",
              "replicasets/scale",
              "statefulsets",
              "statefulsets/scale"),
          rule("autoscaling", WRITE, "horizontalpodautoscalers"),
          rule("batch", WRITE, "cronjobs", "jobs"),
          rule(
              "extensions",
              WRITE,
              "daemonsets",
              "deployments",
              "deployments/rollback",
              "deployments/scale",
              "ingresses",
              "networkpolicies",
              "replicasets",
              "replicasets/scale",
              "replicationcontrollers/scale"),
          rule("policy", WRITE, "poddisruptionbudgets"),
          rule("networking.k8s.io", WRITE, "ingresses", "networkpolicies"),
          rule("coordination.k8s.io", union(READ, WRITE), "leases"));

  private static final List<PolicyRule> ADMIN =
      concat(
          EDIT,
          rule("authorization.k8s.io", List.of("create"), "localsubjectaccessreviews"),
          rule("rbac.authorization.k8s.io", union(READ, WRITE), "rolebindings", "roles"));

  private static final Map<String, List<PolicyRule>> RULES =
      Map.of(
          AccessPolicy.CLUSTER_ADMIN.name(),
          List.of(
              PolicyRule.resources(List.of("*"), List.of("*"), List.of("*")),
              PolicyRule.nonResourceUrls(List.of("*"), List.of("*"))),
          AccessPolicy.ADMIN.name(),
          ADMIN,
          AccessPolicy.EDIT.name(),
          EDIT,
          AccessPolicy.VIEW.name(),
          VIEW,
          AccessPolicy.ADMIN_VIEW.name(),
          List.of(PolicyRule.resources(List.of("*"), List.of("*"), READ)));

  /**
   * Whether an association's scope reaches a request: a namespaced request needs its namespace in
   * scope, a cluster-scoped request or non-resource URL a cluster-wide association.
   */
  public static boolean inScope(PolicyAssociation association, Request request) {
    return (request.namespace().isEmpty() || request.isNonResource())
        ? association.scope().isClusterWide()
        : association.scope().covers(request.namespace());
  }

  /** The policy's rules, if EKS publishes them. */
  public static Optional<List<PolicyRule>> of(AccessPolicy policy) {
    return Optional.ofNullable(RULES.get(policy.name()));
  }

  private static PolicyRule rule(String group, List<String> verbs, String... resources) {
    return PolicyRule.resources(List.of(group), List.of(resources), verbs);
  }

  private static List<PolicyRule> concat(List<PolicyRule> first, PolicyRule... more) {
    List<PolicyRule> all = new ArrayList<>(first);
    all.addAll(List.of(more));
    return List.copyOf(all);
  }

  private static List<String> union(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return List.copyOf(all);
  }
}
