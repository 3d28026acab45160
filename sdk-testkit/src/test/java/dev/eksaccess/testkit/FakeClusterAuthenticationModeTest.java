package dev.eksaccess.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.eksaccess.api.AccessPolicy;
import dev.eksaccess.api.BackendException;
import dev.eksaccess.api.ClusterAccess;
import dev.eksaccess.api.IamRole;
import org.junit.jupiter.api.Test;

class FakeClusterAuthenticationModeTest {
  static final IamRole DEV = IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole");

  @Test
  void accessEntriesAreRefusedAsByEksUntilTheClusterLeavesConfigMap() {
    FakeCluster legacy = FakeCluster.accessEntries("legacy").seedAuthenticationMode("CONFIG_MAP");
    var devs = ClusterAccess.grant(DEV).asGroup("acme:devs").bind(AccessPolicy.VIEW).clusterWide();

    BackendException e =
        catchThrowableOfType(BackendException.class, () -> legacy.clusterAccess().plan(devs));

    assertThat(e.statusCode()).isEqualTo(400);
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage())
        .contains("InvalidRequestException")
        .contains("must be set to one of [API, API_AND_CONFIG_MAP]")
        .contains("Move the cluster to API_AND_CONFIG_MAP first");
    assertThat(legacy.state().mappings()).isEmpty();

    legacy.updateAuthenticationMode("API_AND_CONFIG_MAP");
    legacy.clusterAccess().plan(devs).apply();
    assertThat(legacy).hasGrant(devs);
  }

  @Test
  void theModeMovesOneStepForwardAtATimeAsInEks() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    assertThat(prod.authenticationMode()).isEqualTo("API_AND_CONFIG_MAP");

    for (String refused : new String[] {"CONFIG_MAP", "API_AND_CONFIG_MAP"}) {
      var e =
          catchThrowableOfType(
              IllegalArgumentException.class, () -> prod.updateAuthenticationMode(refused));
      assertThat(e.getMessage())
          .contains("Unsupported authentication mode update from API_AND_CONFIG_MAP to " + refused)
          .contains("never back");
      assertThat(prod.authenticationMode()).isEqualTo("API_AND_CONFIG_MAP");
    }
    assertThat(
            catchThrowableOfType(
                    IllegalArgumentException.class,
                    () ->
                        FakeCluster.awsAuth("x")
                            .seedAuthenticationMode("CONFIG_MAP")
                            .updateAuthenticationMode("API"))
                .getMessage())
        .contains("from CONFIG_MAP to API");
    assertThat(
            catchThrowableOfType(
                    IllegalArgumentException.class, () -> prod.seedAuthenticationMode("api"))
                .getMessage())
        .contains("must be one of [CONFIG_MAP, API_AND_CONFIG_MAP, API], not \"api\"");

    prod.updateAuthenticationMode("API");
    assertThat(prod.authenticationMode()).isEqualTo("API");
  }
}
