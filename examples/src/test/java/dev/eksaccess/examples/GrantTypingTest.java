package dev.eksaccess.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The grant chain's typing, proved by compiling user code: an incomplete grant does not compile.
 */
class GrantTypingTest {
  @Test
  void aChainWithoutAScopeIsNotAGrant() {
    List<String> errors =
        Javac.errorsFor(
            """
            class Probe {
              Grant g = ClusterAccess.grant(IamRole.of("arn:aws:iam::111122223333:role/Dev"))
                  .asGroup("acme:devs").bind(ClusterRole.VIEW);
            }""");
    assertThat(errors).anyMatch(e -> e.contains("incompatible types"));
  }

  @Test
  void aChainWithoutABindingIsNotAGrant() {
    List<String> errors =
        Javac.errorsFor(
            """
            class Probe {
              Grant g = ClusterAccess.grant(IamRole.of("arn:aws:iam::111122223333:role/Dev"))
                  .asGroup("acme:devs");
            }""");
    assertThat(errors).anyMatch(e -> e.contains("incompatible types"));
  }

  @Test
  void aScopeCannotFollowARole() {
    List<String> errors =
        Javac.errorsFor(
            """
            class Probe {
              Grant g = ClusterAccess.grant(IamRole.of("arn:aws:iam::111122223333:role/Dev"))
                  .asGroup("acme:devs").bind(Role.named("r").inNamespace("a")).clusterWide();
            }""");
    assertThat(errors).anyMatch(e -> e.contains("cannot find symbol"));
  }

  @Test
  void theCompleteChainCompiles() {
    assertThat(
            Javac.errorsFor(
                """
                    class Probe {
                  Grant g = ClusterAccess.grant(IamRole.of("arn:aws:iam::111122223333:role/Dev"))
                      .asGroup("acme:devs").bind(ClusterRole.VIEW).clusterWide();
                }"""))
        .isEmpty();
  }
}
