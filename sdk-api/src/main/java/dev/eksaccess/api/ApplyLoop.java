package dev.eksaccess.api;

import dev.eksaccess.api.internal.PlanDraft;
import dev.eksaccess.api.internal.Planner;
import dev.eksaccess.api.internal.RbacStep;
import dev.eksaccess.api.spi.BreakGlassMark;
import dev.eksaccess.api.spi.IdentityBackend;
import dev.eksaccess.api.spi.IdentityChange;
import dev.eksaccess.api.spi.IdentityChanges;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.IdentitySnapshot;
import dev.eksaccess.api.spi.PartialWrite;
import dev.eksaccess.api.spi.RbacBackend;
import dev.eksaccess.api.spi.RbacChange;
import dev.eksaccess.api.spi.RbacChanges;
import dev.eksaccess.api.spi.RbacQuery;
import dev.eksaccess.api.spi.RbacRef;
import dev.eksaccess.api.spi.RbacSnapshot;
import dev.eksaccess.api.spi.Version;
import dev.eksaccess.api.spi.WriteResult;
import dev.eksaccess.api.support.GrantedFor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a {@link Plan}: the RBAC a grant needs, then the identity layer, then the RBAC a revoke
 * leaves unused; each write against its own object's version, each lost race retried on that object
 * alone (RBAC) or on a fresh read of the identity layer, and what was written taken back if the
 * apply cannot finish.
 */
final class ApplyLoop {
  private static final Logger LOG = LoggerFactory.getLogger(ApplyLoop.class);

  private final ClusterAccess cluster;
  private final Operation operation;

  ApplyLoop(ClusterAccess cluster, Operation operation) {
    this.cluster = cluster;
    this.operation = operation;
  }

  /** What one RBAC write did, so that it can be taken back. */
  private record Written(RbacStep step, RbacChange change, Version after) {}

  /** The running totals of one apply. */
  private static final class Progress {
    final List<Change> applied = new ArrayList<>();
    final List<Written> written = new ArrayList<>();
    int writes;
  }

  ApplyResult apply(Plan plan) {
    try {
      ApplyResult r = applyOnce(plan);
      cluster.events().tell(l -> l.applied(plan, r));
      tellExpired(plan);
      return r;
    } catch (EksAccessException e) {
      LOG.warn("cluster {}: apply failed: {}", cluster.clusterName(), e.getMessage());
      cluster.events().tell(l -> l.failed(plan, e));
      throw e;
    }
  }

  /** Tells the listeners of the break-glass grants an expiry sweep removed. */
  private void tellExpired(Plan plan) {
    Instant at = plan.intent().expireAt();
    if (at == null) {
      return;
    }
    for (IdentityMapping m : plan.draft().removedMappings()) {
      m.breakGlass()
          .ifPresent(
              b -> {
                LOG.info(
                    "cluster {}: break-glass of {} expired at {} ({}) and was removed",
                    cluster.clusterName(),
                    m.principal(),
                    b.expiresAt(),
                    b.reason());
                cluster
                    .events()
                    .tell(
                        l ->
                            l.breakGlassExpired(
                                cluster.clusterName(), m.principal(), b.reason(), b.expiresAt()));
              });
    }
  }

  private ApplyResult applyOnce(Plan plan) {
    refuseExpiredBreakGlass(plan);
    PlanDraft draft = plan.draft();
    Progress p = new Progress();
    IdentityWrite identity = firstIdentityWrite(plan);
    try {
      for (RbacStep s : draft.rbacBefore()) {
        write(s, plan, p);
      }
      writeIdentity(plan, identity, p);
    } catch (EksAccessException e) {
      // taking back runs to its end whatever the deadline: a half-applied grant is worse
      throw Deadline.suspended(() -> takeBack(p, e));
    }
    List<RbacStep> after = draft.rbacAfter();
    for (RbacStep s : after) {
      try {
        write(s, plan, p);
      } catch (EksAccessException e) {
        List<String> left = new ArrayList<>();
        int at = after.indexOf(s);
        for (RbacStep rest : after.subList(at, after.size())) {
          left.add(rest.ref() + " (still records or binds what this plan revoked)");
        }
        throw new IncompleteApplyException(
            "cluster "
                + cluster.clusterName()
                + ": the identity changes landed ("
                + describe(p.applied, Change.Layer.IDENTITY)
                + "), so the access they granted or removed is in place, but cleaning up RBAC stopped"
                + " at "
                + s.ref()
                + ": "
                + e.getMessage()
                + " Left on the cluster: "
                + String.join("; ", left)
                + ". Plan and apply the same revoke again to finish; it finds these bindings by"
                + " their record.",
            p.applied,
            left,
            e);
      }
    }
    return new ApplyResult(p.applied, p.writes);
  }

