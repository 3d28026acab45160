package dev.eksaccess.api;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Hears what a {@link ClusterAccess} does, for a service that embeds it: to count, alert, or record
 * an audit trail of its own. Every method has an empty default, so a listener overrides only what
 * it needs. A listener runs on the caller's thread, in the order of events; one that throws is
 * logged and ignored, never allowed to stop an apply.
 *
 * <pre>{@code
 * ClusterAccess prod = ClusterAccess.builder().clusterName("prod").identities(ids).rbac(rbac)
 *     .listener(new ClusterAccessListener() {
 *       @Override public void applied(Plan plan, ApplyResult result) {
 *         audit.record("prod", result.applied());
 *       }
 *     })
 *     .build();
 * }</pre>
 */
public interface ClusterAccessListener {
  /**
   * An operation began. {@link #finished} follows with the same instance on the same thread,
   * whatever happens; operations nest, ending in the reverse order they began.
   *
   * @param operation the operation
   */
  default void started(Operation operation) {}

  /**
   * An operation ended, after every other event it caused.
   *
   * @param operation the operation, as given to {@link #started}
   * @param outcome how it ended
   * @param cause what it threw: an SDK exception when {@code outcome} is {@link
   *     Operation.Outcome#FAILED} or {@link Operation.Outcome#REFUSED_BY_GUARD}; null when it
   *     returned, or when it threw something else (such as a null argument)
   */
  default void finished(
      Operation operation, Operation.Outcome outcome, @Nullable EksAccessException cause) {}

  /**
   * A plan was made (nothing written yet).
   *
   * @param plan the plan
   */
  default void planned(Plan plan) {}

  /**
   * An apply finished: what it wrote, possibly nothing.
   *
   * @param plan the plan applied
   * @param result what was written
   */
  default void applied(Plan plan, ApplyResult result) {}

  /**
   * An apply was refused by lockout guards that were not forced; nothing was written.
   *
   * @param plan the plan
   * @param violations the guards it trips
   */
  default void refused(Plan plan, List<Violation> violations) {}

  /**
   * A write lost a race (or failed in a way a repeat may fix) and is being tried again.
   *
   * @param cluster the cluster
   * @param object what was written, such as {@code aws-auth} or {@code RoleBinding apps/x}
   * @param attempt the attempt that failed, from 1
   * @param cause why
   */
  default void retried(String cluster, String object, int attempt, EksAccessException cause) {}

  /**
   * An apply failed; the exception says what is left on the cluster.
   *
   * @param plan the plan
   * @param cause the failure thrown to the caller
   */
  default void failed(Plan plan, EksAccessException cause) {}

  /**
   * An expiry sweep removed a break-glass grant.
   *
   * @param cluster the cluster
   * @param principal the role whose break-glass grant went
   * @param reason the reason it was granted for
   * @param expiredAt when it expired
   */
  default void breakGlassExpired(
      String cluster, Principal principal, String reason, Instant expiredAt) {}
}
