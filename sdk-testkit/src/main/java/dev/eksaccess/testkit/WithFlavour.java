package dev.eksaccess.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Picks the flavour (and name) of the {@link FakeCluster} that {@link FakeClusters} injects. On a
 * parameter it wins over one on the method, which wins over one on the class; without any, the
 * cluster is aws-auth flavoured and named {@code test}.
 *
 * <pre>{@code
 * @ExtendWith(FakeClusters.class)
 * @WithFlavour(ClusterFlavour.ACCESS_ENTRIES)
 * class OnboardingTest {
 *   @Test
 *   void grantsView(FakeCluster cluster) { ... }
 * }
 * }</pre>
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.METHOD, ElementType.TYPE})
public @interface WithFlavour {
  /**
   * The flavour.
   *
   * @return the flavour
   */
  ClusterFlavour value();

  /**
   * The cluster's name.
   *
   * @return the name
   */
  String name() default "test";
}
