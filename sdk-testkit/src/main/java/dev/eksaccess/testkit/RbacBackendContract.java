package dev.eksaccess.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.eksaccess.api.ClusterRole;
import dev.eksaccess.api.ConflictException;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.spi.PolicyRule;
import dev.eksaccess.api.spi.RbacBackend;
import dev.eksaccess.api.spi.RbacBinding;
import dev.eksaccess.api.spi.RbacChange;
import dev.eksaccess.api.spi.RbacChanges;
import dev.eksaccess.api.spi.RbacRole;
import dev.eksaccess.api.spi.RbacSubject;
import dev.eksaccess.api.spi.Version;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link RbacBackend} shares, as JUnit tests: extend it and return a fresh
 * backend (with no eks-access objects) from {@link #backend()}; its Roles and RoleBindings go in
 * {@link #namespace()}, which must exist.
 *
 * <pre>{@code
 * class MyRbacContractTest extends RbacBackendContract {
 *   @Override
 *   protected RbacBackend backend() {
 *     return Rbac.backend(apiClientOfAFreshFakeKubeApi);
 *   }
 * }
 * }</pre>
 */
public abstract class RbacBackendContract {
  private static final Map<String, String> OWNED =
      Map.of("app.kubernetes.io/managed-by", "eks-access");

  /** Creates the contract. */
  protected RbacBackendContract() {}

  /**
   * A fresh backend; called once per test.
   *
   * @return the backend under test
   */
  protected abstract RbacBackend backend();

  /**
   * The namespace the contract's Roles and RoleBindings go in; it must exist on the server. A run
   * against a shared server returns one of its own (and deletes it after).
   *
   * @return the namespace, {@code apps} unless overridden
   */
  protected String namespace() {
    return "apps";
  }

  private RbacBinding binding(ClusterRole role) {
    return new RbacBinding(
        namespace(), "eks-access-devs", role, List.of(RbacSubject.group("acme:devs")), OWNED);
  }

  private static RbacChanges changes(RbacChange... c) {
    return RbacChanges.of(List.of(c));
  }

  private Optional<RbacBinding> find(RbacBackend b) {
    return b.read().bindings().stream()
        .filter(x -> x.namespace().equals(namespace()) && x.name().equals("eks-access-devs"))
        .findFirst();
  }

  @Test
  public void aWrittenBindingReadsBackAsWritten() {
    RbacBackend b = backend();

    b.write(changes(new RbacChange.PutBinding(binding(ClusterRole.VIEW))), b.read().version());

    assertThat(find(b))
        .hasValueSatisfying(
            x -> {
              assertThat(x.roleRef()).isEqualTo(ClusterRole.VIEW);
              assertThat(x.subjects()).containsExactly(RbacSubject.group("acme:devs"));
              assertThat(x.labels()).containsAllEntriesOf(OWNED);
            });
  }

  @Test
  public void anEmptyBatchWritesNothing() {
    RbacBackend b = backend();
    Version v = b.read().version();

    assertThat(b.write(RbacChanges.of(List.of()), v).writes()).isZero();
    assertThat(b.read().version()).isEqualTo(v);
  }

  @Test
  public void aStaleVersionIsRefusedAndNothingIsWritten() {
    RbacBackend b = backend();
    Version stale = b.read().version();
    b.write(changes(new RbacChange.PutBinding(binding(ClusterRole.VIEW))), stale);

    Throwable e =
        catchThrowable(
            () ->
                b.write(
                    changes(new RbacChange.DeleteBinding(namespace(), "eks-access-devs")), stale));

    assertThat(e).isInstanceOf(ConflictException.class);
    assertThat(find(b)).isPresent();
  }

  @Test
  public void aRoleRefCannotChangeWithoutADeleteFirst() {
    RbacBackend b = backend();
    b.write(changes(new RbacChange.PutBinding(binding(ClusterRole.VIEW))), b.read().version());
    Version v = b.read().version();

    assertThat(
            catchThrowable(
                () -> b.write(changes(new RbacChange.PutBinding(binding(ClusterRole.EDIT))), v)))
        .isInstanceOf(InvalidInputException.class);
    assertThat(find(b))
        .hasValueSatisfying(x -> assertThat(x.roleRef()).isEqualTo(ClusterRole.VIEW));

    b.write(
        changes(
            new RbacChange.DeleteBinding(namespace(), "eks-access-devs"),
            new RbacChange.PutBinding(binding(ClusterRole.EDIT))),
        v);
    assertThat(find(b))
        .hasValueSatisfying(x -> assertThat(x.roleRef()).isEqualTo(ClusterRole.EDIT));
  }

  @Test
  public void aDeletedBindingIsGone() {
    RbacBackend b = backend();
    b.write(changes(new RbacChange.PutBinding(binding(ClusterRole.VIEW))), b.read().version());

    b.write(
        changes(new RbacChange.DeleteBinding(namespace(), "eks-access-devs")), b.read().version());

    assertThat(find(b)).isEmpty();
  }

  @Test
  public void aWrittenRoleReadsBackWithItsRules() {
    RbacBackend b = backend();
    PolicyRule rule =
        PolicyRule.resources(List.of("widgets.example.com"), List.of("widgets"), List.of("get"));
    RbacRole role = new RbacRole(namespace(), "widget-reader", List.of(rule), OWNED);

    b.write(changes(new RbacChange.PutRole(role)), b.read().version());

    assertThat(b.read().roles())
        .filteredOn(r -> r.namespace().equals(namespace()) && r.name().equals("widget-reader"))
        .singleElement()
        .satisfies(r -> assertThat(r.rules()).containsExactly(rule));
  }
}
