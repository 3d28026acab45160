package dev.eksaccess.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.eksaccess.api.support.JsonText;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The same grants (or a revoke) on many clusters: at most {@code concurrency} at a time, each
 * cluster's outcome reported, and a failure on one cluster never stopping the others. Each cluster
 * is connected only when its turn comes, so a cluster in another account or region gets its own
 * credentials (for example the AWS SDK's {@code StsAssumeRoleCredentialsProvider} behind {@code
 * EksClusters.forCluster(..)}).
 *
 * <pre>{@code
 * Fleet fleet = Fleet.builder()
 *     .cluster("prod-eu", () -> connect("111122223333", "eu-west-1", "prod"))
 *     .cluster("prod-us", () -> connect("444455556666", "us-east-1", "prod"))
 *     .concurrency(4)
 *     .progress(Fleet.Progress.console(System.err))
 *     .build();
 * Fleet.Result result = fleet.apply(devs, ops);
 * System.out.println(result); // one line a cluster: applied, unchanged, refused or failed
 * }</pre>
 */
public final class Fleet {
  /** Hears about each cluster as it starts and ends; called from the fleet's threads. */
  public interface Progress {
    /**
     * A cluster's turn begins.
     *
     * @param cluster the cluster's name
     */
    default void started(String cluster) {}

    /**
     * A cluster is done.
     *
     * @param outcome how it went
     * @param done how many clusters are done, this one included
     * @param total how many clusters the run has
     */
    void finished(Outcome outcome, int done, int total);

    /**
     * A progress line for scripts, such as {@code [3/12] prod-eu: applied 2 changes (2 writes)}.
     *
     * @param out where to print
     * @return the listener
     */
    static Progress console(PrintStream out) {
      Objects.requireNonNull(out, "out");
      return (outcome, done, total) ->
          out.println(
              "[" + done + "/" + total + "] " + outcome.cluster() + ": " + outcome.summary());
    }
  }

  /**
   * How one cluster went.
   *
   * @param cluster the cluster's name
   * @param result what was applied, when it was
   * @param failure why not, when it failed (connecting, planning, a guard, or writing)
   */
  public record Outcome(String cluster, @Nullable ApplyResult result, @Nullable Throwable failure) {
    /** Checks that exactly one of result and failure is given. */
    public Outcome {
      Objects.requireNonNull(cluster, "cluster");
      if ((result == null) == (failure == null)) {
        throw InvalidInputException.of(
            ErrorCode.INVALID_ARGUMENT,
            "outcome of " + cluster,
            null,
            "has a result or a failure, not both and not neither.");
      }
    }

    /**
     * Whether the cluster now holds what was asked.
     *
     * @return true without a failure
     */
    public boolean succeeded() {
      return failure == null;
    }

    /**
     * How it went, as a code a tool can switch on.
     *
     * @return applied, unchanged, refused by a guard, or failed
     */
    public Status status() {
      ApplyResult r = result;
      if (r != null) {
        return r.isNoOp() ? Status.UNCHANGED : Status.APPLIED;
      }
      return failure instanceof UnsafeChangeException ? Status.REFUSED : Status.FAILED;
    }

    /**
     * One line: applied, unchanged, refused by a guard, or failed, and why.
     *
     * @return the summary
     */
    public String summary() {
      ApplyResult r = result;
      if (r != null) {
        return r.isNoOp()
            ? "unchanged"
            : "applied "
                + r.applied().size()
                + (r.applied().size() == 1 ? " change (" : " changes (")
                + r.writes()
                + (r.writes() == 1 ? " write)" : " writes)");
      }
      Throwable f = Objects.requireNonNull(failure);
      return (f instanceof UnsafeChangeException ? "refused: " : "failed: ") + f.getMessage();
    }
  }

  /** How one cluster's run went, for tools: the {@code status} of {@link Result#toJson()}. */
  public enum Status {
    /** Changes were written. */
    APPLIED,
    /** The cluster already matched; nothing was written. */
    UNCHANGED,
    /** A lockout guard refused the plan; nothing was written. */
    REFUSED,
    /** Connecting, planning or writing failed; the error says what is on the cluster. */
    FAILED
  }

