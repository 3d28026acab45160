package dev.eksaccess.api.spi;

/**
 * An optional feature a backend may have. The planner refuses, with {@link
 * dev.eksaccess.api.UnsupportedGrantException}, any change that needs a capability the backend
 * lacks, instead of dropping it.
 *
 * <pre>{@code
 * if (backend.capabilities().contains(Capability.ACCESS_POLICIES)) { ... }
 * }</pre>
 */
public enum Capability {
  /** EKS access policies associated with a mapping (Access Entries). */
  ACCESS_POLICIES,
  /** Whole-account mappings (aws-auth {@code mapAccounts}). */
  ACCOUNT_MAPPINGS,
  /**
   * Kubernetes groups that start with {@code system:}, such as {@code system:masters} (aws-auth;
   * EKS refuses them in access entries).
   */
  SYSTEM_GROUPS,
  /**
   * Stores a mapping's {@link BreakGlassMark} and reads it back, so that a break-glass grant can
   * expire. Without it, {@link dev.eksaccess.api.ClusterAccess#plan(dev.eksaccess.api.BreakGlass)}
   * refuses: a grant whose expiry is lost would be a permanent cluster-admin.
   */
  BREAK_GLASS_RECORDS,
  /**
   * Writes at all. Named by the {@link dev.eksaccess.api.UnsupportedGrantException} a read-only
   * backend (one read from saved manifests) throws when asked to write; a backend that writes need
   * not list it.
   */
  WRITES
}
