package dev.eksaccess.testkit;

import java.lang.reflect.AnnotatedElement;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that gives each test a fresh {@link FakeCluster}, as a parameter of the test
 * method (or of a lifecycle method or constructor). {@link WithFlavour} picks the flavour.
 *
 * <pre>{@code
 * @ExtendWith(FakeClusters.class)
 * class OnboardingTest {
 *   @Test
 *   void grantsView(@WithFlavour(ClusterFlavour.ACCESS_ENTRIES) FakeCluster prod) {
 *     new TeamOnboarding(prod.clusterAccess()).onboard("payments", "Payments");
 *     assertThat(prod).hasNoWrites();   // or hasGrant(..), hasMapping(..)
 *   }
 * }
 * }</pre>
 */
public final class FakeClusters implements ParameterResolver {
  /** Creates the extension; JUnit does, through {@code @ExtendWith}. */
  public FakeClusters() {}

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == FakeCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    WithFlavour flavour =
        find(parameter.getParameter())
            .or(() -> context.getTestMethod().flatMap(FakeClusters::find))
            .or(() -> context.getTestClass().flatMap(FakeClusters::find))
            .orElse(null);
    String name = flavour == null ? "test" : flavour.name();
    return flavour != null && flavour.value() == ClusterFlavour.ACCESS_ENTRIES
        ? FakeCluster.accessEntries(name)
        : FakeCluster.awsAuth(name);
  }

  private static Optional<WithFlavour> find(AnnotatedElement element) {
    return Optional.ofNullable(element.getAnnotation(WithFlavour.class));
  }
}
