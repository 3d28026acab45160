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

  /**
   * What was written, one change per line, for logs and JShell.
   *
   * <pre>{@code
   * System.out.println(plan.apply());
   * // applied 2 changes in 2 writes:
   * //   + mapping arn:aws:iam::111122223333:role/DevTeamRole
   * //   + RoleBinding prod-apps/eks-access-view-acme-devs-dfcc3894
   * }</pre>
   */
  @Override
  public String toString() {
    if (applied.isEmpty()) {
      return "applied nothing: the cluster already matched (" + writes + " writes)";
    }
    StringBuilder s =
        new StringBuilder("applied ")
            .append(applied.size())
            .append(applied.size() == 1 ? " change in " : " changes in ")
            .append(writes)
            .append(writes == 1 ? " write:" : " writes:");
    for (Change c : applied) {
      s.append("\n  ").append(c.toString().replace("\n", "\n  "));
    }
    return s.toString();
  }
}
