package dev.eksaccess.api.internal;

import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.Principal;
import dev.eksaccess.api.spi.RbacBinding;
import dev.eksaccess.api.spi.RbacChange;
import dev.eksaccess.api.spi.RbacRef;
import dev.eksaccess.api.spi.RbacRole;
import dev.eksaccess.api.spi.RbacSnapshot;
import dev.eksaccess.api.spi.Version;
import dev.eksaccess.api.support.BindingNames;
import dev.eksaccess.api.support.GrantedFor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a plan wants of one RBAC object, as an intent rather than a finished write: given the object
 * as it is now, {@link #changeFor} says what to send, with the object's own version as the
 * precondition. A write that loses a race re-reads that one object and asks again, so a retry
 * re-applies the intent, never a stale object, and touches nothing else.
 */
public sealed interface RbacStep {
  /** The object this step is about. */
  RbacRef ref();

  /**
   * The change that brings the object from its state in {@code now} to what this step wants.
   *
   * @param now a snapshot that read {@link #ref()}
   * @return the change, or empty if the object already is as wanted
   * @throws InvalidInputException if the object is someone else's (no eks-access label)
   */
  Optional<RbacChange> changeFor(RbacSnapshot now);

  /** A Role or ClusterRole eks-access defines, created or brought to these rules. */
  record EnsureRole(RbacRole want) implements RbacStep {
    @Override
    public RbacRef ref() {
      return RbacRef.of(want);
    }

    @Override
    public Optional<RbacChange> changeFor(RbacSnapshot now) {
      Optional<RbacRole> have = now.role(ref());
      if (have.isEmpty()) {
        return Optional.of(new RbacChange.PutRole(want, Version.ABSENT));
      }
      requireOwned(have.get().labels(), ref(), "pick another name.");
      boolean same =
          have.get().aggregateFrom().equals(want.aggregateFrom())
              && (!want.aggregateFrom().isEmpty() || have.get().rules().equals(want.rules()));
      return same
          ? Optional.empty()
          : Optional.of(new RbacChange.PutRole(want, now.versionOf(ref())));
    }
  }

  /**
   * A binding eks-access makes for a grant: created if missing, else its subjects kept as named and
   * {@code grantedFor} added to its record.
   */
  record EnsureBinding(RbacBinding want, List<Principal> grantedFor) implements RbacStep {
    public EnsureBinding {
      grantedFor = List.copyOf(grantedFor);
    }

    @Override
    public RbacRef ref() {
      return RbacRef.of(want);
    }

    @Override
    public Optional<RbacChange> changeFor(RbacSnapshot now) {
      Optional<RbacBinding> have = now.binding(ref());
      if (have.isEmpty()) {
        return Optional.of(
            new RbacChange.PutBinding(GrantedFor.adding(want, grantedFor), Version.ABSENT));
      }
      RbacBinding cur = have.get();
      requireOwned(cur.labels(), ref(), "delete or rename it.");
      if (!cur.roleRef().equals(want.roleRef())) {
        throw InvalidInputException.of(
            ErrorCode.INVALID_GRANT,
            ref().toString(),
            cur.roleRef().toString(),
            "is what it binds now, not "
                + want.roleRef()
                + " as its name says: someone changed it, and a roleRef cannot change in place."
                + " Delete the binding and plan again.");
      }
      Map<String, String> labels = new LinkedHashMap<>(cur.labels());
      labels.putAll(want.labels());
      RbacBinding merged =
          GrantedFor.adding(
              new RbacBinding(
                  cur.namespace(),
                  cur.name(),
                  cur.roleRef(),
                  want.subjects(),
                  labels,
                  cur.annotations()),
              grantedFor);
      return merged.equals(cur)
          ? Optional.empty()
          : Optional.of(new RbacChange.PutBinding(merged, now.versionOf(ref())));
    }
  }

  /**
   * A binding whose record loses {@code released}: deleted when nobody is left on it and no
   * remaining mapping uses its subjects, else its record rewritten. Bindings that are not
   * eks-access's are never touched.
   *
   * @param ref the binding
   * @param released the principals whose grants go
   * @param namesInUse the usernames and groups the remaining mappings use, when every mapping was
   *     read (aws-auth); a binding naming one of them is kept. Empty when unknown (Access Entries):
   *     the record alone decides
   * @param keep whether the binding stays whoever is left on it (taking back a record this apply
   *     added to a binding it did not make)
   */
  record ReleaseBinding(
      RbacRef ref, List<Principal> released, Optional<Set<String>> namesInUse, boolean keep)
      implements RbacStep {
    public ReleaseBinding {
      released = List.copyOf(released);
      namesInUse = namesInUse.map(Set::copyOf);
    }

    public ReleaseBinding(RbacRef ref, List<Principal> released, Optional<Set<String>> namesInUse) {
      this(ref, released, namesInUse, false);
    }

    /** The same release, weighing the mappings as they are now. */
    public ReleaseBinding inUse(Optional<Set<String>> names) {
      return new ReleaseBinding(ref, released, names, keep);
    }

    @Override
    public Optional<RbacChange> changeFor(RbacSnapshot now) {
      Optional<RbacBinding> have = now.binding(ref);
      if (have.isEmpty()
          || !BindingNames.MANAGER.equals(have.get().labels().get(BindingNames.MANAGED_BY))) {
        return Optional.empty();
      }
      RbacBinding after = GrantedFor.removing(have.get(), released);
      boolean used =
          keep
              || (namesInUse.isPresent()
                  && after.subjects().stream().anyMatch(s -> namesInUse.get().contains(s.name())));
      if (!GrantedFor.isRecorded(after) && !used) {
        return Optional.of(
            new RbacChange.DeleteBinding(ref.namespace(), ref.name(), now.versionOf(ref)));
      }
      return after.equals(have.get())
          ? Optional.empty()
          : Optional.of(new RbacChange.PutBinding(after, now.versionOf(ref)));
    }
  }

  private static void requireOwned(Map<String, String> labels, RbacRef ref, String fix) {
    if (!BindingNames.MANAGER.equals(labels.get(BindingNames.MANAGED_BY))) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_GRANT,
          ref.toString(),
          null,
          "exists and is not managed by eks-access (no label "
              + BindingNames.MANAGED_BY
              + "="
              + BindingNames.MANAGER
              + "); eks-access never changes objects it does not own. Bind it as it is, or "
              + fix);
    }
  }
}
