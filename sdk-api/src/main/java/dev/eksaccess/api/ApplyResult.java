package dev.eksaccess.api;

import java.util.List;

/**
 * What {@link Plan#apply()} did.
 *
 * <pre>{@code
 * ApplyResult r = plan.apply();
 * r.applied();   // the changes written; empty when the cluster already matched
 * r.writes();    // remote write calls issued
 * }</pre>
 *
 * @param applied the changes written
 * @param writes how many remote writes the backends issued
 */
public record ApplyResult(List<Change> applied, int writes) {
  /** Copies the list. */
  public ApplyResult {
    applied = List.copyOf(applied);
  }

  /**
   * Whether anything was written.
   *
   * @return true when nothing changed
   */
  public boolean isNoOp() {
    return applied.isEmpty();
  }
}
