package dev.eksaccess.accessentries;

/**
 * How a cluster maps IAM principals: aws-auth only, both, or access entries only. EKS moves a
 * cluster only forward, one step at a time, and never back.
 *
 * <pre>{@code
 * AuthenticationMode.CONFIG_MAP.next();   // Optional[API_AND_CONFIG_MAP]
 * }</pre>
 */
public enum AuthenticationMode {
  /** aws-auth only; what a cluster created before access entries has. */
  CONFIG_MAP,
  /** Both, access entries first: an entry for a principal overrides its aws-auth mapping. */
  API_AND_CONFIG_MAP,
  /** Access entries only; aws-auth is ignored. */
  API;

  /**
   * The only mode EKS can move this one to.
   *
   * @return the next mode, or empty for {@link #API}
   */
  public java.util.Optional<AuthenticationMode> next() {
    return switch (this) {
      case CONFIG_MAP -> java.util.Optional.of(API_AND_CONFIG_MAP);
      case API_AND_CONFIG_MAP -> java.util.Optional.of(API);
      case API -> java.util.Optional.empty();
    };
  }
}
