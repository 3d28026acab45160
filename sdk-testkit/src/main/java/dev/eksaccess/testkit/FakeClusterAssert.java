package dev.eksaccess.testkit;

import dev.eksaccess.api.Grant;
import dev.eksaccess.api.Plan;
import dev.eksaccess.api.Principal;
import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions on a {@link FakeCluster}; reach them with {@code assertThat(cluster)}.
 *
 * <pre>{@code
 * assertThat(prod).hasGrant(devs).hasMapping(devsRole);
 * assertThat(prod).hasNoWrites();
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
}
