package dev.eksaccess.api.spi;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A view of a cluster's RBAC objects, each with the version it was read at: what an RBAC backend
 * reads, what {@code Rbac.fromYaml(..)} and {@code Rbac.read(..)} give, and what the offline
 * authorizer ({@link dev.eksaccess.api.authz.RbacAuthorizer}) decides over. A full read ({@link
 * RbacBackend#read()}) holds every object; a scoped read ({@link RbacBackend#read(RbacQuery)})
 * holds what its query asked for, and {@link #complete()} is false.
 *
 * <pre>{@code
 * RbacSnapshot now = rbac.read();
 * now.bindings().stream().filter(RbacBinding::isClusterRoleBinding).forEach(System.out::println);
 * now.versionOf(RbacRef.of(binding));   // its resourceVersion, to write against
 * }</pre>
 *
 * @param version a version of the whole read, for display; writes are checked per object
 * @param roles the Roles and ClusterRoles
 * @param bindings the RoleBindings and ClusterRoleBindings
 * @param versions the version of each object read, by reference; a reference that was asked for and
 *     not found maps to {@link Version#ABSENT}
 * @param complete whether this holds every RBAC object of the cluster
 */
public record RbacSnapshot(
    Version version,
    List<RbacRole> roles,
    List<RbacBinding> bindings,
    Map<RbacRef, Version> versions,
    boolean complete) {
  /** Copies the collections. */
  public RbacSnapshot {
    Objects.requireNonNull(version, "version");
    roles = List.copyOf(roles);
    bindings = List.copyOf(bindings);
    versions = Map.copyOf(versions);
  }

  /**
   * A complete snapshot without per-object versions (every precondition then reads {@link
   * Version#ANY}).
   *
   * @param version the version
   * @param roles the Roles and ClusterRoles
   * @param bindings the RoleBindings and ClusterRoleBindings
   */
  public RbacSnapshot(Version version, List<RbacRole> roles, List<RbacBinding> bindings) {
    this(version, roles, bindings, Map.of(), true);
  }

  /**
   * A complete snapshot of objects built by hand (in a test, in JShell), with no version: for the
   * offline authorizer, {@code Rbac.offline(..)} and the testkit.
   *
   * <pre>{@code
   * RbacAuthorizer rbac = RbacAuthorizer.of(RbacSnapshot.of(List.of(reader), List.of(binding)));
   * }</pre>
   *
   * @param roles the Roles and ClusterRoles
   * @param bindings the RoleBindings and ClusterRoleBindings
   * @return the snapshot
   */
  public static RbacSnapshot of(List<RbacRole> roles, List<RbacBinding> bindings) {
    return new RbacSnapshot(Version.of("unversioned"), roles, bindings);
  }

  /**
   * The version an object was read at: its own version, {@link Version#ABSENT} if it was looked for
   * and not found (or, in a complete snapshot, is not there), or {@link Version#ANY} if this
   * snapshot does not know.
   *
   * @param ref the object
   * @return the version to write against
   */
  public Version versionOf(RbacRef ref) {
    Version v = versions.get(ref);
    if (v != null) {
      return v;
    }
    boolean present = ref.kind().binding() ? binding(ref).isPresent() : role(ref).isPresent();
    return present || !complete ? Version.ANY : Version.ABSENT;
  }

  /**
   * A binding of this snapshot.
   *
   * @param ref the binding's reference
   * @return the binding, if read and present
   */
  public Optional<RbacBinding> binding(RbacRef ref) {
    return bindings.stream()
        .filter(b -> b.namespace().equals(ref.namespace()) && b.name().equals(ref.name()))
        .findFirst();
  }

  /**
   * A role of this snapshot.
   *
   * @param ref the role's reference
   * @return the role, if read and present
   */
  public Optional<RbacRole> role(RbacRef ref) {
    return roles.stream()
        .filter(r -> r.namespace().equals(ref.namespace()) && r.name().equals(ref.name()))
        .findFirst();
  }
}