  /**
   * Every cluster's outcome, in the order the clusters were added.
   *
   * @param outcomes the outcomes
   */
  public record Result(List<Outcome> outcomes) {
    /** The version of {@link #toJson()}'s form. */
    static final String SCHEMA = "eks-access/fleet-result/v1";

    /**
     * Every cluster's outcome as JSON for tools, in the fleet's order: its {@link Status}, what was
     * applied (an {@link ApplyResult#toJson()} object) or the error (its {@link ErrorCode} when it
     * is an SDK error, whether a retry may help, and the message).
     *
     * <pre>{@code
     * {"schema":"eks-access/fleet-result/v1","succeeded":1,"failed":1,"outcomes":[
     *   {"cluster":"prod-eu","status":"APPLIED","result":{"schema":"eks-access/apply-result/v1",...}},
     *   {"cluster":"prod-us","status":"REFUSED","error":{"code":"LOCKOUT_LAST_ADMIN",...}}]}
     * }</pre>
     *
     * @return a JSON object
     */
    public String toJson() {
      return JsonText.object(
          json -> {
            json.writeStringField("schema", SCHEMA);
            json.writeNumberField("succeeded", outcomes.size() - failures().size());
            json.writeNumberField("failed", failures().size());
            json.writeArrayFieldStart("outcomes");
            for (Outcome o : outcomes) {
              json.writeStartObject();
              json.writeStringField("cluster", o.cluster());
              json.writeStringField("status", o.status().name());
              ApplyResult r = o.result();
              if (r != null) {
                json.writeObjectFieldStart("result");
                r.writeJson(json);
                json.writeEndObject();
              }
              Throwable f = o.failure();
              if (f != null) {
                writeError(json, f);
              }
              json.writeEndObject();
            }
            json.writeEndArray();
          });
    }

    /** Copies the outcomes. */
    public Result {
      outcomes = List.copyOf(outcomes);
    }

    /**
     * The clusters that failed.
     *
     * @return their outcomes
     */
    public List<Outcome> failures() {
      return outcomes.stream().filter(o -> !o.succeeded()).toList();
    }

    /**
     * Whether every cluster succeeded.
     *
     * @return true if none failed
     */
    public boolean allSucceeded() {
      return failures().isEmpty();
    }

    /** One line a cluster, then the count of failures. */
    @Override
    public String toString() {
      StringBuilder s = new StringBuilder();
      for (Outcome o : outcomes) {
        s.append(o.cluster()).append(": ").append(o.summary()).append('\n');
      }
      return s.append(outcomes.size() - failures().size())
          .append(" of ")
          .append(outcomes.size())
          .append(" clusters succeeded")
          .toString();
    }
  }

  private final Map<String, Supplier<ClusterAccess>> clusters;
  private final List<String> order;
  private final int concurrency;
  private final Progress progress;

  private Fleet(Builder b) {
    this.clusters = Map.copyOf(b.clusters);
    this.order = List.copyOf(b.clusters.keySet());
    this.concurrency = b.concurrency;
    this.progress = b.progress;
  }

  /**
   * A builder.
   *
   * @return a builder with no clusters, concurrency 4 and no progress listener
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Plans and applies these grants on every cluster; each cluster's guards apply as they would
   * alone (a plan with an unforced violation is refused there, and reported).
   *
   * @param grants the grants
   * @return every cluster's outcome
   */
  public Result apply(Grant... grants) {
    List<Grant> all = List.of(grants);
    return run(ca -> ca.plan(all).apply());
  }

  /**
   * Plans and applies revoking these principals on every cluster.
   *
   * @param principals the principals
   * @return every cluster's outcome
   */
  public Result revoke(Principal... principals) {
    Principal[] copy = principals.clone();
    return run(ca -> ca.planRevoke(copy).apply());
  }

  /**
   * Plans these grants on every cluster and writes nothing: the first half of plan everywhere,
   * review, apply everywhere. A cluster that cannot be connected or planned is reported in the
   * fleet plan, not dropped.
   *
   * <pre>{@code
   * FleetPlan plan = fleet.plan(devs);
   * String review = plan.toJson();        // or System.out.println(plan)
   * // ... approved ...
   * Fleet.Result result = fleet.apply(plan);
   * }</pre>
   *
   * @param grants the grants
   * @return every cluster's plan, in the fleet's order
   */
  public FleetPlan plan(Grant... grants) {
    List<Grant> all = List.of(grants);
    return planEach(ca -> ca.plan(all));
  }

