package dev.eksaccess.api;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A lockout guard refused a change; nothing was written.
 *
 * <pre>{@code
 * Plan plan = prod.planRevoke(IamRole.of("arn:aws:iam::111122223333:role/Admin"));
 * plan.apply();                            // throws UnsafeChangeException (LOCKOUT_LAST_ADMIN)
 * plan.force(Guard.LAST_ADMIN).apply();    // only when that is really intended
 * }</pre>
 */
public class UnsafeChangeException extends EksAccessException {
  private static final long serialVersionUID = 1L;

  @SuppressWarnings("serial") // an immutable List.copyOf of records
  private final List<Violation> violations;

  /**
   * Creates the exception; the code is that of the first violation's guard.
   *
   * @param violations every guard the change violates, at least one
   */
  public UnsafeChangeException(List<Violation> violations) {
    super(
        violations.get(0).guard().code(),
        violations.stream().map(Violation::message).collect(Collectors.joining("\n")),
        null);
    this.violations = List.copyOf(violations);
  }

  /**
   * Every guard the change violates.
   *
   * @return the violations, never empty
   */
  public List<Violation> violations() {
    return violations;
  }
}
