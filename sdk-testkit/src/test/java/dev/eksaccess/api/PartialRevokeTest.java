package dev.eksaccess.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.testkit.FakeCluster;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Partial revokes: built by a typed chain, reviewed as JSON, refused clearly where they cannot be.
 */
class PartialRevokeTest {
  static final IamRole DEV = IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole");
  static final IamRole BREAK_GLASS = IamRole.of("arn:aws:iam::111122223333:role/BreakGlass");
  static final Grant DEVS =
      ClusterAccess.grant(DEV).asGroup("acme:devs").bind(ClusterRole.VIEW).inNamespace("apps");
  static final Grant ONCALL =
      ClusterAccess.grant(DEV)
          .asGroup("acme:oncall")
          .bind(ClusterRole.EDIT)
          .inNamespaces("apps", "ops");

  @Test
  void theChainReadsAsWhatItRevokes() {
    assertThat(ClusterAccess.revoke(DEV).group("acme:devs"))
        .hasToString("revoke group acme:devs from " + DEV);
    PartialRevoke edit = ClusterAccess.revoke(DEV).binding(ClusterRole.EDIT).inNamespace("ops");
    assertThat(edit.kind()).isEqualTo(PartialRevoke.Kind.BINDING);
    assertThat(edit.scope()).contains(Scope.namespaces("ops"));
    assertThat(ClusterAccess.revoke(DEV).accessPolicy(AccessPolicy.VIEW).everywhere().scope())
        .isEmpty();
    assertThat(ClusterAccess.revoke(DEV).binding(new Role("ops", "deployer")).scope())
        .contains(Scope.namespaces("ops"));
  }

  @Test
  void aBadNameIsRefusedAtTheStepThatReceivedIt() {
    var group =
        catchThrowableOfType(
            InvalidInputException.class, () -> ClusterAccess.revoke(DEV).group("acme:devs "));
    assertThat(group.code()).isEqualTo(ErrorCode.INVALID_GROUP);
    var ns =
        catchThrowableOfType(
            InvalidInputException.class,
            () -> ClusterAccess.revoke(DEV).binding(ClusterRole.VIEW).inNamespace("Bad_NS"));
    assertThat(ns.code()).isEqualTo(ErrorCode.INVALID_NAMESPACE);
  }

  @Test
  void aBindingRevokeWithoutAnRbacBackendIsRefusedAndWritesNothing() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    prod.seed(IdentityMapping.of(DEV).withUsername("dev").withGroups(List.of("acme:devs")));
    ClusterAccess noRbac =
        ClusterAccess.builder().clusterName("prod").identities(prod.identities()).build();
    var e =
        catchThrowableOfType(
            InvalidInputException.class,
            () -> noRbac.plan(ClusterAccess.revoke(DEV).binding(ClusterRole.VIEW).everywhere()));
    assertThat(e).hasMessageContaining("needs an RBAC backend");
    assertThat(prod.requests()).noneMatch(r -> r.isWrite());
  }

  @Test
  void aBreakGlassMappingLosesNothingPiecemeal() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    ClusterAccess ca = prod.clusterAccess();
    ca.plan(ClusterAccess.breakGlass(BREAK_GLASS).forDuration(Duration.ofHours(1)).because("INC-1"))
        .apply();
    var e =
        catchThrowableOfType(
            InvalidInputException.class,
            () -> ca.plan(ClusterAccess.revoke(BREAK_GLASS).group("system:masters")));
    assertThat(e).hasMessageContaining("break-glass");
  }

  @Test
  void aReviewedPartialRevokeAppliesLaterOnlyIfTheClusterStillMatches() {
    FakeCluster prod = FakeCluster.accessEntries("prod");
    ClusterAccess ca = prod.clusterAccess();
    ca.plan(DEVS, ONCALL).apply();
    Plan reviewed =
        ca.plan(
            ClusterAccess.revoke(DEV).group("acme:oncall"),
            ClusterAccess.revoke(DEV).binding(ClusterRole.VIEW).inNamespace("apps"));
    String json = reviewed.toJson();
    assertThat(json).contains("\"partialRevokes\"");

    Plan approved = Plan.fromJson(json, ca);
    assertThat(approved.changes()).isEqualTo(reviewed.changes());
    approved.apply();

    assertThat(prod.state().mappings())
        .singleElement()
        .satisfies(m -> assertThat(m.groups()).containsExactly("acme:devs"));
    assertThat(prod.state().bindings())
        .noneMatch(b -> b.roleRef().equals(ClusterRole.EDIT))
        .noneMatch(b -> b.roleRef().equals(ClusterRole.VIEW) && b.namespace().equals("apps"));
    assertThat(ca.plan(DEVS).isEmpty())
        .as("the mapping keeps acme:devs; the binding is gone")
        .isFalse();

    // stale: reviewed, then the group comes back another way
    String again = ca.plan(ClusterAccess.revoke(DEV).group("acme:devs")).toJson();
    ca.plan(ClusterAccess.revoke(DEV).group("acme:devs")).apply();
    var stale = catchThrowableOfType(ConflictException.class, () -> Plan.fromJson(again, ca));
    assertThat(stale).hasMessageContaining("changed since this plan was reviewed");
  }

  @Test
  void everyKindOfPartialRevokeComesBackFromReviewedJsonAsPlanned() {
    FakeCluster prod = FakeCluster.accessEntries("prod");
    ClusterAccess ca = prod.clusterAccess();
    ca.plan(
            DEVS,
            ClusterAccess.grant(DEV)
                .asGroup("acme:devs")
                .bind(AccessPolicy.VIEW)
                .inNamespaces("a", "b"),
            ClusterAccess.grant(DEV).asGroup("acme:devs").bind(AccessPolicy.EDIT).clusterWide())
        .apply();
    Plan reviewed =
        ca.plan(
            ClusterAccess.revoke(DEV).accessPolicy(AccessPolicy.VIEW).inNamespace("a"),
            ClusterAccess.revoke(DEV).accessPolicy(AccessPolicy.EDIT).clusterWide(),
            ClusterAccess.revoke(DEV).binding(new Role("apps", "deployer")),
            ClusterAccess.revoke(DEV).binding(ClusterRole.VIEW).everywhere());

    Plan approved = Plan.fromJson(reviewed.toJson(), ca);

    assertThat(approved.changes()).isEqualTo(reviewed.changes()).isNotEmpty();
    assertThat(approved.warnings())
        .anyMatch(w -> w.contains("nothing to revoke") && w.contains("deployer"));
    approved.apply();
    assertThat(prod.state().mappings())
        .singleElement()
        .satisfies(
            m ->
                assertThat(m.policies())
                    .containsExactly(
                        new dev.eksaccess.api.spi.PolicyAssociation(
                            AccessPolicy.VIEW, Scope.namespaces("b"))));

    String tampered = reviewed.toJson().replace("\"kind\":\"BINDING\"", "\"kind\":\"NAMESPACE\"");
    var e = catchThrowableOfType(InvalidInputException.class, () -> Plan.fromJson(tampered, ca));
    assertThat(e).hasMessageContaining("intent.partialRevokes[2].kind");
  }
}
