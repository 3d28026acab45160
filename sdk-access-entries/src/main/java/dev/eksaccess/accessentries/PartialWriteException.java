package dev.eksaccess.accessentries;

import dev.eksaccess.api.BackendException;
import dev.eksaccess.api.EksAccessException;
import dev.eksaccess.api.spi.IdentityChange;
import dev.eksaccess.api.spi.PartialWrite;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Some changes of a batch landed on EKS and some did not. EKS has no transactions, so a batch of
 * access entry changes can stop half way; this says exactly which changes are in place and why each
 * other one is not. Applying the same plan again finishes the job: it re-reads and writes only what
 * is still missing.
 *
 * <pre>{@code
 * catch (PartialWriteException e) {
 *   e.applied().forEach(c -> log.info("in place: {}", c));
 *   e.failed().forEach((c, why) -> log.warn("not applied: {}: {}", c, why.getMessage()));
 * }
 * }</pre>
 */
public final class PartialWriteException extends BackendException implements PartialWrite {
  private static final long serialVersionUID = 1L;

  private final transient List<IdentityChange> applied;
  private final transient Map<IdentityChange, EksAccessException> failed;

  /**
   * Creates the exception.
   *
   * @param cluster the cluster
   * @param applied the changes that landed
   * @param failed the changes that did not, each with its failure
   */
  public PartialWriteException(
      String cluster,
      List<IdentityChange> applied,
      Map<IdentityChange, EksAccessException> failed) {
    super(
        message(cluster, applied, failed),
        failed.values().iterator().next() instanceof BackendException b ? b.statusCode() : 0,
        failed.values().iterator().next() instanceof BackendException b
            ? b.requestId().orElse(null)
            : null,
        failed.values().stream().allMatch(EksAccessException::retryable),
        failed.values().iterator().next());
    this.applied = List.copyOf(applied);
    this.failed = new LinkedHashMap<>(failed);
  }

  /**
   * The changes that landed.
   *
   * @return the changes, in batch order
   */
  @Override
  public List<IdentityChange> applied() {
    return applied;
  }

  /**
   * The changes that did not land, each with why.
   *
   * @return the changes and their failures, in batch order
   */
  public Map<IdentityChange, EksAccessException> failed() {
    return Map.copyOf(failed);
  }

  private static String message(
      String cluster,
      List<IdentityChange> applied,
      Map<IdentityChange, EksAccessException> failed) {
    StringBuilder s =
        new StringBuilder("access entries of cluster ")
            .append(cluster)
            .append(": ")
            .append(applied.size())
            .append(" change(s) applied, ")
            .append(failed.size())
            .append(" not. Apply the plan again to finish; it writes only what is missing.");
    applied.forEach(c -> s.append("\n  applied:     ").append(c));
    failed.forEach(
        (c, e) -> s.append("\n  not applied: ").append(c).append(": ").append(e.getMessage()));
    return s.toString();
  }
}
