package dev.eksaccess.benchmarks;

import dev.eksaccess.api.AccessPolicy;
import dev.eksaccess.api.ClusterRole;
import dev.eksaccess.api.Role;
import dev.eksaccess.api.authz.KubernetesUser;
import dev.eksaccess.api.spi.PolicyRule;
import dev.eksaccess.api.spi.RbacBinding;
import dev.eksaccess.api.spi.RbacRole;
import dev.eksaccess.api.spi.RbacSnapshot;
import dev.eksaccess.api.spi.RbacSubject;
import dev.eksaccess.api.support.AccessPolicyRules;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A generated multi-tenant cluster of real-cluster scale: 499 namespaces of 9 RoleBindings each
 * (4,491 RoleBindings), 1,497 Roles, 51 ClusterRoles and 85 ClusterRoleBindings.
 *
 * <p>Ten teams own about 50 namespaces each. In every namespace the team's group is bound to {@code
 * admin}, its developers' group to {@code edit} and to the ClusterRole of one of its custom
 * resources, a company-wide readers group and the monitoring ServiceAccounts to {@code view}, the
 * on-call group to {@code edit}, the team group and the team lead's user to a secret-reading Role,
 * the CI ServiceAccount to a deploying Role, and the SRE group to a debugging Role. Cluster-wide:
 * {@code system:masters} and a platform group to {@code cluster-admin}, auditors to {@code view},
 * every authenticated user to basic-user and discovery, and 20 operators' ServiceAccounts and the
 * readers to the ClusterRoles of 20 custom resource groups. {@code admin}, {@code edit} and {@code
 * view} hold rules modelled on Kubernetes' defaults, already aggregated.
 */
final class TenantCluster {
  static final int NAMESPACES = 499;
  static final int TEAMS = 10;
  static final int CRD_GROUPS = 20;

  private TenantCluster() {}

  static String namespace(int i) {
    return String.format("ns-%03d", i);
  }

