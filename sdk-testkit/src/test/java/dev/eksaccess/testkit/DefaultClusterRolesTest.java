package dev.eksaccess.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.api.Caller;
import dev.eksaccess.api.ClusterAccess;
import dev.eksaccess.api.ClusterRole;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.Request;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fake's {@code view}, {@code edit} and {@code admin} are Kubernetes v1.20's aggregated
 * ClusterRoles: what the bootstrap policy and the aggregation controller give a real cluster
 * (integration-tests' {@code DefaultClusterRolesRealServerTest} compares them with a real one).
 */
class DefaultClusterRolesTest {
  static final String NS = "apps";

  /** A cluster where role/Viewer, role/Editor and role/Admin hold view, edit and admin in apps. */
  static FakeCluster cluster() {
    FakeCluster c = FakeCluster.awsAuth("prod");
    ClusterAccess ca = c.clusterAccess();
    ca.plan(grant("Viewer", ClusterRole.VIEW)).apply();
    ca.plan(grant("Editor", ClusterRole.EDIT)).apply();
    ca.plan(grant("Admin", ClusterRole.ADMIN)).apply();
    return c;
  }

  static dev.eksaccess.api.Grant grant(String role, ClusterRole clusterRole) {
    return ClusterAccess.grant(IamRole.of("arn:aws:iam::111122223333:role/" + role))
        .asGroup("acme:" + role.toLowerCase(java.util.Locale.ROOT))
        .bind(clusterRole)
        .inNamespace(NS);
  }

  static Caller as(String role) {
    return Caller.of("arn:aws:sts::111122223333:assumed-role/" + role + "/jane");
  }

  static Request req(String verb, String group, String resource) {
    Request r = Request.verb(verb).resource(resource).inNamespace(NS);
    return group.isEmpty() ? r : r.inApiGroup(group);
  }

  @Test
  void viewReadsWorkloadsButNoSecretsAndNothingNewerThanV120() {
    FakeCluster c = cluster();

    assertThat(c)
        .allows(as("Viewer"), req("get", "", "pods"))
        .allows(as("Viewer"), req("list", "apps", "controllerrevisions"))
        .allows(as("Viewer"), req("watch", "extensions", "ingresses"))
        .allows(as("Viewer"), req("get", "", "pods").subresource("log"))
        .doesNotAllow(as("Viewer"), req("get", "", "secrets"))
        .doesNotAllow(as("Viewer"), req("get", "rbac.authorization.k8s.io", "roles"))
        .doesNotAllow(as("Viewer"), req("delete", "", "pods"))
        // endpointslices joined view in v1.21: not in v1.20's bootstrap policy
        .doesNotAllow(as("Viewer"), req("list", "discovery.k8s.io", "endpointslices"));
  }

  @Test
  void editWritesWorkloadsAndSecretsButNotRbacNorWhatV120LeftOut() {
    FakeCluster c = cluster();

    assertThat(c)
        .allows(as("Editor"), req("get", "", "secrets"))
        .allows(as("Editor"), req("create", "", "pods").subresource("exec"))
        .allows(as("Editor"), req("impersonate", "", "serviceaccounts"))
        .allows(as("Editor"), req("deletecollection", "apps", "deployments"))
        .allows(as("Editor"), req("get", "", "pods")) // through view
        .doesNotAllow(as("Editor"), req("create", "rbac.authorization.k8s.io", "rolebindings"))
        .doesNotAllow(as("Editor"), req("create", "apps", "controllerrevisions"))
        .doesNotAllow(as("Editor"), req("update", "", "resourcequotas"))
        // leases, pods/eviction and serviceaccounts/token joined edit after v1.20
        .doesNotAllow(as("Editor"), req("create", "coordination.k8s.io", "leases"))
        .doesNotAllow(as("Editor"), req("create", "", "pods").subresource("eviction"));
  }

  @Test
  void adminAddsRolesBindingsAndAccessReviewsButNotQuotasOrTheNamespace() {
    FakeCluster c = cluster();

    assertThat(c)
        .allows(as("Admin"), req("create", "rbac.authorization.k8s.io", "rolebindings"))
        .allows(as("Admin"), req("create", "authorization.k8s.io", "localsubjectaccessreviews"))
        .allows(as("Admin"), req("patch", "", "secrets")) // through edit
        .doesNotAllow(as("Admin"), req("update", "", "resourcequotas"))
        .doesNotAllow(as("Admin"), req("delete", "", "namespaces"));
  }

  @Test
  void eachAggregateHoldsTheOneItSelectsFirstRuleForRule() {
    var view = DefaultClusterRoles.view().rules();
    var edit = DefaultClusterRoles.edit().rules();
    var admin = DefaultClusterRoles.admin().rules();

    // edit = system:aggregate-to-edit, then view (sorted by name); admin = edit, then
    // system:aggregate-to-admin: each rule once, as the aggregation controller unions them
    assertThat(edit.subList(edit.size() - view.size(), edit.size())).isEqualTo(view);
    assertThat(admin.subList(0, edit.size())).isEqualTo(edit);
    assertThat(admin).hasSize(edit.size() + 2).doesNotHaveDuplicates();
    assertThat(List.of(view.size(), edit.size(), admin.size())).containsExactly(9, 19, 21);
  }
}
