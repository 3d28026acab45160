package dev.eksaccess.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.api.ClusterAccess;
import dev.eksaccess.api.ClusterRole;
import dev.eksaccess.api.Grant;
import dev.eksaccess.api.IamRole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(FakeClusters.class)
@WithFlavour(value = ClusterFlavour.ACCESS_ENTRIES, name = "from-class")
class FakeClustersTest {
  static final Grant DEVS =
      ClusterAccess.grant(IamRole.of("arn:aws:iam::111122223333:role/Dev"))
          .asGroup("acme:devs")
          .bind(ClusterRole.VIEW)
          .inNamespace("apps");

  @Test
  void theClassAnnotationPicksTheFlavour(FakeCluster cluster) {
    assertThat(cluster.identities().name()).isEqualTo("access-entries");
    assertThat(cluster.clusterAccess().clusterName()).isEqualTo("from-class");
  }

  @Test
  @WithFlavour(ClusterFlavour.AWS_AUTH)
  void aMethodAnnotationWinsOverTheClass(FakeCluster cluster) {
    assertThat(cluster.identities().name()).isEqualTo("aws-auth");
  }

  @Test
  void aParameterAnnotationWinsAndEachParameterIsFresh(
      @WithFlavour(value = ClusterFlavour.AWS_AUTH, name = "a") FakeCluster a, FakeCluster b) {
    a.clusterAccess().plan(DEVS).apply();

    assertThat(a.identities().name()).isEqualTo("aws-auth");
    assertThat(a).hasGrant(DEVS);
    assertThat(b).hasNoWrites();
    assertThat(b.identities().name()).isEqualTo("access-entries");
  }
}
