package dev.eksaccess.testkit;

import dev.eksaccess.api.Caller;
import dev.eksaccess.api.Decision;
import dev.eksaccess.api.Grant;
import dev.eksaccess.api.Plan;
import dev.eksaccess.api.Principal;
import dev.eksaccess.api.Request;
import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions on a {@link FakeCluster}; reach them with {@code assertThat(cluster)}.
 *
 * <pre>{@code
 * assertThat(prod).hasGrant(devs).hasMapping(devsRole);
 * assertThat(prod).hasNoWrites();
 * assertThat(prod).hasNoMappingFor(contractor).doesNotAllow(jane, deletePods);
 * }</pre>
 */
public final class FakeClusterAssert extends AbstractAssert<FakeClusterAssert, FakeCluster> {
  FakeClusterAssert(FakeCluster actual) {
    super(actual, FakeClusterAssert.class);
  }

  /**
   * The grant is fully in place in both layers: planning it again finds nothing to change.
   *
   * @param grant the grant
   * @return this assertion
   */
  public FakeClusterAssert hasGrant(Grant grant) {
    isNotNull();
    Plan plan = actual.clusterAccess().plan(grant);
    if (!plan.isEmpty()) {
      failWithMessage(
          "Expected %s to hold%n  %s%nbut it would still need:%n%s", actual, grant, plan);
    }
    return this;
  }

  /**
   * The principal has a mapping (with any username and groups).
   *
   * @param principal the IAM role or user
   * @return this assertion
   */
  public FakeClusterAssert hasMapping(Principal principal) {
    isNotNull();
    boolean found =
        actual.state().mappings().stream()
            .anyMatch(m -> m.principal().arn().value().equalsIgnoreCase(principal.arn().value()));
    if (!found) {
      failWithMessage(
          "Expected %s to map %s, but its mappings are:%n  %s",
          actual, principal, actual.state().mappings());
    }
    return this;
  }

  /**
   * No fake received a write since the cluster was made (seeding does not count).
   *
   * @return this assertion
   */
  public FakeClusterAssert hasNoWrites() {
    isNotNull();
    long writes = actual.requests().stream().filter(RecordedRequest::isWrite).count();
    if (writes > 0) {
      failWithMessage(
          "Expected %s to have no writes, but it had %s: %s", actual, writes, actual.requests());
    }
    return this;
  }

  /**
   * The principal has no mapping at all, under any case of its ARN: what a revoke must leave.
   *
   * @param principal the IAM role or user
   * @return this assertion
   */
  public FakeClusterAssert hasNoMappingFor(Principal principal) {
    isNotNull();
    actual.state().mappings().stream()
        .filter(m -> m.principal().arn().value().equalsIgnoreCase(principal.arn().value()))
        .findFirst()
        .ifPresent(
            m ->
                failWithMessage(
                    "Expected %s to map no %s, but it maps%n  %s", actual, principal, m));
    return this;
  }

  /**
   * The grant is not in place: planning it would change something (the opposite of {@link
   * #hasGrant}).
   *
   * @param grant the grant
   * @return this assertion
   */
  public FakeClusterAssert doesNotHaveGrant(Grant grant) {
    isNotNull();
    if (actual.clusterAccess().plan(grant).isEmpty()) {
      failWithMessage("Expected %s not to hold%n  %s%nbut it does, in both layers", actual, grant);
    }
    return this;
  }

  /**
   * The caller may make the request, as explain decides it over both layers.
   *
   * @param caller the IAM caller
   * @param request the Kubernetes request
   * @return this assertion
   */
  public FakeClusterAssert allows(Caller caller, Request request) {
    isNotNull();
    Decision d = actual.clusterAccess().explain(caller, request);
    if (!d.allowed()) {
      failWithMessage("Expected %s to allow %s%n  %s%nbut:%n%s", actual, caller, request, d);
    }
    return this;
  }

  /**
   * The caller may not make the request: denied, as explain decides it over both layers. A decision
   * eks-access cannot make ({@link Decision.Verdict#UNDECIDED}) fails this assertion too.
   *
   * @param caller the IAM caller
   * @param request the Kubernetes request
   * @return this assertion
   */
  public FakeClusterAssert doesNotAllow(Caller caller, Request request) {
    isNotNull();
    Decision d = actual.clusterAccess().explain(caller, request);
    if (d.verdict() != Decision.Verdict.DENIED) {
      failWithMessage("Expected %s to deny %s%n  %s%nbut:%n%s", actual, caller, request, d);
    }
    return this;
  }
}