  /**
   * Plans revoking these principals on every cluster and writes nothing.
   *
   * @param principals the principals
   * @return every cluster's plan, in the fleet's order
   */
  public FleetPlan planRevoke(Principal... principals) {
    Principal[] copy = principals.clone();
    return planEach(ca -> ca.planRevoke(copy));
  }

  /**
   * Plans these partial revokes on every cluster and writes nothing.
   *
   * <pre>{@code
   * FleetPlan plan = fleet.plan(ClusterAccess.revoke(dev).group("acme:oncall"));
   * }</pre>
   *
   * @param first a partial revoke
   * @param more further partial revokes
   * @return every cluster's plan, in the fleet's order
   */
  public FleetPlan plan(PartialRevoke first, PartialRevoke... more) {
    Objects.requireNonNull(first, "first");
    PartialRevoke[] rest = more.clone();
    return planEach(ca -> ca.plan(first, rest));
  }

  /**
   * Applies a reviewed fleet plan: on each cluster, in the fleet's order, the plan is made again
   * and applied only if it shows exactly the changes and guards that were reviewed ({@link
   * Plan#fromJson}); otherwise that cluster fails with a {@link ConflictException} and nothing is
   * written there. A cluster the fleet plan could not plan, or does not name, fails without being
   * written; the other clusters go on.
   *
   * <pre>{@code
   * Fleet.Result result = fleet.apply(reviewedPlan);
   * result.failures().forEach(o -> System.err.println(o.cluster() + ": " + o.summary()));
   * }</pre>
   *
   * @param reviewed the fleet plan that was reviewed
   * @return every cluster's outcome, in the fleet's order
   */
  public Result apply(FleetPlan reviewed) {
    Objects.requireNonNull(reviewed, "reviewed");
    return runEach(
        name -> {
          FleetPlan.ClusterPlan cp =
              reviewed
                  .cluster(name)
                  .orElseThrow(
                      () ->
                          InvalidInputException.of(
                              ErrorCode.INVALID_ARGUMENT,
                              "fleet plan",
                              name,
                              "is a cluster of this fleet that the reviewed plan does not name;"
                                  + " nothing was written there. Plan the fleet again."));
          Plan plan = cp.plan();
          if (plan == null) {
            throw InvalidInputException.of(
                ErrorCode.INVALID_ARGUMENT,
                "fleet plan " + name,
                null,
                "could not be planned ("
                    + Objects.requireNonNull(cp.failure()).getMessage()
                    + "), so there is nothing reviewed to apply; nothing was written. Fix it and"
                    + " plan the fleet again.");
          }
          return ca -> Plan.fromJson(plan.toJson(), ca).apply();
        });
  }

  private FleetPlan planEach(Function<ClusterAccess, Plan> planning) {
    List<FleetPlan.ClusterPlan> plans =
        each(
            (name, connect) -> {
              try {
                return new FleetPlan.ClusterPlan(name, planning.apply(connect.get()), null);
              } catch (RuntimeException e) { // one cluster's failure is its own
                return new FleetPlan.ClusterPlan(name, null, e);
              }
            });
    return new FleetPlan(plans);
  }

  /**
   * Removes expired break-glass grants on every cluster, and nothing else: {@link
   * ClusterAccess#expireBreakGlass()} on each.
   *
   * <pre>{@code
   * System.out.println(fleet.expireBreakGlass());   // one line a cluster: what each sweep removed
   * }</pre>
   *
   * @return every cluster's outcome
   */
  public Result expireBreakGlass() {
    return run(ClusterAccess::expireBreakGlass);
  }

  /**
   * Runs any operation on every cluster, with the fleet's concurrency, isolation and progress.
   *
   * @param operation what to do with each cluster
   * @return every cluster's outcome
   */
  public Result run(Function<ClusterAccess, ApplyResult> operation) {
    Objects.requireNonNull(operation, "operation");
    return runEach(name -> operation);
  }

