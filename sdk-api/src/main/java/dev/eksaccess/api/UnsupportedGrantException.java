package dev.eksaccess.api;

import dev.eksaccess.api.spi.Capability;
import java.util.Objects;

/**
 * The backend cannot express what was asked, so nothing was planned or written.
 *
 * <pre>{@code
 * // aws-auth has no access policies:
 * awsAuthCluster.plan(grant(role).asGroup("devs").bind(AccessPolicy.VIEW).clusterWide());
 * // throws UnsupportedGrantException: backend "aws-auth" lacks ACCESS_POLICIES ...
 * }</pre>
 */
public class UnsupportedGrantException extends EksAccessException {
  private static final long serialVersionUID = 1L;

  private final Capability missing;

  /**
   * Creates the exception.
   *
   * @param missing the capability the backend lacks
   * @param message where, what and how to fix it
   */
  public UnsupportedGrantException(Capability missing, String message) {
    super(ErrorCode.UNSUPPORTED_BY_BACKEND, message, null);
    this.missing = Objects.requireNonNull(missing, "missing");
  }

  /**
   * The capability the backend lacks.
   *
   * @return the missing capability
   */
  public Capability missing() {
    return missing;
  }
}
