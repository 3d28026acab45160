package dev.eksaccess.accessentries;

import dev.eksaccess.accessentries.support.EksErrors;
import dev.eksaccess.api.AccessPolicy;
import dev.eksaccess.api.BackendException;
import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.Guard;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.UnsafeChangeException;
import dev.eksaccess.api.Violation;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.PolicyAssociation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.Cluster;
import software.amazon.awssdk.services.eks.model.Update;
import software.amazon.awssdk.services.eks.model.UpdateStatus;

/**
 * A cluster's authentication mode: read it, and move it one step along CONFIG_MAP →
 * API_AND_CONFIG_MAP → API, waiting for EKS to finish each update. Every move EKS would refuse (a
 * skip, a step back, the same mode) is refused before AWS is called, and so is the move to API
 * while no access entry holds {@code AmazonEKSClusterAdminPolicy} at cluster scope, unless forced.
 * No move can be undone.
 *
 * <pre>{@code
 * AuthenticationModes modes = AuthenticationModes.of(eks, "prod");
 * modes.current();                                          // CONFIG_MAP
 * ModeChange step = modes.plan(AuthenticationMode.API_AND_CONFIG_MAP);
 * System.out.println(step);                                 // what happens, and that it is final
 * step.apply();                                             // UpdateClusterConfig, then polls
 * }</pre>
 */
public final class AuthenticationModes {
  private final EksClient eks;
  private final String cluster;
  private final Duration pollInterval;
  private final Duration timeout;
  private final Clock clock;

  private AuthenticationModes(Builder b) {
    this.eks = b.eks;
    this.cluster = b.cluster;
    this.pollInterval = b.pollInterval;
    this.timeout = b.timeout;
    this.clock = b.clock;
  }

  /**
   * The modes of one cluster, polling every 10 seconds for up to 30 minutes.
   *
   * @param eks the EKS client
   * @param cluster the cluster name
   * @return the modes
   */
  public static AuthenticationModes of(EksClient eks, String cluster) {
    return builder(eks, cluster).build();
  }

  /**
   * A builder, to set how often and how long to poll.
   *
   * @param eks the EKS client
   * @param cluster the cluster name
   * @return the builder
   */
  public static Builder builder(EksClient eks, String cluster) {
    return new Builder(eks, cluster);
  }

  /**
   * The mode now, from DescribeCluster; a cluster without {@code accessConfig} is {@code
   * CONFIG_MAP}.
   *
   * @return the mode
   * @throws BackendException if EKS refuses or fails
   */
  public AuthenticationMode current() {
    Cluster c;
    try {
      c = eks.describeCluster(b -> b.name(cluster)).cluster();
    } catch (SdkException e) {
      throw EksErrors.failure("DescribeCluster " + cluster, e);
    }
    if (c.accessConfig() == null || c.accessConfig().authenticationModeAsString() == null) {
      return AuthenticationMode.CONFIG_MAP;
    }
    return AuthenticationMode.valueOf(c.accessConfig().authenticationModeAsString());
  }

  /**
   * Plans the move to {@code target}, which must be the next step; reads the mode, and for a move
   * to API the access entries, and writes nothing.
   *
   * @param target the mode to move to
   * @return the change, to review and apply
   * @throws InvalidInputException ({@link ErrorCode#INVALID_MODE_CHANGE}) for a skip, a step back
   *     or the same mode
   */
  public ModeChange plan(AuthenticationMode target) {
    Objects.requireNonNull(target, "target");
    AuthenticationMode from = current();
    if (from.next().filter(target::equals).isEmpty()) {
      String why =
          from == target
              ? "the cluster is already in " + target + "; EKS refuses an update to the same mode."
              : from == AuthenticationMode.API || target == AuthenticationMode.CONFIG_MAP
                  ? "EKS never moves a cluster back; " + from + " is final for this cluster."
                  : "EKS moves one step at a time: move to "
                      + from.next().orElseThrow()
                      + " first, then to "
                      + target
                      + ".";
      throw InvalidInputException.of(
          ErrorCode.INVALID_MODE_CHANGE, "authenticationMode", from + " → " + target, why);
    }
    List<Violation> violations = List.of();
    if (target == AuthenticationMode.API && !hasClusterAdminEntry()) {
      violations = List.of(noAdminViolation());
    }
    return new ModeChange(this, from, target, violations, false);
  }

  Violation noAdminViolation() {
    return new Violation(
        Guard.AUTH_MODE_ADMIN,
        "no access entry holds AmazonEKSClusterAdminPolicy at cluster scope, and in API"
            + " mode aws-auth no longer counts: nobody could administer cluster "
            + cluster
            + ". Grant AccessPolicy.CLUSTER_ADMIN clusterWide() to an admin role first.");
  }

  boolean hasClusterAdminEntry() {
    for (IdentityMapping m : AccessEntries.backend(eks, cluster).read().mappings()) {
      for (PolicyAssociation p : m.policies()) {
        if (p.policy().equals(AccessPolicy.CLUSTER_ADMIN) && p.scope().isClusterWide()) {
          return true;
        }
      }
    }
    return false;
  }

