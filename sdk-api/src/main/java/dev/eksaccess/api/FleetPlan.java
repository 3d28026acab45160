package dev.eksaccess.api;

import dev.eksaccess.api.support.JsonText;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Every cluster's {@link Plan} for the same grants or revokes, made by {@link Fleet#plan(Grant...)}
 * and nothing written: reviewed as a whole (as text or {@link #toJson()}), then applied with {@link
 * Fleet#apply(FleetPlan)}, which applies on each cluster only what was reviewed there.
 *
 * <pre>{@code
 * FleetPlan plan = fleet.plan(devs);
 * System.out.println(plan);                 // one plan per cluster, in the fleet's order
 * if (plan.failures().isEmpty()) {
 *   System.out.println(fleet.apply(plan));
 * }
 * }</pre>
 */
public final class FleetPlan {
  /** The version of {@link #toJson()}'s form. */
  static final String SCHEMA = "eks-access/fleet-plan/v1";

  /** What a cluster's plan would do, as a code a tool can switch on. */
  public enum Status {
    /** The plan has changes, and no guard refuses them. */
    CHANGES,
    /** The cluster already matches: applying writes nothing. */
    NO_CHANGES,
    /** A lockout guard that is not forced would refuse the plan. */
    REFUSED,
    /** The cluster could not be connected or planned; see the failure. */
    FAILED
  }

  /**
   * One cluster's plan, or why there is none.
   *
   * @param cluster the cluster's name in the fleet
   * @param plan the plan, when planning succeeded
   * @param failure why not, when it failed
   */
  public record ClusterPlan(String cluster, @Nullable Plan plan, @Nullable Throwable failure) {
    /** Checks that exactly one of plan and failure is given. */
    public ClusterPlan {
      Objects.requireNonNull(cluster, "cluster");
      if ((plan == null) == (failure == null)) {
        throw InvalidInputException.of(
            ErrorCode.INVALID_ARGUMENT,
            "plan of " + cluster,
            null,
            "has a plan or a failure, not both and not neither.");
      }
    }

    /**
     * What the plan would do.
     *
     * @return changes, no changes, refused by a guard, or failed
     */
    public Status status() {
      Plan p = plan;
      if (p == null) {
        return Status.FAILED;
      }
      if (!p.unforced().isEmpty()) {
        return Status.REFUSED;
      }
      return p.isEmpty() ? Status.NO_CHANGES : Status.CHANGES;
    }
  }

  private final List<ClusterPlan> clusters;

  FleetPlan(List<ClusterPlan> clusters) {
    this.clusters = List.copyOf(clusters);
  }

  /**
   * Every cluster's plan, in the fleet's order.
   *
   * @return the plans
   */
  public List<ClusterPlan> clusters() {
    return clusters;
  }

  /**
   * One cluster's plan.
   *
   * @param name the cluster's name in the fleet
   * @return its plan, or empty if the fleet plan does not name it
   */
  public Optional<ClusterPlan> cluster(String name) {
    Objects.requireNonNull(name, "name");
    return clusters.stream().filter(c -> c.cluster().equals(name)).findFirst();
  }

  /**
   * The clusters that could not be planned.
   *
   * @return their entries
   */
  public List<ClusterPlan> failures() {
    return clusters.stream().filter(c -> c.status() == Status.FAILED).toList();
  }

  /**
   * Whether applying would write nothing anywhere: every cluster planned and already matches.
   *
   * @return true when no cluster has changes or failed
   */
  public boolean isEmpty() {
    return clusters.stream().allMatch(c -> c.status() == Status.NO_CHANGES);
  }

  /**
   * The same fleet plan, every cluster's plan overriding these guards (see {@link Plan#force}).
   *
   * <pre>{@code
   * fleet.apply(fleet.planRevoke(oldNodeRole).force(Guard.NODE_ROLES));
   * }</pre>
   *
   * @param guard a guard to override
   * @param more further guards
   * @return a new fleet plan
   */
  public FleetPlan force(Guard guard, Guard... more) {
    Objects.requireNonNull(guard, "guard");
    return new FleetPlan(
        clusters.stream()
            .map(
                c -> {
                  Plan p = c.plan();
                  return p == null ? c : new ClusterPlan(c.cluster(), p.force(guard, more), null);
                })
            .toList());
  }

  /**
   * The fleet plan as JSON for review tools: each cluster in the fleet's order with its {@link
   * Status} and its plan (the object {@link Plan#toJson()} gives) or its error (the {@link
   * ErrorCode} when it is an SDK error, whether a retry may help, and the message).
   *
   * <pre>{@code
   * {"schema":"eks-access/fleet-plan/v1","clusters":[
   *   {"cluster":"prod-eu","status":"CHANGES","plan":{"schema":"eks-access/plan/v1",...}},
   *   {"cluster":"prod-us","status":"FAILED","error":{"code":"BACKEND_FAILURE",...}}]}
   * }</pre>
   *
   * @return a JSON object
   */
  public String toJson() {
    return JsonText.object(
        json -> {
          json.writeStringField("schema", SCHEMA);
          json.writeArrayFieldStart("clusters");
          for (ClusterPlan c : clusters) {
            json.writeStartObject();
            json.writeStringField("cluster", c.cluster());
            json.writeStringField("status", c.status().name());
            Plan p = c.plan();
            if (p != null) {
              json.writeObjectFieldStart("plan");
              p.writeJson(json);
              json.writeEndObject();
            }
            Throwable f = c.failure();
            if (f != null) {
              Fleet.writeError(json, f);
            }
            json.writeEndObject();
          }
          json.writeEndArray();
        });
  }

  /** Each cluster's plan under its name, then the count of clusters with changes. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    for (ClusterPlan c : clusters) {
      s.append("== ").append(c.cluster()).append(": ").append(c.status()).append('\n');
      Plan p = c.plan();
      s.append(
              p == null
                  ? "  failed: " + Objects.requireNonNull(c.failure()).getMessage() + "\n"
                  : p.toString())
          .append('\n');
    }
    long changing = clusters.stream().filter(c -> c.status() == Status.CHANGES).count();
    return s.append(changing)
        .append(" of ")
        .append(clusters.size())
        .append(" clusters have changes; ")
        .append(failures().size())
        .append(" could not be planned")
        .toString();
  }
}