  /**
   * A release weighed against the mappings as they are now, when the backend reads them whole
   * (aws-auth): a binding a remaining mapping uses is kept. Asked only when the release would leave
   * the binding's record empty, and read after the binding was (and after this apply's identity
   * write): the release that empties the record comes after every other principal's release, each
   * after its own identity write, so this read sees them all gone, and the binding goes.
   */
  private RbacStep weighed(RbacStep.ReleaseBinding step, RbacSnapshot binding) {
    boolean emptied =
        binding
            .binding(step.ref())
            .map(b -> !GrantedFor.isRecorded(GrantedFor.removing(b, step.released())))
            .orElse(false);
    if (!emptied) {
      return step;
    }
    IdentitySnapshot now = cluster.retries().reading(cluster.identities()::read);
    Set<String> names = new HashSet<>();
    for (IdentityMapping m : now.mappings()) {
      names.addAll(m.groups());
      m.username().ifPresent(names::add);
    }
    return step.inUse(Optional.of(names));
  }

  private void refuseExpiredBreakGlass(Plan plan) {
    Instant now = cluster.clock().instant();
    for (IdentityMapping m : plan.intent().breakGlass()) {
      BreakGlassMark mark = m.breakGlass().orElseThrow();
      if (mark.isExpiredAt(now)) {
        throw InvalidInputException.of(
            ErrorCode.INVALID_GRANT,
            "breakGlass " + m.principal(),
            mark.expiresAt().toString(),
            "is when this plan's grant expires, and that has passed: the plan was made at "
                + mark.grantedAt()
                + ". Nothing was written; plan the break-glass again.");
      }
    }
  }

  /**
   * Writes one RBAC step against its object's version; a lost race re-reads that object and asks
   * the step again, so the intent is re-applied to what is there now.
   */
  private void write(RbacStep step, Plan plan, Progress p) {
    RbacBackend rbac = Objects.requireNonNull(cluster.rbacBackend(), "rbac");
    Retries retries = cluster.retries();
    // a partial revoke names the binding to take away: its record decides, not who else is mapped
    boolean weigh =
        step instanceof RbacStep.ReleaseBinding
            && plan.input().identity().complete()
            && plan.intent().partialRevokes().isEmpty();
    RbacSnapshot now =
        weigh
            ? retries.reading(() -> rbac.read(RbacQuery.of(List.of(step.ref()))))
            : Objects.requireNonNull(plan.input().rbac(), "the plan read RBAC");
    for (int attempt = 1; ; attempt++) {
      RbacStep asked = weigh ? weighed((RbacStep.ReleaseBinding) step, now) : step;
      Optional<RbacChange> change = asked.changeFor(now);
      if (change.isEmpty()) {
        return; // already as wanted, perhaps by an earlier attempt that landed
      }
      Deadline.checkCurrent("the write of " + step.ref());
      try {
        WriteResult r = rbac.write(RbacChanges.of(List.of(change.get())));
        p.writes += r.writes();
        p.written.add(new Written(step, change.get(), r.version()));
        LOG.info(
            "cluster {}: {} {} {}",
            cluster.clusterName(),
            rbac.name(),
            verb(change.get()),
            step.ref());
        String object = step.ref().toString();
        plan.draft().changesIn(Change.Layer.RBAC).stream()
            .filter(c -> c.object().equals(object) && !p.applied.contains(c))
            .forEach(p.applied::add);
        return;
      } catch (EksAccessException e) {
        if (!retries.mayRetry(e, attempt)) {
          throw gaveUp(e, attempt, step.ref().toString());
        }
        retried(step.ref().toString(), attempt, e);
        retries.pause(attempt);
      }
      now = retries.reading(() -> rbac.read(RbacQuery.of(List.of(step.ref()))));
    }
  }

  /** An identity batch, the version it was planned against, and the changes it shows. */
  private record IdentityWrite(IdentityChanges changes, Version version, List<Change> shown) {}

