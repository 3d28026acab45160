package dev.eksaccess.api.spi;

import dev.eksaccess.api.AccessPolicy;
import dev.eksaccess.api.Principal;
import java.util.List;
import java.util.Optional;
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
   * Reads at least the mappings {@code query} names, for planning or explaining what touches only
   * them: a backend whose state is one object (aws-auth) returns everything; Access Entries reads
   * only these entries, so the cost does not grow with the cluster. The version covers what was
   * read, and a write against it is refused if any principal it changes moved on since. A principal
   * with no mapping is simply absent. The default reads everything.
   *
   * <pre>{@code
   * IdentitySnapshot some = backend.read(IdentityQuery.of(List.of(IamRole.of(arn))));
   * }</pre>
   *
   * @param query the principals
   * @return the snapshot; {@link IdentitySnapshot#complete()} false if it holds less than all
   * @throws dev.eksaccess.api.BackendException if the remote side fails
   */
  default IdentitySnapshot read(IdentityQuery query) {
    return read();
  }

  /**
   * The principals with {@code policy} associated (at any scope), if this backend can tell cheaply
   * (Access Entries: {@code ListAccessEntries} filtered by the policy), for the last-admin guard of
   * a scoped plan, which then reads a few of them. Empty if it cannot; the planner then reads
   * everything.
   *
   * @param policy the access policy, such as {@link AccessPolicy#CLUSTER_ADMIN}
   * @return the principals, or empty when unknown
   * @throws dev.eksaccess.api.BackendException if the remote side fails
   */
  default Optional<List<Principal>> principalsWithPolicy(AccessPolicy policy) {
    return Optional.empty();
  }

  /**
   * The access policies this backend's cluster can associate (Access Entries: the region's {@code
   * ListAccessPolicies}, read once and kept), so a misspelled policy fails at plan time, before
   * anything is written. Empty if the backend cannot tell.
   *
   * @return the policies, or empty when unknown
   * @throws dev.eksaccess.api.BackendException if the remote side fails
   */
  default Optional<Set<AccessPolicy>> accessPolicies() {
    return Optional.empty();
  }

  /**
   * Checks, without writing, that {@link #write} would accept these changes as values: a plan calls
   * it before anything is written anywhere, so a refusal that can be known then (aws-auth: a
   * section EKS cannot read, an edit the document cannot take) leaves no binding behind. The
   * default accepts everything.
   *
   * <pre>{@code
   * backend.check(IdentityChanges.of(List.of(new IdentityChange.Put(mapping))));
   * }</pre>
   *
   * @param changes the changes a plan would write
   * @throws dev.eksaccess.api.EksAccessException what {@link #write} would throw for these values
   */
  default void check(IdentityChanges changes) {}

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
