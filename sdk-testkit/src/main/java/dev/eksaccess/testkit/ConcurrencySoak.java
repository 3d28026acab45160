package dev.eksaccess.testkit;

import dev.eksaccess.api.ClusterAccess;
import dev.eksaccess.api.ClusterRole;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.IamUser;
import dev.eksaccess.api.Principal;
import dev.eksaccess.api.spi.IdentityBackend;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.RbacBackend;
import dev.eksaccess.api.spi.RbacBinding;
import dev.eksaccess.api.support.BindingNames;
import dev.eksaccess.api.support.GrantedFor;
import dev.eksaccess.api.support.PrincipalKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * The concurrency soak every pairing of backends must pass, against the fakes and against a real
 * server: services, each with its own {@link ClusterAccess}, grant a role each at once (half of
 * them into one shared group, so their writes meet on one RoleBinding), then revoke them all at
 * once. It reports how many landed, what gave up, and what was left behind, and {@link
 * Report#isClean()} says whether everything landed and nothing was lost or left.
 *
 * <pre>{@code
 * ConcurrencySoak.Report r = ConcurrencySoak.run(32, () -> clusterAccessForAService(),
 *     identitiesToInspect, rbacToInspect, "apps", i -> IamRole.of(ARN_PREFIX + "Service" + i));
 * assertThat(r.isClean()).as(r.toString()).isTrue();
 * }</pre>
 */
public final class ConcurrencySoak {
  private ConcurrencySoak() {}

  /**
   * What one round did.
   *
   * @param services how many services ran
   * @param granted how many grants landed
   * @param revoked how many revokes landed
   * @param failures why each grant or revoke that gave up did
   * @param missing mappings or bindings a landed grant should have left and did not
   * @param orphans bindings eks-access manages that no mapping uses, or that record a principal
   *     with no mapping, after the grants or after the revokes
   * @param leftovers mappings of the services left after the revokes
   * @param foreignLost mappings that were there before and are gone
   * @param took how long the round took
   */
  public record Report(
      int services,
      int granted,
      int revoked,
      List<String> failures,
      List<String> missing,
      List<String> orphans,
      List<String> leftovers,
      List<String> foreignLost,
      Duration took) {
    /** Copies the lists. */
    public Report {
      failures = List.copyOf(failures);
      missing = List.copyOf(missing);
      orphans = List.copyOf(orphans);
      leftovers = List.copyOf(leftovers);
      foreignLost = List.copyOf(foreignLost);
    }

    /**
     * Whether every grant and every revoke landed and nothing was lost, missing or left.
     *
     * @return true for a clean round
     */
    public boolean isClean() {
      return granted == services
          && revoked == services
          && failures.isEmpty()
          && missing.isEmpty()
          && orphans.isEmpty()
          && leftovers.isEmpty()
          && foreignLost.isEmpty();
    }

    @Override
    public String toString() {
      return "grants "
          + granted
          + "/"
          + services
          + ", revokes "
          + revoked
          + "/"
          + services
          + ", "
          + orphans.size()
          + " orphans, "
          + leftovers.size()
          + " leftovers, "
          + foreignLost.size()
          + " foreign lost, "
          + missing.size()
          + " missing, in "
          + took.toMillis()
          + " ms"
          + (failures.isEmpty() ? "" : "; failures: " + failures)
          + (orphans.isEmpty() ? "" : "; orphans: " + orphans)
          + (leftovers.isEmpty() ? "" : "; leftovers: " + leftovers)
          + (missing.isEmpty() ? "" : "; missing: " + missing)
          + (foreignLost.isEmpty() ? "" : "; foreign lost: " + foreignLost);
    }
  }

  /**
   * Runs one round.
   *
   * @param services how many services run at once
   * @param connect makes one service's {@link ClusterAccess} (each its own clients)
   * @param identities reads the identity layer to inspect it
   * @param rbac reads RBAC to inspect it
   * @param namespace the namespace the grants bind {@link ClusterRole#VIEW} in; it must exist
   * @param principal the principal of service {@code i}, distinct for each
   * @return the report
   * @throws InterruptedException if interrupted while waiting for the services
   */
  public static Report run(
      int services,
      Supplier<ClusterAccess> connect,
      IdentityBackend identities,
      RbacBackend rbac,
      String namespace,
      IntFunction<Principal> principal)
      throws InterruptedException {
    long began = System.nanoTime();
    List<IdentityMapping> before = identities.read().mappings();
    List<String> failures = new ArrayList<>();
    int granted =
        all(
            services,
            i ->
                () ->
                    connect
                        .get()
                        .plan(
                            ClusterAccess.grant(principal.apply(i))
                                .asGroup(group(i))
                                .bind(ClusterRole.VIEW)
                                .inNamespace(namespace))
                        .apply(),
            "grant",
            failures);
    List<String> missing = new ArrayList<>();
    List<IdentityMapping> mapped = identities.read().mappings();
    List<RbacBinding> bindings = managed(rbac.read().bindings(), namespace);
    for (int i = 0; i < services; i++) {
      Principal p = principal.apply(i);
      String key = PrincipalKeys.iamPrincipal(p);
      String g = group(i);
      boolean isMapped =
          mapped.stream()
              .anyMatch(
                  m ->
                      PrincipalKeys.iamPrincipal(m.principal()).equals(key)
                          && m.groups().contains(g));
      if (!isMapped) {
        missing.add("mapping of " + p + " as " + g);
      }
      boolean isBound =
          bindings.stream()
              .anyMatch(
                  b ->
                      b.subjects().stream().anyMatch(s -> s.name().equals(g))
                          && GrantedFor.lists(b, p));
      if (!isBound) {
        missing.add("binding of " + g + " recording " + p);
      }
    }
    List<String> orphans = orphans(mapped, bindings);
    int revoked =
        all(
            services,
            i -> () -> connect.get().planRevoke(principal.apply(i)).apply(),
            "revoke",
            failures);
    List<IdentityMapping> after = identities.read().mappings();
    List<RbacBinding> bindingsAfter = managed(rbac.read().bindings(), namespace);
    orphans.addAll(orphans(after, bindingsAfter));
    bindingsAfter.forEach(b -> orphans.add(b + " left after every revoke"));
    Set<String> services0 = new HashSet<>();
    for (int i = 0; i < services; i++) {
      services0.add(PrincipalKeys.iamPrincipal(principal.apply(i)));
    }
    List<String> leftovers = new ArrayList<>();
    for (IdentityMapping m : after) {
      if (services0.contains(PrincipalKeys.iamPrincipal(m.principal()))) {
        leftovers.add("mapping " + m.principal());
      }
    }
    List<String> foreignLost = new ArrayList<>();
    for (IdentityMapping m : before) {
      if (!services0.contains(PrincipalKeys.iamPrincipal(m.principal())) && !after.contains(m)) {
        foreignLost.add("mapping " + m.principal());
      }
    }
    return new Report(
        services,
        granted,
        revoked,
        failures,
        missing,
        orphans,
        leftovers,
        foreignLost,
        Duration.ofNanos(System.nanoTime() - began));
  }

  /** Half the services share one group; the others have one each. */
  static String group(int i) {
    return i % 2 == 0 ? "acme:shared" : "acme:team" + i;
  }

  private static List<RbacBinding> managed(List<RbacBinding> bindings, String namespace) {
    return bindings.stream()
        .filter(b -> b.namespace().equals(namespace))
        .filter(b -> BindingNames.MANAGER.equals(b.labels().get(BindingNames.MANAGED_BY)))
        .toList();
  }

  /** Bindings no mapping uses, or that record a principal with no mapping. */
  private static List<String> orphans(List<IdentityMapping> mapped, List<RbacBinding> bindings) {
    Set<String> names = new HashSet<>();
    Set<String> keys = new HashSet<>();
    for (IdentityMapping m : mapped) {
      names.addAll(m.groups());
      m.username().ifPresent(names::add);
      keys.add(PrincipalKeys.iamPrincipal(m.principal()));
    }
    List<String> out = new ArrayList<>();
    for (RbacBinding b : bindings) {
      if (b.subjects().stream().noneMatch(s -> names.contains(s.name()))) {
        out.add(b + " binds " + b.subjects() + ", which no mapping uses");
      }
      for (String arn : GrantedFor.arns(b)) {
        Principal recorded = arn.contains(":role/") ? IamRole.of(arn) : IamUser.of(arn);
        if (!keys.contains(PrincipalKeys.iamPrincipal(recorded))) {
          out.add(b + " records " + arn + ", which has no mapping");
        }
      }
    }
    return out;
  }

  /** Runs a job per service at once; returns how many succeeded, adding why the others failed. */
  private static int all(
      int services, IntFunction<Callable<?>> job, String what, List<String> failures)
      throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(services);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int i = 0; i < services; i++) {
      Callable<?> c = job.apply(i);
      done.add(
          pool.submit(
              () -> {
                start.await();
                return c.call();
              }));
    }
    start.countDown();
    int ok = 0;
    try {
      for (int i = 0; i < done.size(); i++) {
        try {
          done.get(i).get(5, TimeUnit.MINUTES);
          ok++;
        } catch (ExecutionException e) {
          Throwable cause = Objects.requireNonNullElse(e.getCause(), e);
          failures.add(what + " " + i + ": " + cause);
        } catch (TimeoutException e) {
          failures.add(what + " " + i + ": timed out after 5 minutes");
        }
      }
    } finally {
      pool.shutdownNow();
    }
    return ok;
  }
}