  /**
   * The identity batch to write first. When the plan writes RBAC before it, the identity layer is
   * read again first, so that a plan it no longer matches writes nothing at all, rather than
   * bindings that are then taken back; a change by someone else that this plan does not meet is no
   * reason to stop, and the batch is written against the fresh version.
   */
  private IdentityWrite firstIdentityWrite(Plan plan) {
    PlanDraft draft = plan.draft();
    IdentityWrite planned =
        new IdentityWrite(
            draft.identityChanges(),
            plan.input().identity().version(),
            draft.changesIn(Change.Layer.IDENTITY));
    if (draft.rbacBefore().isEmpty() || draft.identityChanges().isEmpty()) {
      return planned;
    }
    return replanned(plan, planned.shown());
  }

  /** The identity layer read again and the intent planned on it, if it still matches the plan. */
  private IdentityWrite replanned(Plan plan, List<Change> reviewed) {
    IdentityBackend ids = cluster.identities();
    Planner.Input input = plan.input();
    IdentitySnapshot fresh =
        cluster
            .retries()
            .reading(
                () -> input.identity().complete() ? ids.read() : ids.read(cluster.query(plan)));
    PlanDraft next = Planner.replanIdentity(input.withIdentity(fresh), plan.draft());
    List<Change> now = next.changesIn(Change.Layer.IDENTITY);
    if (!reviewed.containsAll(now)) {
      throw new ConflictException(
          "cluster "
              + cluster.clusterName()
              + ": "
              + ids.name()
              + " changed since this plan was made, and no longer matches it; its identity"
              + " changes were not written. Make a new plan with ClusterAccess.plan(..), review"
              + " it, and apply that.",
          null);
    }
    List<Violation> unforced =
        next.violations().stream().filter(v -> !plan.forced().contains(v.guard())).toList();
    if (!unforced.isEmpty()) {
      throw new UnsafeChangeException(unforced);
    }
    return new IdentityWrite(next.identityChanges(), fresh.version(), now);
  }

  /**
   * Writes the identity batch against the version it was planned on; a lost race reads the layer
   * again, plans the intent on it, and writes that, but only changes the reviewed plan showed, and
   * only if no new guard is tripped.
   */
  private void writeIdentity(Plan plan, IdentityWrite first, Progress p) {
    IdentityBackend ids = cluster.identities();
    Retries retries = cluster.retries();
    List<Change> reviewed = plan.draft().changesIn(Change.Layer.IDENTITY);
    IdentityChanges changes = first.changes();
    Version version = first.version();
    List<Change> shown = first.shown();
    for (int attempt = 1; ; attempt++) {
      if (changes.isEmpty()) {
        return;
      }
      Deadline.checkCurrent("the identity write of " + shown);
      try {
        WriteResult r = ids.write(changes, version);
        p.writes += r.writes();
        p.applied.addAll(shown);
        for (Change c : shown) {
          LOG.info("cluster {}: {} {}", cluster.clusterName(), ids.name(), c.toString().strip());
        }
        return;
      } catch (EksAccessException e) {
        if (!retries.mayRetry(e, attempt)) {
          throw gaveUp(e, attempt, ids.name());
        }
        retried(ids.name(), attempt, e);
        retries.pause(attempt);
      }
      IdentityWrite next = replanned(plan, reviewed);
      changes = next.changes();
      version = next.version();
      shown = next.shown();
    }
  }

  private void retried(String object, int attempt, EksAccessException e) {
    LOG.warn(
        "cluster {}: {} attempt {} failed, retrying: {}",
        cluster.clusterName(),
        object,
        attempt,
        e.getMessage());
    if (e instanceof ConflictException) {
      operation.conflictRetried();
    }
    cluster.events().tell(l -> l.retried(cluster.clusterName(), object, attempt, e));
  }

  private static String verb(RbacChange c) {
    if (c instanceof RbacChange.DeleteBinding || c instanceof RbacChange.DeleteRole) {
      return "deleted";
    }
    return c.expected().isAbsent() ? "created" : "updated";
  }

  private EksAccessException gaveUp(EksAccessException last, int attempts, String what) {
    if (attempts > 1) {
      LOG.warn(
          "cluster {}: {} gave up after {} attempts: {}",
          cluster.clusterName(),
          what,
          attempts,
          last.getMessage());
    }
    if (last instanceof ConflictException && attempts > 1) {
      return new ConflictException(
          "cluster "
              + cluster.clusterName()
              + ": "
              + what
              + " was changed by another writer on each of "
              + attempts
              + " attempts; gave up. Apply again later, or allow more attempts with"
              + " ClusterAccess.builder().retryPolicy(..).",
          last);
    }
    return last;
  }

