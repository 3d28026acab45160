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

  @Test
  void aRefusedWriteIsARecordedRequestAndRetriesNeverSleep() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    for (int i = 0; i < 5; i++) {
      prod.failNext(dev.eksaccess.api.Change.Layer.IDENTITY, WriteFault.CONFLICT);
    }
    long started = System.nanoTime();

    prod.clusterAccess().plan(VIEW).apply();

    assertThat(java.time.Duration.ofNanos(System.nanoTime() - started))
        .as("five lost races retried without the defaults' pauses")
        .isLessThan(java.time.Duration.ofSeconds(2));
    assertThat(prod.requests())
        .filteredOn(RecordedRequest::failed)
        .hasSize(5)
        .allSatisfy(
            r -> {
              assertThat(r.operation()).isEqualTo("write");
              assertThat(r.isWrite()).as("it changed nothing").isFalse();
              assertThat(r.failure()).get().asString().contains("changed by another writer");
            });
    prod.assertThat().hasGrant(VIEW);
  }

  @Test
  void aRetryPolicyOfOneAttemptGivesUpAtTheFirstLostRace() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    prod.failNext(dev.eksaccess.api.Change.Layer.IDENTITY, WriteFault.CONFLICT);
    ClusterAccess once =
        prod.clusterAccess(
            dev.eksaccess.api.RetryPolicy.of(1, java.time.Duration.ZERO, java.time.Duration.ZERO));

    assertThatThrownBy(() -> once.plan(VIEW).apply())
        .isInstanceOf(dev.eksaccess.api.EksAccessException.class);
    prod.assertThat().hasNoMappingFor(DEV);
  }
}
