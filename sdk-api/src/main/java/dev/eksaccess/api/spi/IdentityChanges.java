package dev.eksaccess.api.spi;

import java.util.List;

/**
 * A batch of layer-1 changes that a backend applies in one write.
 *
 * <pre>{@code
 * backend.write(IdentityChanges.of(List.of(new IdentityChange.Put(mapping))), version);
 * }</pre>
 *
 * @param changes the changes, in order
 */
public record IdentityChanges(List<IdentityChange> changes) {
  private static final IdentityChanges NONE = new IdentityChanges(List.of());

  /** Copies the list. */
  public IdentityChanges {
    changes = List.copyOf(changes);
  }

  /**
   * No changes; writing it must not touch the backend.
   *
   * @return the empty batch
   */
  public static IdentityChanges none() {
    return NONE;
  }

  /**
   * A batch.
   *
   * @param changes the changes
   * @return the batch
   */
  public static IdentityChanges of(List<IdentityChange> changes) {
    return new IdentityChanges(changes);
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