  /**
   * Takes back the RBAC writes of an apply that cannot finish, newest first: a binding loses the
   * record this apply added (and goes if it made it and nobody else joined since), a role it made
   * goes. Returns the exception to throw, which says what is on the cluster now.
   */
  private EksAccessException takeBack(Progress p, EksAccessException cause) {
    if (p.written.isEmpty()) {
      return cause;
    }
    // identity changes that landed keep their bindings: only the others' records are taken back
    List<Principal> landed = new ArrayList<>();
    if (cause instanceof PartialWrite partial) {
      for (IdentityChange c : partial.applied()) {
        if (c instanceof IdentityChange.Put put) {
          landed.add(put.mapping().principal());
        }
      }
    }
    List<String> undone = new ArrayList<>();
    List<String> left = new ArrayList<>();
    List<Written> newestFirst = new ArrayList<>(p.written);
    java.util.Collections.reverse(newestFirst);
    for (Written w : newestFirst) {
      try {
        undo(w, landed);
        undone.add(w.step().ref().toString());
      } catch (EksAccessException e) {
        left.add(w.step().ref() + " (taking it back failed: " + e.getMessage() + ")");
      }
    }
    if (!landed.isEmpty()) {
      return new IncompleteApplyException(
          "cluster "
              + cluster.clusterName()
              + ": the identity layer took some changes and refused others ("
              + cause.getMessage()
              + "). Mapped now, with their bindings: "
              + landed
              + ". The bindings only the others needed were taken back"
              + (left.isEmpty() ? "" : ", except: " + String.join("; ", left))
              + ". Plan and apply the same grants again to finish.",
          p.applied,
          left,
          cause);
    }
    if (!left.isEmpty()) {
      return new IncompleteApplyException(
          "cluster "
              + cluster.clusterName()
              + ": the apply failed before the identity layer was written ("
              + cause.getMessage()
              + "), and not everything it had written could be taken back. Left on the cluster: "
              + String.join("; ", left)
              + ". No principal was mapped by this apply; revoke the grant's principals to remove"
              + " what is left, or apply the plan again.",
          p.applied,
          left,
          cause);
    }
    String note =
        " Nothing of this plan is left on the cluster: what it had written was taken back ("
            + String.join(", ", undone)
            + ").";
    if (cause instanceof ConflictException) {
      return new ConflictException(cause.getMessage() + note, cause);
    }
    if (cause instanceof BackendException b) {
      return new BackendException(
          b.getMessage() + note, b.statusCode(), b.requestId().orElse(null), b.retryable(), b);
    }
    return cause;
  }

  private void undo(Written w, List<Principal> landed) {
    RbacBackend rbac = Objects.requireNonNull(cluster.rbacBackend(), "rbac");
    RbacStep step = w.step();
    if (step instanceof RbacStep.EnsureBinding ensure) {
      List<Principal> others =
          ensure.grantedFor().stream().filter(g -> !landed.contains(g)).toList();
      if (others.isEmpty()) {
        return; // every principal it was written for is mapped now: it stays
      }
      boolean created = w.change().expected().isAbsent() && others.equals(ensure.grantedFor());
      // a binding this apply made goes when nobody else joined it since; one it joined only loses
      // this apply's record, whoever else uses it
      RbacStep release =
          new RbacStep.ReleaseBinding(step.ref(), others, Optional.empty(), !created);
      RbacSnapshot now = rbac.read(RbacQuery.of(List.of(step.ref())));
      for (int attempt = 1; ; attempt++) {
        Optional<RbacChange> c = release.changeFor(now);
        if (c.isEmpty()) {
          return;
        }
        try {
          rbac.write(RbacChanges.of(List.of(c.get())));
          return;
        } catch (ConflictException e) {
          if (!cluster.retries().policy().mayRetry(e, attempt)) {
            throw e;
          }
        }
        now = rbac.read(RbacQuery.of(List.of(step.ref())));
      }
    }
    if (step instanceof RbacStep.EnsureRole
        && w.change().expected().isAbsent()
        && landed.isEmpty()) {
      RbacRef ref = step.ref();
      rbac.write(
          RbacChanges.of(
              List.of(new RbacChange.DeleteRole(ref.namespace(), ref.name(), w.after()))));
    }
  }

  private static String describe(List<Change> applied, Change.Layer layer) {
    List<String> out = new ArrayList<>();
    for (Change c : applied) {
      if (c.layer() == layer) {
        out.add(c.action().symbol() + " " + c.object());
      }
    }
    return out.isEmpty() ? "none" : String.join(", ", out);
  }
}
