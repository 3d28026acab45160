package dev.eksaccess.api.spi;

import java.util.List;

/**
 * Implemented by a backend's exception when a batch of identity changes stopped part way, so that
 * {@link dev.eksaccess.api.ClusterAccess} keeps the RBAC of the principals whose changes landed and
 * takes back only the rest's. Access Entries has no transactions; its {@code PartialWriteException}
 * implements this.
 *
 * <pre>{@code
 * catch (RuntimeException e) {
 *   if (e instanceof PartialWrite p) p.applied().forEach(System.out::println);
 * }
 * }</pre>
 */
public interface PartialWrite {
  /**
   * The changes that landed.
   *
   * @return the changes, in batch order
   */
  List<IdentityChange> applied();
}
