package dev.eksaccess.api;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An apply stopped part way, and what it had written could not all be taken back: the exception
 * lists the changes that landed and what is left on the cluster, so nobody has to guess. Planning
 * and applying the same intent again finishes the job (a revoke's leftover bindings are found by
 * the record eks-access keeps on them, even once the mapping is gone).
 *
 * <pre>{@code
 * try {
 *   plan.apply();
 * } catch (IncompleteApplyException e) {
 *   e.leftOnCluster().forEach(System.err::println);   // RoleBinding apps/eks-access-view-… (…)
 * }
 * }</pre>
 */
public final class IncompleteApplyException extends EksAccessException {
  private static final long serialVersionUID = 1L;

  private final List<Change> applied;
  private final List<String> leftOnCluster;

  /**
   * Creates it.
   *
   * @param message what happened, what is on the cluster, and what to do
   * @param applied the changes that landed
   * @param leftOnCluster what this apply wrote and is still there, one line each
   * @param cause the failure that stopped the apply
   */
  public IncompleteApplyException(
      String message, List<Change> applied, List<String> leftOnCluster, @Nullable Throwable cause) {
    super(ErrorCode.INCOMPLETE_APPLY, message, cause);
    this.applied = List.copyOf(applied);
    this.leftOnCluster = List.copyOf(leftOnCluster);
  }

  /**
   * The changes that landed before the apply stopped.
   *
   * @return the changes
   */
  public List<Change> applied() {
    return applied;
  }

  /**
   * What this apply wrote and could not take back, one line per object.
   *
   * @return the leftovers; empty when only the applied changes remain
   */
  public List<String> leftOnCluster() {
    return leftOnCluster;
  }

  @Override
  public boolean retryable() {
    return getCause() instanceof EksAccessException e && e.retryable();
  }
}
