package dev.eksaccess.api.internal;

import dev.eksaccess.api.Change;
import dev.eksaccess.api.Violation;
import dev.eksaccess.api.spi.IdentityChanges;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.RbacChanges;
import java.util.List;

/**
 * What the planner decided: the changes for people, the batches for the backends, the guards it
 * trips, whether identity must be written before RBAC (revokes cut access first), and the mappings
 * the identity changes remove (a retry still owes the RBAC clean-up for them once they are gone).
 */
public record PlanDraft(
    List<Change> changes,
    List<Violation> violations,
    List<String> warnings,
    IdentityChanges identityChanges,
    RbacChanges rbacChanges,
    boolean identityFirst,
    List<IdentityMapping> removedMappings) {
  public PlanDraft {
    removedMappings = List.copyOf(removedMappings);
    changes = List.copyOf(changes);
    violations = List.copyOf(violations);
    warnings = List.copyOf(warnings);
  }

  /** The changes shown for one layer, for reporting what a write did. */
  public List<Change> changesIn(Change.Layer layer) {
    return changes.stream().filter(c -> c.layer() == layer).toList();
  }
}
