package dev.eksaccess.accessentries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.eksaccess.api.AccessPolicy;
import dev.eksaccess.api.ClusterAccess;
import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.Grant;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.RetryPolicy;
import dev.eksaccess.testkit.FakeEksApi;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Plans over the real EKS client and the wire-level fake settle, and fail before anything is
 * written when they can: a grant with two access policies is not changed again by every re-plan,
 * whatever order it names them in or EKS answers in; a policy the region does not have is refused
 * at plan time with the nearest names it does have.
 */
class PlanSettlesTest {
  static final IamRole DEV = IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole");

  final FakeEksApi api = FakeEksApi.start().addCluster("prod", "API_AND_CONFIG_MAP");

  @AfterEach
  void stop() {
    api.close();
  }

  ClusterAccess cluster() {
    return ClusterAccess.builder()
        .clusterName("prod")
        .identities(
            AccessEntries.builder(AccessEntriesBackendTest.client(api, 3), "prod")
                .consistencyRetry(RetryPolicy.of(5, Duration.ZERO, Duration.ofMillis(1)))
                .build())
        .build();
  }

  @Test
  void aGrantWithTwoPoliciesSettlesWhateverTheirOrder() {
    Grant viewThenEdit =
        ClusterAccess.grant(DEV)
            .asGroup("acme:devs")
            .bind(AccessPolicy.VIEW)
            .inNamespace("apps")
            .and()
            .bind(AccessPolicy.EDIT)
            .inNamespace("apps");
    Grant editThenView =
        ClusterAccess.grant(DEV)
            .asGroup("acme:devs")
            .bind(AccessPolicy.EDIT)
            .inNamespace("apps")
            .and()
            .bind(AccessPolicy.VIEW)
            .inNamespace("apps");
    ClusterAccess prod = cluster();

    prod.plan(viewThenEdit).apply();
    long writes = api.writes();

    assertThat(prod.plan(viewThenEdit).changes()).as("re-plan as written").isEmpty();
    assertThat(prod.plan(editThenView).changes()).as("re-plan in the other order").isEmpty();
    prod.plan(viewThenEdit).apply();
    assertThat(api.writes()).isEqualTo(writes);
  }

  @Test
  void aMisspelledPolicyFailsAtPlanTimeWithTheNearestNamesAndWritesNothing() {
    Grant typo =
        ClusterAccess.grant(DEV)
            .asGroup("acme:devs")
            .bind(AccessPolicy.named("AmazonEKSViewPolicyy"))
            .inNamespace("apps");

    var e = catchThrowableOfType(InvalidInputException.class, () -> cluster().plan(typo));

    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_GRANT);
    assertThat(e.getMessage())
        .contains("AmazonEKSViewPolicyy")
        .contains("did you mean AmazonEKSViewPolicy")
        .contains("Nothing was written");
    assertThat(api.writes()).isZero();
    assertThat(api.requests()).anyMatch(r -> r.contains("ListAccessPolicies"));
  }
}
