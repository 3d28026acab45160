package dev.eksaccess.api.spi;

import java.util.List;

/**
 * A batch of layer-2 changes.
 *
 * <pre>{@code
 * rbac.write(RbacChanges.of(List.of(new RbacChange.PutBinding(binding))), version);
 * }</pre>
 *
 * @param changes the changes, in order
 */
public record RbacChanges(List<RbacChange> changes) {
  private static final RbacChanges NONE = new RbacChanges(List.of());

  /** Copies the list. */
  public RbacChanges {
    changes = List.copyOf(changes);
  }

  /**
   * No changes.
   *
   * @return the empty batch
   */
  public static RbacChanges none() {
    return NONE;
  }

  /**
   * A batch.
   *
   * @param changes the changes
   * @return the batch
   */
  public static RbacChanges of(List<RbacChange> changes) {
    return new RbacChanges(changes);
  }

  /**
   * Whether there is nothing to write.
   *
   * @return true when empty
   */
  public boolean isEmpty() {
    return changes.isEmpty();
  }
}