  static RbacSnapshot snapshot() {
    List<RbacRole> roles = new ArrayList<>();
    List<RbacBinding> bindings = new ArrayList<>();
    // Kubernetes' view and edit rules, as the EKS access policies modelled on them hold them
    List<PolicyRule> view = AccessPolicyRules.of(AccessPolicy.VIEW).orElseThrow();
    List<PolicyRule> edit = AccessPolicyRules.of(AccessPolicy.EDIT).orElseThrow();
    List<PolicyRule> admin = new ArrayList<>(edit);
    admin.add(rule("authorization.k8s.io", List.of("localsubjectaccessreviews"), "create"));
    admin.add(
        rule(
            "rbac.authorization.k8s.io",
            List.of("rolebindings", "roles"),
            "create",
            "delete",
            "deletecollection",
            "get",
            "list",
            "patch",
            "update",
            "watch"));
    roles.add(
        RbacRole.clusterRole(
            "cluster-admin",
            List.of(
                PolicyRule.resources(List.of("*"), List.of("*"), List.of("*")),
                PolicyRule.nonResourceUrls(List.of("*"), List.of("*")))));
    roles.add(RbacRole.clusterRole("admin", admin));
    roles.add(RbacRole.clusterRole("edit", edit));
    roles.add(RbacRole.clusterRole("view", view));
    roles.add(
        RbacRole.clusterRole(
            "system:basic-user",
            List.of(
                rule(
                    "authorization.k8s.io",
                    List.of("selfsubjectaccessreviews", "selfsubjectrulesreviews"),
                    "create"))));
    roles.add(
        RbacRole.clusterRole(
            "system:discovery",
            List.of(
                PolicyRule.nonResourceUrls(
                    List.of(
                        "/api",
                        "/api/*",
                        "/apis",
                        "/apis/*",
                        "/healthz",
                        "/livez",
                        "/openapi",
                        "/openapi/*",
                        "/readyz",
                        "/version",
                        "/version/"),
                    List.of("get")))));
    for (int c = 0; c < CRD_GROUPS; c++) {
      String group = "crd-" + c + ".example.com";
      roles.add(
          RbacRole.clusterRole(
              "crd-" + c + "-viewer",
              List.of(rule(group, List.of("widgets", "gadgets"), "get", "list", "watch"))));
      roles.add(
          RbacRole.clusterRole(
              "crd-" + c + "-editor",
              List.of(
                  rule(group, List.of("widgets", "gadgets"), "*"),
                  rule(group, List.of("widgets/status", "gadgets/status"), "get", "update"))));
    }

    bindings.add(
        RbacBinding.clusterRoleBinding(
            "cluster-admin", ClusterRole.CLUSTER_ADMIN, List.of(group("system:masters"))));
    bindings.add(
        RbacBinding.clusterRoleBinding(
            "platform-admins", ClusterRole.CLUSTER_ADMIN, List.of(group("platform-admins"))));
    bindings.add(
        RbacBinding.clusterRoleBinding("auditors", ClusterRole.VIEW, List.of(group("auditors"))));
    bindings.add(
        RbacBinding.clusterRoleBinding(
            "system:basic-user",
            ClusterRole.named("system:basic-user"),
            List.of(group("system:authenticated"))));
    bindings.add(
        RbacBinding.clusterRoleBinding(
            "system:discovery",
            ClusterRole.named("system:discovery"),
            List.of(group("system:authenticated"))));
    for (int c = 0; c < CRD_GROUPS; c++) {
      bindings.add(
          RbacBinding.clusterRoleBinding(
              "crd-" + c + "-controller",
              ClusterRole.named("crd-" + c + "-editor"),
              List.of(RbacSubject.serviceAccount("crd-" + c + "-system", "controller"))));
      bindings.add(
          RbacBinding.clusterRoleBinding(
              "crd-" + c + "-readers",
              ClusterRole.named("crd-" + c + "-viewer"),
              List.of(group("org:readers"))));
    }

    for (int i = 0; i < NAMESPACES; i++) {
      String ns = namespace(i);
      int team = i % TEAMS;
      roles.add(
          RbacRole.role(
              ns,
              "deployer",
              List.of(
                  rule(
                      "apps",
                      List.of("deployments", "statefulsets"),
                      "get",
                      "list",
                      "watch",
                      "create",
                      "update",
                      "patch"),
                  rule("", List.of("services", "configmaps"), "get", "create", "update", "patch"),
                  rule("", List.of("pods"), "get", "list"))));
      roles.add(
          RbacRole.role(
              ns,
              "secret-reader",
              List.of(
                  rule("", List.of("secrets"), "list"),
                  rule("", List.of("secrets"), "get").withResourceNames(List.of("app-tls")))));
      roles.add(
          RbacRole.role(
              ns,
              "debugger",
              List.of(
                  rule("", List.of("pods", "pods/log"), "get", "list", "watch"),
                  rule("", List.of("pods/exec", "pods/portforward"), "create"))));

      bindings.add(
          RbacBinding.roleBinding(
              ns, "team-admin", ClusterRole.ADMIN, List.of(group("team-" + team))));
      bindings.add(
          RbacBinding.roleBinding(
              ns, "team-devs", ClusterRole.EDIT, List.of(group("team-" + team + "-devs"))));
      bindings.add(
          RbacBinding.roleBinding(ns, "readers", ClusterRole.VIEW, List.of(group("org:readers"))));
      bindings.add(
          RbacBinding.roleBinding(
              ns,
              "ci-deployer",
              Role.named("deployer").inNamespace(ns),
              List.of(RbacSubject.serviceAccount("ci", "deployer"))));
      bindings.add(
          RbacBinding.roleBinding(
              ns,
              "monitoring",
              ClusterRole.VIEW,
              List.of(group("system:serviceaccounts:monitoring"))));
      bindings.add(
          RbacBinding.roleBinding(ns, "oncall", ClusterRole.EDIT, List.of(group("oncall"))));
      bindings.add(
          RbacBinding.roleBinding(
              ns,
              "team-secrets",
              Role.named("secret-reader").inNamespace(ns),
              List.of(group("team-" + team), RbacSubject.user("lead-" + team))));
      bindings.add(
          RbacBinding.roleBinding(
              ns, "sre-debug", Role.named("debugger").inNamespace(ns), List.of(group("sre"))));
      bindings.add(
          RbacBinding.roleBinding(
              ns,
              "team-crds",
              ClusterRole.named("crd-" + (i % CRD_GROUPS) + "-editor"),
              List.of(group("team-" + team + "-devs"))));
    }
    return RbacSnapshot.of(roles, bindings);
  }

  /**
   * Every subject the bindings name, as the user the authorizer sees: a group as a user in it, a
   * user as itself, a ServiceAccount as its username (with its groups).
   */
  static List<KubernetesUser> subjects(RbacSnapshot snapshot) {
    Set<RbacSubject> seen = new LinkedHashSet<>();
    snapshot.bindings().forEach(b -> seen.addAll(b.subjects()));
    List<KubernetesUser> out = new ArrayList<>();
    for (RbacSubject s : seen) {
      out.add(
          switch (s.kind()) {
            case USER -> KubernetesUser.of(s.name());
            case GROUP -> KubernetesUser.of("member-of-" + s.name(), s.name());
            case SERVICE_ACCOUNT -> KubernetesUser.serviceAccount(s.namespace(), s.name());
          });
    }
    return out;
  }

  /** Every namespace, then {@code ""} for cluster scope. */
  static List<String> scopes() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < NAMESPACES; i++) {
      out.add(namespace(i));
    }
    out.add("");
    return out;
  }

  private static RbacSubject group(String name) {
    return RbacSubject.group(name);
  }

  private static PolicyRule rule(String group, List<String> resources, String... verbs) {
    return PolicyRule.resources(List.of(group), resources, List.of(verbs));
  }
}
