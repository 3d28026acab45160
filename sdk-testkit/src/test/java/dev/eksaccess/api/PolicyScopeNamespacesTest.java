package dev.eksaccess.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.PolicyAssociation;
import dev.eksaccess.testkit.FakeCluster;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Access-policy scopes naming namespaces the cluster does not have: EKS accepts any name and any
 * {@code prefix*} wildcard (user guide, access-policies: "namespaces not checked"), so audit
 * checks.
 */
class PolicyScopeNamespacesTest {
  static final IamRole DEV = IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole");
  static final IamRole OPS = IamRole.of("arn:aws:iam::111122223333:role/Ops");

  static FakeCluster cluster() {
    FakeCluster prod = FakeCluster.accessEntries("prod");
    prod.seedAccessEntry(
        IdentityMapping.of(DEV)
            .withPolicy(
                new PolicyAssociation(
                    AccessPolicy.VIEW,
                    Scope.namespaces("prod-apps", "prod-gone", "dev-*", "qa-*"))));
    prod.seedAccessEntry(
        IdentityMapping.of(OPS)
            .withPolicy(new PolicyAssociation(AccessPolicy.EDIT, Scope.cluster()))
            .withPolicy(
                new PolicyAssociation(AccessPolicy.ADMIN, Scope.namespaces("kube-system"))));
    return prod;
  }

  static List<Audit.Finding> scopeFindings(Audit audit) {
    return audit.findings().stream()
        .filter(f -> f.code() == Audit.Finding.Code.POLICY_SCOPE_MISSING_NAMESPACE)
        .toList();
  }

  @Test
  void aNamespaceThatDoesNotExistAndAWildcardThatMatchesNoneAreFindings() {
    FakeCluster prod = cluster().seedNamespaces("prod-apps", "dev-team-a");

    Audit audit = prod.clusterAccess().audit();

    assertThat(scopeFindings(audit))
        .extracting(Audit.Finding::object, Audit.Finding::detail)
        .allSatisfy(t -> assertThat(t.toList().get(0)).isEqualTo("mapping " + DEV))
        .extracting(t -> (String) t.toList().get(1))
        .satisfiesExactly(
            d ->
                assertThat(d)
                    .startsWith(
                        "associates AmazonEKSViewPolicy in namespace prod-gone, which does not exist")
                    .contains("grants it to whoever creates such a namespace later"),
            d ->
                assertThat(d)
                    .startsWith(
                        "associates AmazonEKSViewPolicy in namespaces qa-*, which matches no namespace"));
    assertThat(audit.toJson()).contains("\"code\":\"POLICY_SCOPE_MISSING_NAMESPACE\"");
    assertThat(audit.toTable()).contains("POLICY_SCOPE_MISSING_NAMESPACE mapping " + DEV);
  }

  @Test
  void aWildcardIsFineOnceSomethingMatchesItAndANamespaceOnceCreated() {
    FakeCluster prod = cluster().seedNamespaces("prod-apps", "dev-team-a", "prod-gone", "qa");

    // "qa" does not match "qa-*": the wildcard needs the prefix with its dash
    assertThat(scopeFindings(prod.clusterAccess().audit()))
        .singleElement()
        .satisfies(f -> assertThat(f.detail()).contains("qa-*"));

    prod.seedNamespaces("qa-1");
    assertThat(scopeFindings(prod.clusterAccess().audit())).isEmpty();
  }

  @Test
  void aNamespaceWithOnlyABindingInItCountsAsExisting() {
    FakeCluster prod = cluster().seedNamespaces("dev-team-a");
    prod.clusterAccess()
        .plan(
            ClusterAccess.grant(OPS)
                .asGroup("acme:ops")
                .bind(ClusterRole.VIEW)
                .inNamespace("prod-apps"))
        .apply();
    prod.seedNamespaces("prod-gone", "qa-1");

    assertThat(scopeFindings(prod.clusterAccess().audit())).isEmpty();
  }

  @Test
  void withoutTheNamespacesNothingIsClaimedAndExplainNeverListsThem() {
    FakeCluster prod = cluster();

    assertThat(scopeFindings(prod.clusterAccess().audit())).isEmpty();

    prod.seedNamespaces("prod-apps");
    int before = prod.requests().size();
    prod.clusterAccess()
        .explain(
            Caller.of("arn:aws:sts::111122223333:assumed-role/DevTeamRole/jane"),
            Request.verb("get").resource("pods").inNamespace("prod-apps"));
    assertThat(prod.requests().subList(before, prod.requests().size()))
        .noneMatch(r -> r.operation().equals("namespaces"));
    prod.clusterAccess().audit();
    assertThat(prod.requests()).anyMatch(r -> r.operation().equals("namespaces"));
  }
}
