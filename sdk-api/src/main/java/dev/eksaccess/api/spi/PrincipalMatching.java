package dev.eksaccess.api.spi;

/**
 * How a backend finds the mapping for a caller. The two EKS backends differ, and the difference is
 * a classic cause of "access denied".
 *
 * <pre>{@code
 * switch (backend.principalMatching()) {
 *   case CANONICAL_ARN -> ...   // aws-auth: a role path in the mapping never matches
 *   case IAM_PRINCIPAL -> ...   // Access Entries: the role's real ARN, path included
 * }
 * }</pre>
 */
public enum PrincipalMatching {
  /**
   * aws-auth: the caller's canonical ARN (an assumed role becomes its role without path) equals the
   * mapping's ARN, ignoring case. A mapping that names a role with its path never matches.
   */
  CANONICAL_ARN,
  /**
   * Access Entries: EKS matches the IAM principal itself, so the entry names the role with its path
   * and a session matches it by account and role name.
   */
  IAM_PRINCIPAL
}