  /** Sends the update and polls it to its end. */
  void move(AuthenticationMode target) {
    Update update;
    try {
      update =
          eks.updateClusterConfig(
                  // the AWS SDK gives the request an idempotency token of its own, so its retry
                  // after a lost answer is the same update
                  b -> b.name(cluster).accessConfig(a -> a.authenticationMode(target.name())))
              .update();
    } catch (SdkException e) {
      throw EksErrors.failure("UpdateClusterConfig " + cluster + " → " + target, e);
    }
    Instant deadline = clock.instant().plus(timeout);
    String id = update.id();
    while (update.status() == UpdateStatus.IN_PROGRESS) {
      if (!clock.instant().isBefore(deadline)) {
        throw new BackendException(
            "the move of cluster "
                + cluster
                + " to "
                + target
                + " is still in progress after "
                + timeout
                + "; EKS goes on with it. Check it with DescribeUpdate "
                + id
                + " before doing anything else.",
            0,
            null,
            true,
            null);
      }
      try {
        Thread.sleep(pollInterval.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BackendException(
            "interrupted while waiting for update " + id + " of cluster " + cluster + ".",
            0,
            null,
            false,
            e);
      }
      try {
        update = eks.describeUpdate(b -> b.name(cluster).updateId(id)).update();
      } catch (SdkException e) {
        throw EksErrors.failure("DescribeUpdate " + id, e);
      }
    }
    if (update.status() != UpdateStatus.SUCCESSFUL) {
      throw new BackendException(
          "the move of cluster "
              + cluster
              + " to "
              + target
              + " ended "
              + update.statusAsString()
              + (update.errors().isEmpty() ? "" : ": " + update.errors())
              + "; the mode is unchanged. Read the errors, fix their cause, and plan the move"
              + " again.",
          0,
          null,
          false,
          null);
    }
  }

  String cluster() {
    return cluster;
  }

  /** Builds {@link AuthenticationModes}. */
  public static final class Builder {
    private final EksClient eks;
    private final String cluster;
    private Duration pollInterval = Duration.ofSeconds(10);
    private Duration timeout = Duration.ofMinutes(30);
    private Clock clock = Clock.systemUTC();

    private Builder(EksClient eks, String cluster) {
      this.eks = Objects.requireNonNull(eks, "eks");
      this.cluster = Objects.requireNonNull(cluster, "cluster");
    }

    /**
     * How long to wait between polls of DescribeUpdate (default 10 s).
     *
     * @param interval the interval
     * @return this builder
     */
    public Builder pollInterval(Duration interval) {
      this.pollInterval = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /**
     * How long to wait for an update before giving up on waiting (default 30 min); EKS goes on.
     *
     * @param timeout the timeout
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * The clock the timeout runs on, for tests.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds it.
     *
     * @return the modes
     */
    public AuthenticationModes build() {
      return new AuthenticationModes(this);
    }
  }

  /**
   * One planned step of the authentication mode. Nothing happens until {@link #apply()}.
   *
   * <pre>{@code
   * modes.plan(AuthenticationMode.API).force(Guard.AUTH_MODE_ADMIN).apply();
   * }</pre>
   */
  public static final class ModeChange {
    private final AuthenticationModes modes;
    private final AuthenticationMode from;
    private final AuthenticationMode to;
    private final List<Violation> violations;
    private final boolean forced;

    ModeChange(
        AuthenticationModes modes,
        AuthenticationMode from,
        AuthenticationMode to,
        List<Violation> violations,
        boolean forced) {
      this.modes = modes;
      this.from = from;
      this.to = to;
      this.violations = List.copyOf(violations);
      this.forced = forced;
    }

    /**
     * The mode now.
     *
     * @return the mode
     */
    public AuthenticationMode from() {
      return from;
    }

    /**
     * The mode after the change.
     *
     * @return the mode
     */
    public AuthenticationMode to() {
      return to;
    }

    /**
     * The guards the change trips; applying refuses unless forced.
     *
     * @return the violations
     */
    public List<Violation> violations() {
      return violations;
    }

    /**
     * The same change, applied even though it trips {@link Guard#AUTH_MODE_ADMIN}.
     *
     * @param guard the guard to override: only {@link Guard#AUTH_MODE_ADMIN} applies here
     * @return the forced change
     */
    public ModeChange force(Guard guard) {
      if (guard != Guard.AUTH_MODE_ADMIN) {
        throw InvalidInputException.of(
            ErrorCode.INVALID_ARGUMENT,
            "guard",
            guard.name(),
            "does not apply to an authentication mode change; only AUTH_MODE_ADMIN does.");
      }
      return new ModeChange(modes, from, to, violations, true);
    }

    /**
     * Sends UpdateClusterConfig and waits for EKS to finish the update.
     *
     * @throws UnsafeChangeException if a guard is tripped and not forced; nothing was sent
     * @throws BackendException if EKS refuses, the update fails, or it outlasts the timeout
     */
    public void apply() {
      if (!violations.isEmpty() && !forced) {
        throw new UnsafeChangeException(violations);
      }
      if (to == AuthenticationMode.API && !forced && !modes.hasClusterAdminEntry()) {
        // the admin entry the plan saw was removed since: the move cannot be undone, so look again
        throw new UnsafeChangeException(List.of(modes.noAdminViolation()));
      }
      modes.move(to);
    }

    @Override
    public String toString() {
      StringBuilder s =
          new StringBuilder("Authentication mode of cluster ")
              .append(modes.cluster())
              .append(": ")
              .append(from)
              .append(" → ")
              .append(to)
              .append(
                  to == AuthenticationMode.API
                      ? "\n  aws-auth stops counting: only access entries map IAM principals."
                      : "\n  access entries start counting, before aws-auth for the same"
                          + " principal.")
              .append("\n  This cannot be undone: EKS never moves a cluster back.");
      violations.forEach(
          v ->
              s.append("\n  ")
                  .append(forced ? "FORCED " : "REFUSED ")
                  .append(v.guard())
                  .append(": ")
                  .append(v.message()));
      return s.toString();
    }
  }
}