  /** Runs, on each cluster, the operation {@code forCluster} chooses for it, with progress. */
  private Result runEach(Function<String, Function<ClusterAccess, ApplyResult>> forCluster) {
    int total = order.size();
    AtomicInteger done = new AtomicInteger();
    return new Result(
        each(
            (name, connect) -> {
              progress.started(name);
              Outcome o;
              try {
                o = new Outcome(name, forCluster.apply(name).apply(connect.get()), null);
              } catch (RuntimeException e) { // one cluster's failure is its own
                o = new Outcome(name, null, e);
              }
              progress.finished(o, done.incrementAndGet(), total);
              return o;
            }));
  }

  /** Does {@code task} for every cluster, at most {@code concurrency} at once, in fleet order. */
  private <T> List<T> each(BiFunction<String, Supplier<ClusterAccess>, T> task) {
    int total = order.size();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, Math.min(concurrency, total)),
            r -> {
              Thread t = new Thread(r, "eks-access-fleet");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (String name : order) {
        Supplier<ClusterAccess> connect = Objects.requireNonNull(clusters.get(name));
        futures.add(pool.submit(() -> task.apply(name, connect)));
      }
      List<T> out = new ArrayList<>();
      for (Future<T> f : futures) {
        out.add(f.get());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackendException(
          "interrupted while the fleet ran; clusters already done stay done.", 0, null, false, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a fleet task failed outside its cluster", e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /** Writes a failure as an {@code error} object: SDK code (if any), type, retryable, message. */
  static void writeError(JsonGenerator json, Throwable f) throws IOException {
    json.writeObjectFieldStart("error");
    if (f instanceof EksAccessException e) {
      json.writeStringField("code", e.code().name());
      json.writeBooleanField("retryable", e.retryable());
    } else {
      json.writeNullField("code");
      json.writeBooleanField("retryable", false);
    }
    json.writeStringField("type", f.getClass().getSimpleName());
    json.writeStringField("message", String.valueOf(f.getMessage()));
    json.writeEndObject();
  }

  /** Builds a {@link Fleet}. */
  public static final class Builder {
    private final Map<String, Supplier<ClusterAccess>> clusters = new LinkedHashMap<>();
    private int concurrency = 4;
    private Progress progress = (outcome, done, total) -> {};

    private Builder() {}

    /**
     * Adds a cluster, connected when its turn comes.
     *
     * @param name a name for reports, unique in the fleet
     * @param connect makes the cluster's {@link ClusterAccess}
     * @return this
     * @throws InvalidInputException if the name is taken
     */
    public Builder cluster(String name, Supplier<ClusterAccess> connect) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(connect, "connect");
      if (clusters.putIfAbsent(name, connect) != null) {
        throw InvalidInputException.of(
            ErrorCode.INVALID_ARGUMENT,
            "cluster",
            name,
            "is already in the fleet; give each cluster its own name.");
      }
      return this;
    }

    /**
     * How many clusters to work on at once. Default 4.
     *
     * @param concurrency at least 1
     * @return this
     * @throws InvalidInputException if below 1
     */
    public Builder concurrency(int concurrency) {
      if (concurrency < 1) {
        throw InvalidInputException.of(
            ErrorCode.INVALID_ARGUMENT,
            "concurrency",
            String.valueOf(concurrency),
            "must be at least 1.");
      }
      this.concurrency = concurrency;
      return this;
    }

    /**
     * Who hears about each cluster as it starts and ends.
     *
     * @param progress the listener, such as {@link Progress#console(PrintStream)}
     * @return this
     */
    public Builder progress(Progress progress) {
      this.progress = Objects.requireNonNull(progress, "progress");
      return this;
    }

    /**
     * Builds the fleet.
     *
     * @return the fleet
     * @throws InvalidInputException without clusters
     */
    public Fleet build() {
      if (clusters.isEmpty()) {
        throw InvalidInputException.of(
            ErrorCode.INVALID_ARGUMENT,
            "clusters",
            null,
            "a fleet needs at least one cluster: add one with cluster(..).");
      }
      return new Fleet(this);
    }
  }
}
