package dev.eksaccess.api.spi;

/**
 * Reads and writes layer-2 RBAC objects for one cluster. Implemented over the Kubernetes API and by
 * the testkit's in-memory backend.
 *
 * <pre>{@code
 * RbacSnapshot now = rbac.read();
 * rbac.write(RbacChanges.of(List.of(new RbacChange.PutBinding(binding))), now.version());
 * }</pre>
 */
public interface RbacBackend {
  /**
   * A short name for messages, such as {@code kubernetes} or {@code in-memory}.
   *
   * @return the name
   */
  String name();

  /**
   * Reads a consistent snapshot.
   *
   * @return the roles, bindings and their version
   * @throws dev.eksaccess.api.BackendException if the remote side fails
   */
  RbacSnapshot read();

  /**
   * Applies all changes against the version they were planned from. An empty batch writes nothing.
   *
   * @param changes the changes
   * @param expected the version the changes were planned against
   * @return the new version and the number of remote writes
   * @throws dev.eksaccess.api.ConflictException if {@code expected} is stale; nothing is written
   * @throws dev.eksaccess.api.InvalidInputException if the API server would reject an object, such
   *     as a changed roleRef; nothing is written
   */
  WriteResult write(RbacChanges changes, Version expected);
}
