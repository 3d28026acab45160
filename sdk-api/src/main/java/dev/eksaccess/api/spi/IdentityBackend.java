package dev.eksaccess.api.spi;

import java.util.Set;

/**
 * Reads and writes layer-1 identity mappings for one cluster. Implemented by aws-auth, Access
 * Entries and the testkit's in-memory backends. Planning, validation and lockout guards live above
 * this SPI, in {@link dev.eksaccess.api.ClusterAccess}, so no backend can skip them; a backend
 * still rejects what its real system rejects.
 *
 * <pre>{@code
 * IdentitySnapshot now = backend.read();
 * backend.write(IdentityChanges.of(List.of(new IdentityChange.Remove(role))), now.version());
 * }</pre>
 */
public interface IdentityBackend {
  /**
   * A short name for messages, such as {@code aws-auth} or {@code access-entries}.
   *
   * @return the name
   */
  String name();

  /**
   * The optional features this backend has.
   *
   * @return the capabilities
   */
  Set<Capability> capabilities();

  /**
   * How this backend finds a caller's mapping.
   *
   * @return the matching rule
   */
  PrincipalMatching principalMatching();

  /**
   * Reads a consistent snapshot.
   *
   * @return the mappings and their version
   * @throws dev.eksaccess.api.BackendException if the remote side fails
   */
  IdentitySnapshot read();

  /**
   * Applies all changes against the version they were planned from. An empty batch writes nothing.
   *
   * @param changes the changes
   * @param expected the version the changes were planned against
   * @return the new version and the number of remote writes
   * @throws dev.eksaccess.api.ConflictException if {@code expected} is stale; nothing is written
   * @throws dev.eksaccess.api.UnsupportedGrantException if a change needs a capability this backend
   *     lacks; nothing is written
   * @throws dev.eksaccess.api.InvalidInputException if the real system would reject a value;
   *     nothing is written
   */
  WriteResult write(IdentityChanges changes, Version expected);
}
