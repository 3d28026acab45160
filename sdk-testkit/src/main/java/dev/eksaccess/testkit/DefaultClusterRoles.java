package dev.eksaccess.testkit;

import dev.eksaccess.api.spi.PolicyRule;
import dev.eksaccess.api.spi.RbacRole;
import java.util.ArrayList;
import java.util.List;

/**
 * The user-facing default ClusterRoles of Kubernetes v1.20, with the rules a real cluster serves.
 * {@code view}, {@code edit} and {@code admin} are aggregated ClusterRoles: their {@code rules} are
 * what the cluster-role aggregation controller fills in from the roles their selectors match, here
 * the bootstrap policy's {@code system:aggregate-to-view}, {@code system:aggregate-to-edit} and
 * {@code system:aggregate-to-admin}, with {@code view} labelled into {@code edit} and {@code edit}
 * into {@code admin}. So {@code view} reads workloads, services, config and events but not Secrets;
 * {@code edit} adds writes, Secrets, exec, attach, port-forward and impersonating ServiceAccounts;
 * {@code admin} adds Roles, RoleBindings and local access reviews; {@code cluster-admin} allows
 * everything.
 *
 * <pre>{@code
 * ClusterState world = ClusterState.withDefaultRoles("prod");   // uses DefaultClusterRoles.all()
 * }</pre>
 */
public final class DefaultClusterRoles {
  private static final List<String> READ = List.of("get", "list", "watch");
  private static final List<String> WRITE =
      List.of("create", "delete", "deletecollection", "patch", "update");

  /** {@code system:aggregate-to-view} of the v1.20 bootstrap policy. */
  private static final List<PolicyRule> AGGREGATE_TO_VIEW =
      List.of(
          rule(
              "",
              READ,
              "configmaps",
              "endpoints",
              "persistentvolumeclaims",
              "persistentvolumeclaims/status",
              "pods",
              "replicationcontrollers",
              "replicationcontrollers/scale",
              "serviceaccounts",
              "services",
              "services/status"),
          rule(
              "",
              READ,
              "bindings",
              "events",
              "limitranges",
              "namespaces/status",
              "pods/log",
              "pods/status",
              "replicationcontrollers/status",
              "resourcequotas",
              "resourcequotas/status"),
          rule("", READ, "namespaces"),
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
          rule("networking.k8s.io", READ, "ingresses", "ingresses/status", "networkpolicies"));

  /** {@code system:aggregate-to-edit} of the v1.20 bootstrap policy. */
  private static final List<PolicyRule> AGGREGATE_TO_EDIT =
      List.of(
          rule(
              "",
              READ,
              "pods/attach",
              "pods/exec",
              "pods/portforward",
              "pods/proxy",
              "secrets",
              "services/proxy"),
          rule("", List.of("impersonate"), "serviceaccounts"),
          rule("", WRITE, "pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy"),
          rule(
              "",
              WRITE,
              "configmaps",
              "endpoints",
              "persistentvolumeclaims",
              "replicationcontrollers",
              "replicationcontrollers/scale",
              "secrets",
              "serviceaccounts",
              "services",
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
          rule("networking.k8s.io", WRITE, "ingresses", "networkpolicies"));

  /** {@code system:aggregate-to-admin} of the v1.20 bootstrap policy. */
  private static final List<PolicyRule> AGGREGATE_TO_ADMIN =
      List.of(
          rule("authorization.k8s.io", List.of("create"), "localsubjectaccessreviews"),
          rule(
              "rbac.authorization.k8s.io",
              List.of(
                  "create",
                  "delete",
                  "deletecollection",
                  "get",
                  "list",
                  "patch",
                  "update",
                  "watch"),
              "rolebindings",
              "roles"));

  // The aggregation controller's union: the selected roles sorted by name, each rule appended
  // unless an equal one is there. edit selects system:aggregate-to-edit and view (in that order),
  // admin selects edit and system:aggregate-to-admin.
  private static final List<PolicyRule> VIEW = union(AGGREGATE_TO_VIEW);
  private static final List<PolicyRule> EDIT = union(AGGREGATE_TO_EDIT, VIEW);
  private static final List<PolicyRule> ADMIN = union(EDIT, AGGREGATE_TO_ADMIN);

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
   * {@code view}: read, no Secrets, no Roles or bindings.
   *
   * @return the role
   */
  public static RbacRole view() {
    return RbacRole.clusterRole("view", VIEW);
  }

  /**
   * {@code edit}: view plus writes, Secrets, exec, attach, port-forward and impersonating
   * ServiceAccounts; no Roles or bindings.
   *
   * @return the role
   */
  public static RbacRole edit() {
    return RbacRole.clusterRole("edit", EDIT);
  }

  /**
   * {@code admin}: edit plus Roles, RoleBindings and local subject access reviews.
   *
   * @return the role
   */
  public static RbacRole admin() {
    return RbacRole.clusterRole("admin", ADMIN);
  }

  private static PolicyRule rule(String group, List<String> verbs, String... resources) {
    return PolicyRule.resources(List.of(group), List.of(resources), verbs);
  }

  @SafeVarargs
  private static List<PolicyRule> union(List<PolicyRule>... selected) {
    List<PolicyRule> out = new ArrayList<>();
    for (List<PolicyRule> rules : selected) {
      for (PolicyRule r : rules) {
        if (!out.contains(r)) {
          out.add(r);
        }
      }
    }
    return List.copyOf(out);
  }
}
