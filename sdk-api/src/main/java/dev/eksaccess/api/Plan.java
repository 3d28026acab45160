package dev.eksaccess.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.eksaccess.api.internal.PlanDraft;
import dev.eksaccess.api.internal.Planner;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.support.JsonText;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The changes that would bring the cluster to what was asked, computed from a snapshot of both
 * layers. Nothing is written until {@link #apply()}.
 *
 * <pre>{@code
 * Plan plan = prod.plan(devs);
 * System.out.println(plan);    // reads like a diff: + / ~ / - per object, per layer
 * plan.apply();                // writes; applying it again writes nothing
 * prod.plan(devs).isEmpty();   // true
 * }</pre>
 */
public final class Plan {

  private final ClusterAccess cluster;
  private final Intent intent;
  private final PlanDraft draft;
  private final Planner.Input input;
  private final String identityVersion;
  private final String rbacVersion;
  private final Set<Guard> forced;
  private final List<BreakGlass.Active> breakGlass;

  /**
   * What the plan was asked for, kept so that a retry can plan it again: break-glass mappings are
   * resolved (their expiry fixed) when first planned, and an expiry sweep keeps its cut-off time.
   */
  record Intent(
      List<Grant> grants,
      List<Principal> revokes,
      List<PartialRevoke> partialRevokes,
      List<IdentityMapping> breakGlass,
      @Nullable Instant expireAt) {
    Intent {
      grants = List.copyOf(grants);
      revokes = List.copyOf(revokes);
      partialRevokes = List.copyOf(partialRevokes);
      breakGlass = List.copyOf(breakGlass);
    }

    Intent(
        List<Grant> grants,
        List<Principal> revokes,
        List<IdentityMapping> breakGlass,
        @Nullable Instant expireAt) {
      this(grants, revokes, List.of(), breakGlass, expireAt);
    }

    Intent(List<Grant> grants, List<Principal> revokes, List<PartialRevoke> partialRevokes) {
      this(grants, revokes, partialRevokes, List.of(), null);
    }

    Intent(List<Grant> grants, List<Principal> revokes) {
      this(grants, revokes, List.of(), List.of(), null);
    }
  }

  Plan(
      ClusterAccess cluster,
      Intent intent,
      PlanDraft draft,
      Planner.Input input,
      String identityVersion,
      String rbacVersion,
      Set<Guard> forced,
      List<BreakGlass.Active> breakGlass) {
    this.breakGlass = List.copyOf(breakGlass);
    this.cluster = cluster;
    this.intent = intent;
    this.draft = draft;
    this.input = input;
    this.identityVersion = identityVersion;
    this.rbacVersion = rbacVersion;
    this.forced = forced.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(forced));
  }

  /**
   * Whether the cluster already matches: applying would write nothing.
   *
   * @return true when there are no changes
   */
  public boolean isEmpty() {
    return draft.changes().isEmpty();
  }

  /**
   * The changes, identity mappings first, then RBAC.
   *
   * @return the changes
   */
  public List<Change> changes() {
    return draft.changes();
  }

  /**
   * The lockout guards this plan would violate, whether forced or not.
   *
   * @return the violations
   */
  public List<Violation> violations() {
    return draft.violations();
  }

  /**
   * Things worth knowing that do not stop the plan, such as a binding to a ClusterRole that does
   * not exist yet.
   *
   * @return the warnings
   */
  public List<String> warnings() {
    return draft.warnings();
  }

  /**
   * The guards this plan overrides.
   *
   * @return the forced guards
   */
  public Set<Guard> forced() {
    return forced;
  }

  /**
   * The same plan, overriding these guards. Name only the guards you mean to override.
   *
   * <pre>{@code
   * prod.planRevoke(oldNodeRole).force(Guard.NODE_ROLES).apply();
   * }</pre>
   *
   * @param guard a guard to override
   * @param more further guards
   * @return a new plan
   */
  public Plan force(Guard guard, Guard... more) {
    EnumSet<Guard> all = EnumSet.of(guard, more);
    all.addAll(forced);
    return new Plan(cluster, intent, draft, input, identityVersion, rbacVersion, all, breakGlass);
  }

  /**
   * Writes the changes, in the order that never leaves half a grant: the roles and bindings a grant
   * needs first, then the identity layer, then the bindings a revoke leaves unused. Each write is
   * checked against what the plan read of its own object (a binding's {@code resourceVersion}, the
   * aws-auth ConfigMap's, an access entry's state), so writers of other objects never get in the
   * way. A write that loses a race (or fails in a way a repeat may fix) is repeated within the
   * {@link RetryPolicy} of the {@link ClusterAccess}: a binding re-reads that one binding and
   * re-applies this plan's intent to it; the identity layer is read again and this plan's grants
   * and revokes planned again on it, written only if they are changes this plan shows and trip no
   * new guard. So another writer's change is kept, a write that had landed is not repeated, and
   * applying a plan twice writes once.
   *
   * <p>If the apply fails part way, what it had written is taken back (a binding it created is
   * deleted, a record it added removed), and the exception says so; if taking it back fails too, an
   * {@link IncompleteApplyException} lists what is left. A failure after the identity layer was
   * written (a revoke's clean-up of bindings) leaves the identity change in place and says which
   * bindings remain; revoking again removes them.
   *
   * <pre>{@code
   * ApplyResult r = plan.apply();
   * r.writes();   // remote writes issued
   * }</pre>
   *
   * @return what was written
   * @throws UnsafeChangeException if the plan violates a guard that was not forced; nothing is
   *     written
   * @throws ConflictException if the cluster changed since the plan was made and no longer matches
   *     it, or kept changing through every attempt; what this apply wrote was taken back
   * @throws BackendException if a backend fails; what this apply wrote was taken back
   * @throws IncompleteApplyException if the apply stopped part way and not everything it wrote
   *     could be taken back
   */
  public ApplyResult apply() {
    return cluster.events().observe(Operation.Kind.APPLY, this::applyAs);
  }

  private ApplyResult applyAs(Operation operation) {
    List<Violation> unforced = unforced();
    if (!unforced.isEmpty()) {
      cluster.events().tell(l -> l.refused(this, unforced));
      throw new UnsafeChangeException(unforced);
    }
    if (isEmpty()) {
      ApplyResult none = new ApplyResult(List.of(), 0);
      cluster.events().tell(l -> l.applied(this, none));
      return none;
    }
    return cluster.apply(this, operation);
  }

  /**
   * The break-glass grants on the cluster when the plan was made, each with the time it had left,
   * expired ones included (until {@link ClusterAccess#expireBreakGlass()} removes them).
   *
   * <pre>{@code
   * prod.plan(devs).breakGlass().forEach(System.out::println);
   * // role …/BreakGlass: INC-123, until 2026-11-23T12:00:00Z (1h 59m left), by arn:aws:sts::…
   * }</pre>
   *
   * @return the break-glass grants
   */
  public List<BreakGlass.Active> breakGlass() {
    return breakGlass;
  }

  Intent intent() {
    return intent;
  }

  PlanDraft draft() {
    return draft;
  }

  /** What the plan was made from, so a retry plans the identity layer again on a fresh read. */
  Planner.Input input() {
    return input;
  }

  String identityVersion() {
    return identityVersion;
  }

  String rbacVersion() {
    return rbacVersion;
  }

  /**
   * A plan reviewed as JSON ({@link #toJson()}), planned again on the cluster now, for approval
   * workflows: planned in one process, reviewed by a person, applied later in another. The plan
   * comes back only if planning its grants and revokes now shows exactly the changes that were
   * reviewed (the cluster still matches the state it was planned from, as far as this plan goes),
   * with the same guards forced; otherwise nothing is planned and the refusal says to plan and
   * review again.
   *
   * <pre>{@code
   * String review = prod.plan(devs).toJson();          // stored with the change request
   * // ... approved ...
   * Plan.fromJson(review, prod).apply();                // or a ConflictException: plan again
   * }</pre>
   *
   * @param json what {@link #toJson()} gave
   * @param cluster the cluster to apply it to
   * @return the plan, as it would be made now, equal in its changes to the reviewed one
   * @throws ConflictException if the cluster changed so that the plan would now do something else
   * @throws InvalidInputException if the text is not a plan's JSON, was made for another cluster,
   *     or is a break-glass plan (those are for the moment they are made)
   */
  public static Plan fromJson(String json, ClusterAccess cluster) {
    Objects.requireNonNull(json, "json");
    Objects.requireNonNull(cluster, "cluster");
    PlanJson.Reviewed reviewed = PlanJson.read(json);
    if (!reviewed.cluster().equals(cluster.clusterName())) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_ARGUMENT,
          "cluster",
          reviewed.cluster(),
          "is the cluster this plan was made for, not " + cluster.clusterName() + ".");
    }
    Plan now = cluster.planIntent(reviewed.intent());
    if (!reviewed.forced().isEmpty()) {
      now =
          now.force(
              reviewed.forced().get(0),
              reviewed.forced().subList(1, reviewed.forced().size()).toArray(Guard[]::new));
    }
    List<String> shown = PlanJson.shown(now);
    List<String> tripped = PlanJson.violations(now);
    if (!tripped.equals(reviewed.violations())) {
      // a forced guard covers what was reviewed, not whatever it would now let through
      throw new ConflictException(
          "cluster "
              + cluster.clusterName()
              + " changed since this plan was reviewed: planned now, it trips "
              + tripped
              + " where the reviewed plan tripped "
              + reviewed.violations()
              + ". Nothing was written; plan again and review the new plan.",
          null);
    }
    if (!shown.equals(reviewed.changes())) {
      List<String> gone = new ArrayList<>(reviewed.changes());
      gone.removeAll(shown);
      List<String> added = new ArrayList<>(shown);
      added.removeAll(reviewed.changes());
      throw new ConflictException(
          "cluster "
              + cluster.clusterName()
              + " changed since this plan was reviewed: planned now, it would "
              + (added.isEmpty() ? "" : "also make " + added + " ")
              + (gone.isEmpty() ? "" : (added.isEmpty() ? "" : "and ") + "no longer make " + gone)
              + ". Nothing was written; plan again and review the new plan.",
          null);
    }
    return now;
  }

  /**
   * The plan as JSON for tools: changes, violations (with whether each is forced) and warnings.
   *
   * <pre>{@code
   * {"cluster":"prod","empty":false,"changes":[{"layer":"IDENTITY","action":"CREATE",
   *   "object":"mapping arn:...","details":["groups [acme:devs]"]}],"violations":[],"warnings":[]}
   * }</pre>
   *
   * @return a JSON object
   */
  public String toJson() {
    return JsonText.object(this::writeJson);
  }

  /** Writes the fields of {@link #toJson()} into an open object, to embed a plan in a fleet's. */
  void writeJson(JsonGenerator json) throws IOException {
    json.writeStringField("schema", PlanJson.SCHEMA);
    json.writeStringField("cluster", cluster.clusterName());
    json.writeBooleanField("empty", isEmpty());
    PlanJson.writeChanges(json, "changes", changes());
    json.writeArrayFieldStart("violations");
    for (Violation v : violations()) {
      json.writeStartObject();
      json.writeStringField("guard", v.guard().name());
      json.writeStringField("code", v.guard().code().name());
      json.writeBooleanField("forced", forced.contains(v.guard()));
      json.writeStringField("message", v.message());
      json.writeEndObject();
    }
    json.writeEndArray();
    BreakGlass.writeJson(json, breakGlass);
    json.writeArrayFieldStart("warnings");
    for (String w : warnings()) {
      json.writeString(w);
    }
    json.writeEndArray();
    PlanJson.writeIntent(json, intent);
  }

  /**
   * The violations not forced: an {@link #apply()} would refuse the plan for them.
   *
   * @return the unforced violations
   */
  List<Violation> unforced() {
    return draft.violations().stream().filter(v -> !forced.contains(v.guard())).toList();
  }

  /** A diff a person reads: one block per layer, {@code +}/{@code ~}/{@code -} per object. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("Plan for cluster ").append(cluster.clusterName());
    if (isEmpty()) {
      s.append(": no changes; the cluster already matches.\n");
    } else {
      s.append(": ")
          .append(changes().size())
          .append(changes().size() == 1 ? " change\n" : " changes\n");
      section(s, Change.Layer.IDENTITY, "identity (" + cluster.identityBackendName() + ")");
      section(s, Change.Layer.RBAC, "rbac");
    }
    if (!breakGlass.isEmpty()) {
      s.append("  break-glass on the cluster\n");
      breakGlass.forEach(b -> s.append("    ").append(b).append('\n'));
    }
    for (Violation v : violations()) {
      s.append(forced.contains(v.guard()) ? "  ! forced " : "  ! refused ")
          .append(v.guard())
          .append(": ")
          .append(v.message())
          .append('\n');
    }
    for (String w : warnings()) {
      s.append("  warning: ").append(w).append('\n');
    }
    return s.toString();
  }

  private void section(StringBuilder s, Change.Layer layer, String title) {
    List<Change> in = changes().stream().filter(c -> c.layer() == layer).toList();
    if (in.isEmpty()) {
      return;
    }
    s.append("  ").append(title).append('\n');
    for (Change c : in) {
      s.append("    ").append(c.toString().replace("\n", "\n  ")).append('\n');
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Plan p
        && cluster == p.cluster
        && draft.equals(p.draft)
        && identityVersion.equals(p.identityVersion)
        && rbacVersion.equals(p.rbacVersion)
        && forced.equals(p.forced);
  }

  @Override
  public int hashCode() {
    return Objects.hash(draft, identityVersion, rbacVersion, forced);
  }
}
