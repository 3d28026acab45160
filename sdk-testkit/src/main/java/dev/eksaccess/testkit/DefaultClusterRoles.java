package dev.eksaccess.testkit;

import dev.eksaccess.api.spi.PolicyRule;
import dev.eksaccess.api.spi.RbacRole;
import java.util.ArrayList;
import java.util.List;

/**
 * The user-facing default ClusterRoles, with the core of their rules: {@code view} reads workloads,
 * services, config and events but not Secrets; {@code edit} adds writes, Secrets, exec, attach and
 * port-forward; {@code admin} adds Roles and RoleBindings; {@code cluster-admin} allows everything.
 * These are a faithful subset of Kubernetes' defaults for the common resources, not every rule.
 *
 * <pre>{@code
 * ClusterState world = ClusterState.withDefaultRoles("prod");   // uses DefaultClusterRoles.all()
 * }</pre>
 */
public final class DefaultClusterRoles {
  private static final List<String> READ = List.of("get", "list", "watch");
  private static final List<String> WRITE =
      List.of("create", "delete", "deletecollection", "patch", "update");

  private DefaultClusterRoles() {}

  /**
   * {@code cluster-admin}, {@code admin}, {@code edit} and {@code view}.
   *
   * @return the four roles
   */
  public static List<RbacRole> all() {
    return List.of(clusterAdmin(), admin(), edit(), view());
  }

  /**
   * {@code cluster-admin}: every verb on every resource and non-resource URL.
   *
   * @return the role
   */
  public static RbacRole clusterAdmin() {
    return RbacRole.clusterRole(
        "cluster-admin",
        List.of(
            PolicyRule.resources(List.of("*"), List.of("*"), List.of("*")),
            PolicyRule.nonResourceUrls(List.of("*"), List.of("*"))));
  }

  /**
   * {@code view}: read, no Secrets.
   *
   * @return the role
   */
  public static RbacRole view() {
    return RbacRole.clusterRole("view", viewRules());
  }

  /**
   * {@code edit}: view plus writes, Secrets, exec, attach and port-forward.
   *
   * @return the role
   */
  public static RbacRole edit() {
    return RbacRole.clusterRole("edit", editRules());
  }

  /**
   * {@code admin}: edit plus Roles and RoleBindings.
   *
   * @return the role
   */
  public static RbacRole admin() {
    List<PolicyRule> rules = new ArrayList<>(editRules());
    rules.add(
        PolicyRule.resources(
            List.of("rbac.authorization.k8s.io"),
            List.of("roles", "rolebindings"),
            all(READ, WRITE)));
    rules.add(
        PolicyRule.resources(
            List.of("authorization.k8s.io"),
            List.of("localsubjectaccessreviews"),
            List.of("create")));
    return RbacRole.clusterRole("admin", rules);
  }

  private static List<PolicyRule> viewRules() {
    return List.of(
        PolicyRule.resources(
            List.of(""),
            List.of(
                "pods",
                "pods/log",
                "pods/status",
                "configmaps",
                "endpoints",
                "persistentvolumeclaims",
                "replicationcontrollers",
                "services",
                "serviceaccounts",
                "events",
                "limitranges",
                "resourcequotas",
                "namespaces"),
            READ),
        PolicyRule.resources(
            List.of("apps"),
            List.of(
                "deployments", "daemonsets", "replicasets", "statefulsets", "deployments/scale"),
            READ),
        PolicyRule.resources(List.of("batch"), List.of("jobs", "cronjobs"), READ),
        PolicyRule.resources(List.of("autoscaling"), List.of("horizontalpodautoscalers"), READ),
        PolicyRule.resources(
            List.of("networking.k8s.io"), List.of("ingresses", "networkpolicies"), READ),
        PolicyRule.resources(List.of("policy"), List.of("poddisruptionbudgets"), READ));
  }

  private static List<PolicyRule> editRules() {
    List<PolicyRule> rules = new ArrayList<>(viewRules());
    rules.add(PolicyRule.resources(List.of(""), List.of("secrets"), READ));
    rules.add(
        PolicyRule.resources(
            List.of(""),
            List.of(
                "pods",
                "configmaps",
                "secrets",
                "services",
                "persistentvolumeclaims",
                "replicationcontrollers",
                "serviceaccounts"),
            WRITE));
    rules.add(
        PolicyRule.resources(
            List.of(""),
            List.of("pods/exec", "pods/attach", "pods/portforward"),
            List.of("create", "get")));
    rules.add(
        PolicyRule.resources(
            List.of("apps", "batch", "autoscaling", "networking.k8s.io", "policy"),
            List.of("*"),
            WRITE));
    return rules;
  }

  private static List<String> all(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
