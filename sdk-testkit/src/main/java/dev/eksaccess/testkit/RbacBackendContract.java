package dev.eksaccess.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.eksaccess.api.ClusterAccess;
import dev.eksaccess.api.ClusterRole;
import dev.eksaccess.api.ConflictException;
import dev.eksaccess.api.Guard;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.Plan;
import dev.eksaccess.api.RetryPolicy;
import dev.eksaccess.api.spi.PolicyRule;
import dev.eksaccess.api.spi.RbacBackend;
import dev.eksaccess.api.spi.RbacBinding;
import dev.eksaccess.api.spi.RbacChange;
import dev.eksaccess.api.spi.RbacChanges;
import dev.eksaccess.api.spi.RbacQuery;
import dev.eksaccess.api.spi.RbacRef;
import dev.eksaccess.api.spi.RbacRole;
import dev.eksaccess.api.spi.RbacSnapshot;
import dev.eksaccess.api.spi.RbacSubject;
import dev.eksaccess.api.spi.Version;
import dev.eksaccess.api.support.GrantedFor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link RbacBackend} shares, as JUnit tests: extend it and return a fresh
 * backend (with no eks-access objects) from {@link #backend()}; its Roles and RoleBindings go in
 * {@link #namespace()}, which must exist. Versions are per object: a change's precondition names
 * its own object's state, and writers of other objects never conflict with it.
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
   * A fresh backend; called once per test. Namespace {@link #namespace()} exists.
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

  private RbacRef devs() {
    return RbacRef.roleBinding(namespace(), "eks-access-devs");
  }

  private RbacRef ops() {
    return RbacRef.roleBinding(namespace(), "eks-access-ops");
  }

  private static RbacBinding binding(RbacRef ref, ClusterRole role) {
    return new RbacBinding(
        ref.namespace(), ref.name(), role, List.of(RbacSubject.group("acme:" + ref.name())), OWNED);
  }

  private static RbacChanges changes(RbacChange... c) {
    return RbacChanges.of(List.of(c));
  }

  private static Optional<RbacBinding> find(RbacBackend b, RbacRef ref) {
    return b.read().binding(ref);
  }

  private static Version versionOf(RbacBackend b, RbacRef ref) {
    return b.read(RbacQuery.of(List.of(ref))).versionOf(ref);
  }

  @Test
  public void aPartialRevokeRemovesOnlyThatBindingAndKeepsOneAnotherPrincipalHolds() {
    RbacBackend b = backend();
    String ns = namespace();
    IamRole dev = IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole");
    IamRole ops = IamRole.of("arn:aws:iam::111122223333:role/Ops");
    ClusterState ids = ClusterState.empty("contract");
    ClusterAccess cluster =
        ClusterAccess.builder()
            .clusterName("contract")
            .identities(Fakes.awsAuth(ids))
            .rbac(b)
            .retryPolicy(RetryPolicy.of(3, Duration.ZERO, Duration.ZERO))
            .build();
    cluster
        .plan(
            ClusterAccess.grant(dev).asGroup("acme:devs").bind(ClusterRole.VIEW).inNamespace(ns),
            ClusterAccess.grant(dev).asGroup("acme:devs").bind(ClusterRole.EDIT).inNamespace(ns),
            ClusterAccess.grant(ops).asGroup("acme:devs").bind(ClusterRole.VIEW).inNamespace(ns))
        .force(Guard.MISSING_ROLE)
        .apply();
    List<RbacBinding> granted = ownedIn(b, ns);
    assertThat(granted)
        .extracting(RbacBinding::roleRef)
        .contains(ClusterRole.VIEW, ClusterRole.EDIT);

    Plan edit = cluster.plan(ClusterAccess.revoke(dev).binding(ClusterRole.EDIT).inNamespace(ns));
    assertThat(edit.changes())
        .extracting(c -> c.layer() + " " + c.action())
        .containsExactly("RBAC DELETE");
    edit.apply();
    assertThat(ownedIn(b, ns)).extracting(RbacBinding::roleRef).containsExactly(ClusterRole.VIEW);

    Plan view = cluster.plan(ClusterAccess.revoke(dev).binding(ClusterRole.VIEW).everywhere());
    assertThat(view.changes())
        .extracting(c -> c.layer() + " " + c.action())
        .containsExactly("RBAC UPDATE");
    assertThat(view.warnings()).anyMatch(w -> w.contains("keeps that access through"));
    view.apply();
    RbacBinding shared = ownedIn(b, ns).get(0);
    assertThat(GrantedFor.lists(shared, dev)).isFalse();
    assertThat(GrantedFor.lists(shared, ops)).isTrue();
    assertThat(ids.mappings()).extracting(m -> m.principal()).contains(dev, ops);

    Plan nothing =
        cluster.plan(ClusterAccess.revoke(dev).binding(ClusterRole.EDIT).inNamespace(ns));
    assertThat(nothing.isEmpty()).isTrue();
    assertThat(nothing.warnings()).anyMatch(w -> w.startsWith("nothing to revoke"));
  }

  private static List<RbacBinding> ownedIn(RbacBackend b, String ns) {
    return b.read().bindings().stream()
        .filter(x -> x.namespace().equals(ns))
        .filter(x -> "eks-access".equals(x.labels().get("app.kubernetes.io/managed-by")))
        .toList();
  }

  @Test
  public void aWrittenBindingReadsBackAsWrittenWithItsAnnotations() {
    RbacBackend b = backend();
    RbacBinding want =
        binding(devs(), ClusterRole.VIEW)
            .withAnnotations(Map.of("eks-access.dev/granted-for", "arn:aws:iam::1:role/x"));

    b.write(changes(new RbacChange.PutBinding(want, Version.ABSENT)));

    assertThat(find(b, devs()))
        .hasValueSatisfying(
            x -> {
              assertThat(x.roleRef()).isEqualTo(ClusterRole.VIEW);
              assertThat(x.subjects()).containsExactly(RbacSubject.group("acme:eks-access-devs"));
              assertThat(x.labels()).containsAllEntriesOf(OWNED);
              assertThat(x.annotations())
                  .containsEntry("eks-access.dev/granted-for", "arn:aws:iam::1:role/x");
            });
  }

  @Test
  public void aScopedReadKnowsWhatItLookedForAndDidNotFind() {
    RbacBackend b = backend();
    b.write(changes(new RbacChange.PutBinding(binding(devs(), ClusterRole.VIEW), Version.ABSENT)));

    RbacSnapshot some = b.read(RbacQuery.of(List.of(devs(), ops())));

    assertThat(some.binding(devs())).isPresent();
    assertThat(some.versionOf(devs()).isAbsent() || some.versionOf(devs()).isAny()).isFalse();
    assertThat(some.versionOf(ops())).isEqualTo(Version.ABSENT);
  }

  @Test
  public void theNamespacesItListsHoldTheOnesEveryClusterHasAndTheContractsOwn() {
    String own = namespace(); // made before the list is read: a real server creates it on demand
    RbacBackend b = backend();

    // a backend that cannot tell says so with empty, and audit then checks no scopes
    b.namespaces().ifPresent(ns -> assertThat(ns).contains(own, "default", "kube-system"));
  }

  @Test
  public void anEmptyBatchWritesNothing() {
    RbacBackend b = backend();

    assertThat(b.write(RbacChanges.of(List.of())).writes()).isZero();
    assertThat(b.read().bindings()).noneMatch(x -> x.namespace().equals(namespace()));
  }

  @Test
  public void aCreateThatMeetsAnObjectMadeFirstIsALostRace() {
    RbacBackend b = backend();
    b.write(changes(new RbacChange.PutBinding(binding(devs(), ClusterRole.VIEW), Version.ABSENT)));

    Throwable e =
        catchThrowable(
            () ->
                b.write(
                    changes(
                        new RbacChange.PutBinding(
                            binding(devs(), ClusterRole.VIEW)
                                .withAnnotations(Map.of("eks-access.dev/granted-for", "theirs")),
                            Version.ABSENT))));

    assertThat(e).isInstanceOf(ConflictException.class);
    assertThat(find(b, devs())).hasValueSatisfying(x -> assertThat(x.annotations()).isEmpty());
  }

  @Test
  public void aStaleObjectVersionIsRefusedAndNothingIsWritten() {
    RbacBackend b = backend();
    b.write(changes(new RbacChange.PutBinding(binding(devs(), ClusterRole.VIEW), Version.ABSENT)));
    Version stale = versionOf(b, devs());
    b.write(
        changes(
            new RbacChange.PutBinding(
                binding(devs(), ClusterRole.VIEW).withAnnotations(Map.of("note", "moved on")),
                stale)));

    Throwable e =
        catchThrowable(
            () ->
                b.write(
                    changes(new RbacChange.DeleteBinding(namespace(), "eks-access-devs", stale))));

    assertThat(e).isInstanceOf(ConflictException.class);
    assertThat(find(b, devs())).isPresent();
  }

  @Test
  public void writersOfDifferentObjectsNeverConflict() {
    RbacBackend b = backend();
    b.write(changes(new RbacChange.PutBinding(binding(devs(), ClusterRole.VIEW), Version.ABSENT)));
    Version devs = versionOf(b, devs());

    // another writer creates and changes another binding in between
    b.write(changes(new RbacChange.PutBinding(binding(ops(), ClusterRole.EDIT), Version.ABSENT)));
    b.write(
        changes(
            new RbacChange.PutBinding(
                binding(ops(), ClusterRole.EDIT).withAnnotations(Map.of("n", "1")),
                versionOf(b, ops()))));

    b.write(changes(new RbacChange.DeleteBinding(namespace(), "eks-access-devs", devs)));
    assertThat(find(b, devs())).isEmpty();
    assertThat(find(b, ops())).isPresent();
  }

  @Test
  public void aRoleRefCannotChangeWithoutADeleteFirst() {
    RbacBackend b = backend();
    b.write(changes(new RbacChange.PutBinding(binding(devs(), ClusterRole.VIEW), Version.ABSENT)));
    Version v = versionOf(b, devs());

    assertThat(
            catchThrowable(
                () ->
                    b.write(
                        changes(new RbacChange.PutBinding(binding(devs(), ClusterRole.EDIT), v)))))
        .isInstanceOf(InvalidInputException.class);
    assertThat(find(b, devs()))
        .hasValueSatisfying(x -> assertThat(x.roleRef()).isEqualTo(ClusterRole.VIEW));

    b.write(
        changes(
            new RbacChange.DeleteBinding(namespace(), "eks-access-devs", v),
            new RbacChange.PutBinding(binding(devs(), ClusterRole.EDIT), Version.ABSENT)));
    assertThat(find(b, devs()))
        .hasValueSatisfying(x -> assertThat(x.roleRef()).isEqualTo(ClusterRole.EDIT));
  }

  @Test
  public void aDeletedBindingIsGoneAndDeletingItAgainIsNoWrite() {
    RbacBackend b = backend();
    b.write(changes(new RbacChange.PutBinding(binding(devs(), ClusterRole.VIEW), Version.ABSENT)));
    Version v = versionOf(b, devs());

    assertThat(
            b.write(changes(new RbacChange.DeleteBinding(namespace(), "eks-access-devs", v)))
                .writes())
        .isEqualTo(1);
    assertThat(find(b, devs())).isEmpty();
    assertThat(
            b.write(changes(new RbacChange.DeleteBinding(namespace(), "eks-access-devs", v)))
                .writes())
        .isZero();
  }

  @Test
  public void aWrittenRoleReadsBackWithItsRules() {
    RbacBackend b = backend();
    PolicyRule rule =
        PolicyRule.resources(List.of("widgets.example.com"), List.of("widgets"), List.of("get"));
    RbacRole role = new RbacRole(namespace(), "widget-reader", List.of(rule), OWNED);

    b.write(changes(new RbacChange.PutRole(role, Version.ABSENT)));

    assertThat(b.read().roles())
        .filteredOn(r -> r.namespace().equals(namespace()) && r.name().equals("widget-reader"))
        .singleElement()
        .satisfies(r -> assertThat(r.rules()).containsExactly(rule));
  }
}
