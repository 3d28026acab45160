package dev.eksaccess.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.api.spi.RbacQuery;
import dev.eksaccess.api.spi.RbacRef;
import dev.eksaccess.api.spi.RbacRole;
import dev.eksaccess.api.spi.RbacSnapshot;
import dev.eksaccess.rbac.Rbac;
import dev.eksaccess.testkit.DefaultClusterRoles;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The testkit's default ClusterRoles are a real cluster's: {@code cluster-admin} as the bootstrap
 * policy makes it, {@code view}, {@code edit} and {@code admin} with the rules the aggregation
 * controller filled in, rule for rule and in the same order.
 */
class DefaultClusterRolesRealServerTest {
  @RegisterExtension static final RealKubeApi KUBE = new RealKubeApi();

  @ParameterizedTest
  @ValueSource(strings = {"cluster-admin", "admin", "edit", "view"})
  void theFakesDefaultRoleHasTheRealClustersRules(String name) {
    RbacRef ref = RbacRef.role("", name);
    RbacSnapshot real = Rbac.backend(KUBE.client()).read(RbacQuery.of(List.of(ref)));

    RbacRole fake =
        DefaultClusterRoles.all().stream()
            .filter(r -> r.name().equals(name))
            .findFirst()
            .orElseThrow();
    assertThat(real.role(ref)).as("ClusterRole %s on the real server", name).isPresent();
    assertThat(fake.rules()).isEqualTo(real.role(ref).orElseThrow().rules());
  }
}
