package dev.eksaccess.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eksaccess.api.Caller;
import dev.eksaccess.api.ClusterAccess;
import dev.eksaccess.api.ClusterRole;
import dev.eksaccess.api.Grant;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.Request;
import org.junit.jupiter.api.Test;

/** The testkit's assertions pass where the cluster is as said and fail, saying why, where not. */
class FakeClusterAssertTest {
  static final IamRole DEV = IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole");
  static final Caller JANE = Caller.of("arn:aws:sts::111122223333:assumed-role/DevTeamRole/jane");
  static final Request GET_PODS = Request.verb("get").resource("pods").inNamespace("apps");
  static final Request DELETE_PODS = Request.verb("delete").resource("pods").inNamespace("apps");
  static final Grant VIEW =
      ClusterAccess.grant(DEV).asGroup("acme:devs").bind(ClusterRole.VIEW).inNamespace("apps");

  @Test
  void negativeAssertionsHoldBeforeAGrantAndFailAfterIt() {
    FakeCluster prod = FakeCluster.awsAuth("prod");

    prod.assertThat()
        .hasNoMappingFor(DEV)
        .doesNotHaveGrant(VIEW)
        .doesNotAllow(JANE, GET_PODS)
        .hasNoWrites();

    prod.clusterAccess().plan(VIEW).apply();

    prod.assertThat()
        .hasMapping(DEV)
        .hasGrant(VIEW)
        .allows(JANE, GET_PODS)
        .doesNotAllow(JANE, DELETE_PODS);
    assertThatThrownBy(() -> prod.assertThat().hasNoMappingFor(DEV))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("to map no " + DEV);
    assertThatThrownBy(() -> prod.assertThat().doesNotHaveGrant(VIEW))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("not to hold");
    assertThatThrownBy(() -> prod.assertThat().doesNotAllow(JANE, GET_PODS))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("ALLOWED: ");
    assertThatThrownBy(() -> prod.assertThat().allows(JANE, DELETE_PODS))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("DENIED: ");
  }

  @Test
  void aRevokeLeavesNoMapping() {
    FakeCluster prod = FakeCluster.accessEntries("prod");
    prod.clusterAccess().plan(VIEW).apply();

    prod.clusterAccess().planRevoke(DEV).apply();

    prod.assertThat().hasNoMappingFor(DEV).doesNotAllow(JANE, GET_PODS);
    assertThat(prod.state().bindings()).noneMatch(b -> b.name().startsWith("eks-access-"));
  }
}
