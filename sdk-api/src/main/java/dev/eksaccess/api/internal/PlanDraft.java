package dev.eksaccess.api.internal;

import dev.eksaccess.api.Change;
import dev.eksaccess.api.Principal;
import dev.eksaccess.api.Violation;
import dev.eksaccess.api.spi.IdentityChanges;
import dev.eksaccess.api.spi.IdentityMapping;
import java.util.List;

/**
 * What the planner decided: the changes for people, the identity batch, the RBAC steps to take
 * before the identity write (roles and bindings a grant needs, so access arrives whole) and after
 * it (bindings a revoke leaves unused, so access goes at once), the guards it trips, and the
 * mappings it removes.
 *
 * @param changes the changes, identity first
 * @param violations the lockout guards tripped
 * @param warnings things worth knowing
 * @param identityChanges the identity batch
 * @param rbacBefore the RBAC steps written before the identity batch
 * @param rbacAfter the RBAC steps written after it
 * @param removedMappings the mappings the identity batch removes
 * @param adminsLost the principals that are cluster-admin-equivalent now and would not be after,
 *     when the identity snapshot was scoped, so the last-admin guard could not see every other
 *     admin; empty when the guard was decided
 */
public record PlanDraft(
    List<Change> changes,
    List<Violation> violations,
    List<String> warnings,
    IdentityChanges identityChanges,
    List<RbacStep> rbacBefore,
    List<RbacStep> rbacAfter,
    List<IdentityMapping> removedMappings,
    List<Principal> adminsLost) {
  public PlanDraft {
    changes = List.copyOf(changes);
    violations = List.copyOf(violations);
    warnings = List.copyOf(warnings);
    rbacBefore = List.copyOf(rbacBefore);
    rbacAfter = List.copyOf(rbacAfter);
    removedMappings = List.copyOf(removedMappings);
    adminsLost = List.copyOf(adminsLost);
  }

  /** The changes shown for one layer, for reporting what a write did. */
  public List<Change> changesIn(Change.Layer layer) {
    return changes.stream().filter(c -> c.layer() == layer).toList();
  }

  /** Whether the plan writes nothing. */
  public boolean isEmpty() {
    return changes.isEmpty();
  }
}
