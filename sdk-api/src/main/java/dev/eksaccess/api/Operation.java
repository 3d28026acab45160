package dev.eksaccess.api;

/**
 * One call of a {@link ClusterAccess} that a {@link ClusterAccessListener} can time: {@link
 * ClusterAccessListener#started} when it begins, {@link ClusterAccessListener#finished} when it
 * ends, with the same instance, on the same thread. Operations nest: {@link
 * ClusterAccess#expireBreakGlass()} is one operation around a plan and an apply.
 *
 * <pre>{@code
 * ClusterAccess prod = ClusterAccess.builder().clusterName("prod").identities(ids)
 *     .listener(new ClusterAccessListener() {
 *       final Map<Operation, Long> began = new ConcurrentHashMap<>();
 *       @Override public void started(Operation op) { began.put(op, System.nanoTime()); }
 *       @Override public void finished(Operation op, Operation.Outcome outcome,
 *           EksAccessException cause) {
 *         record(op.kind().tag(), outcome.tag(), System.nanoTime() - began.remove(op));
 *       }
 *     })
 *     .build();
 * }</pre>
 *
 * <p>Everything an operation carries is low in cardinality and holds no secret: the kind, the
 * cluster's name and the identity backend's name. Two operations are equal only if they are the
 * same instance, so an operation is a safe key for what a listener keeps while it runs.
 */
public final class Operation {
  /** What a {@link ClusterAccess} was asked to do. */
  public enum Kind {
    /** {@link ClusterAccess#plan(Grant...)}, a revoke or a break-glass plan. */
    PLAN("plan"),
    /** {@link Plan#apply()}. */
    APPLY("apply"),
    /** {@link ClusterAccess#explain}. */
    EXPLAIN("explain"),
    /** {@link ClusterAccess#whoCan}. */
    WHO_CAN("who-can"),
    /** {@link ClusterAccess#audit()} and {@link ClusterAccess#audit(java.util.Collection)}. */
    AUDIT("audit"),
    /** {@link ClusterAccess#snapshot()}. */
    SNAPSHOT("snapshot"),
    /** {@link ClusterAccess#expireBreakGlass()}: a plan and its apply, nested in it. */
    EXPIRE_BREAK_GLASS("break-glass-expire");

    private final String tag;

    Kind(String tag) {
      this.tag = tag;
    }

    /**
     * The kind as a metric tag value, such as {@code who-can}.
     *
     * @return the tag value
     */
    public String tag() {
      return tag;
    }
  }

  /** How an operation ended. */
  public enum Outcome {
    /** It did what it was asked. */
    SUCCESS("success"),
    /** A lockout guard that was not forced refused it; nothing was written. */
    REFUSED_BY_GUARD("refused-by-guard"),
    /** It did what it was asked after losing at least one race with another writer. */
    CONFLICT_RETRIED("conflict-retried"),
    /** It threw. */
    FAILED("failed");

    private final String tag;

    Outcome(String tag) {
      this.tag = tag;
    }

    /**
     * The outcome as a metric tag value, such as {@code refused-by-guard}.
     *
     * @return the tag value
     */
    public String tag() {
      return tag;
    }
  }

  private final Kind kind;
  private final String cluster;
  private final String backend;
  private volatile boolean conflictRetried;

  Operation(Kind kind, String cluster, String backend) {
    this.kind = kind;
    this.cluster = cluster;
    this.backend = backend;
  }

  /**
   * What was asked.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * The cluster's name, as given to {@link ClusterAccess.Builder#clusterName}.
   *
   * @return the name
   */
  public String cluster() {
    return cluster;
  }

  /**
   * The identity backend's name: {@code aws-auth}, {@code access-entries} or a fake's.
   *
   * @return the name
   */
  public String backend() {
    return backend;
  }

  /** A write of this operation lost a race and was tried again. */
  void conflictRetried() {
    conflictRetried = true;
  }

  /** The outcome of an operation that returned normally. */
  Outcome succeeded() {
    return conflictRetried ? Outcome.CONFLICT_RETRIED : Outcome.SUCCESS;
  }

  @Override
  public String toString() {
    return kind.tag() + " on " + cluster + " (" + backend + ")";
  }
}
