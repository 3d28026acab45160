package dev.eksaccess.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.PolicyAssociation;
import dev.eksaccess.testkit.FakeCluster;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A policy whose rules eks-access does not know is "cannot decide", never deny-all. */
class UnknownPolicyRulesTest {
  static final IamRole ARGO = IamRole.of("arn:aws:iam::111122223333:role/ArgoCapabilityRole");
  static final IamRole NEWER = IamRole.of("arn:aws:iam::111122223333:role/Newer");
  static final IamRole DEV = IamRole.of("arn:aws:iam::111122223333:role/Dev");
  static final Caller ARGO_SESSION =
      Caller.of("arn:aws:sts::111122223333:assumed-role/ArgoCapabilityRole/jane");
  static final Request GET_SECRETS = Request.verb("get").resource("secrets").inNamespace("argocd");

  private static FakeCluster cluster() {
    FakeCluster prod = FakeCluster.accessEntries("prod");
    prod.seedAccessEntry(
        IdentityMapping.of(ARGO)
            .withPolicy(
                new PolicyAssociation(
                    AccessPolicy.named("AmazonEKSArgoCDPolicy"), Scope.namespaces("argocd"))));
    // a policy only a newer ListAccessPolicies knows
    prod.seedAccessEntry(
        IdentityMapping.of(NEWER)
            .withPolicy(
                new PolicyAssociation(
                    AccessPolicy.named("AmazonEKSFuturePolicy"), Scope.cluster())));
    prod.seedAccessEntry(
        IdentityMapping.of(DEV)
            .withPolicy(new PolicyAssociation(AccessPolicy.VIEW, Scope.namespaces("argocd"))));
    return prod;
  }

  @Test
  void explainSaysRulesUnknownCannotDecide() {
    Decision d = cluster().clusterAccess().explain(ARGO_SESSION, GET_SECRETS);

    assertThat(d.verdict()).isEqualTo(Decision.Verdict.UNDECIDED);
    assertThat(d.allowed()).isFalse();
    assertThat(d.steps())
        .last()
        .satisfies(
            s -> {
              assertThat(s.reason()).isEqualTo(Decision.Reason.ACCESS_POLICY_RULES_UNKNOWN);
              assertThat(s.text())
                  .contains("AmazonEKSArgoCDPolicy")
                  .contains("rules unknown, cannot decide")
                  .contains("AWS publishes no rules")
                  .contains(AccessPolicyCatalogue.version());
            });
  }

  @Test
  void aPolicyTheCatalogueDoesNotKnowIsUndecidedToo() {
    Decision d =
        cluster()
            .clusterAccess()
            .explain(
                Caller.of("arn:aws:sts::111122223333:assumed-role/Newer/jane"),
                Request.verb("delete").resource("nodes"));

    assertThat(d.verdict()).isEqualTo(Decision.Verdict.UNDECIDED);
    assertThat(d.steps().get(d.steps().size() - 1).text())
        .contains("AmazonEKSFuturePolicy")
        .contains("catalogue does not know it");
  }

  @Test
  void outOfScopeUnknownPoliciesStillDeny() {
    Decision d =
        cluster()
            .clusterAccess()
            .explain(ARGO_SESSION, Request.verb("get").resource("secrets").inNamespace("payments"));

    assertThat(d.verdict()).isEqualTo(Decision.Verdict.DENIED);
    assertThat(d.steps()).noneMatch(s -> s.reason() == Decision.Reason.ACCESS_POLICY_RULES_UNKNOWN);
  }

  @Test
  void knownRulesThatAllowStillAllow() {
    Decision d =
        cluster()
            .clusterAccess()
            .explain(
                Caller.of("arn:aws:sts::111122223333:assumed-role/Dev/jane"),
                Request.verb("get").resource("pods").inNamespace("argocd"));

    assertThat(d.verdict()).isEqualTo(Decision.Verdict.ALLOWED);
  }

  @Test
  void whoCanDoesNotSilentlyOmitUndecidedPrincipals() {
    ClusterAccess ca = cluster().clusterAccess();

    assertThat(ca.whoCan(GET_SECRETS)).extracting(AllowedPrincipal::principal).isEmpty();
    List<UndecidedPrincipal> undecided = ca.whoCanUndecided(GET_SECRETS);
    assertThat(undecided).extracting(UndecidedPrincipal::principal).containsExactly(ARGO, NEWER);
    assertThat(undecided.get(0).toString()).contains("AmazonEKSArgoCDPolicy");
    assertThat(ca.whoCanUndecided(Request.verb("get").resource("pods").inNamespace("argocd")))
        .extracting(UndecidedPrincipal::principal)
        .containsExactly(ARGO, NEWER)
        .doesNotContain(DEV); // view allows it: decided, so listed by whoCan
  }

  @Test
  void anUndecidedPrincipalNeedsAnUndecidedDecision() {
    Decision allowed =
        cluster()
            .clusterAccess()
            .explain(
                Caller.of("arn:aws:sts::111122223333:assumed-role/Dev/jane"),
                Request.verb("get").resource("pods").inNamespace("argocd"));

    InvalidInputException e =
        catchThrowableOfType(
            InvalidInputException.class, () -> new UndecidedPrincipal(DEV, allowed));

    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    assertThat(e.getMessage()).contains("ALLOWED").contains("whoCan");
  }

  @Test
  void auditReportsEachAssociationWithUnknownRules() throws Exception {
    Audit audit = cluster().clusterAccess().audit();

    assertThat(audit.findings())
        .filteredOn(f -> f.code() == Audit.Finding.Code.ACCESS_POLICY_RULES_UNKNOWN)
        .extracting(Audit.Finding::object)
        .containsExactlyInAnyOrder(
            "access entry " + ARGO.arn().value(), "access entry " + NEWER.arn().value());
    assertThat(audit.toTable()).contains("ACCESS_POLICY_RULES_UNKNOWN");
    assertThat(new ObjectMapper().readTree(audit.toJson()).path("findings"))
        .extracting(n -> n.path("code").asText())
        .contains("ACCESS_POLICY_RULES_UNKNOWN");
  }
}
