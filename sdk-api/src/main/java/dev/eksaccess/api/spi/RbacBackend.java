package dev.eksaccess.api.spi;

import java.util.Optional;
import java.util.Set;

/**
 * Reads and writes layer-2 RBAC objects for one cluster. Implemented over the Kubernetes API and by
 * the testkit's in-memory backend.
 *
 * <p>Versions are per object: each {@link RbacChange} carries the state its object must be in
 * ({@link RbacChange#expected()}), so two writers of different objects never conflict, and a lost
 * race names the one object to read again.
 *
 * <pre>{@code
 * RbacRef ref = RbacRef.roleBinding("apps", "devs-view");
 * RbacSnapshot now = rbac.read(RbacQuery.of(List.of(ref)));
 * rbac.write(RbacChanges.of(List.of(new RbacChange.PutBinding(binding, now.versionOf(ref)))));
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
   * Reads every role and binding, each with its version.
   *
   * @return the complete snapshot
   * @throws dev.eksaccess.api.BackendException if the remote side fails
   */
  RbacSnapshot read();

  /**
   * Reads what {@code query} asks for: at least the named objects (each with its version, or {@link
   * Version#ABSENT}), and every ClusterRoleBinding or eks-access binding if asked. A backend whose
   * full read is cheap may return that instead. The default does.
   *
   * @param query what to read
   * @return the snapshot; {@link RbacSnapshot#complete()} false if it holds less than everything
   * @throws dev.eksaccess.api.BackendException if the remote side fails
   */
  default RbacSnapshot read(RbacQuery query) {
    return read();
  }

  /**
   * The names of the cluster's namespaces, for audit to find access-policy scopes that name
   * namespaces the cluster does not have (EKS does not check them). Empty if this backend cannot
   * tell; the default cannot.
   *
   * <pre>{@code
   * rbac.namespaces().ifPresent(ns -> System.out.println(ns));   // [default, kube-system, ...]
   * }</pre>
   *
   * @return the namespace names, or empty when unknown
   * @throws dev.eksaccess.api.BackendException if the remote side fails
   */
  default Optional<Set<String>> namespaces() {
    return Optional.empty();
  }

  /**
   * Applies the changes in order, each only if its object is in the state its {@link
   * RbacChange#expected()} names; stops at the first change that fails. An empty batch writes
   * nothing.
   *
   * @param changes the changes
   * @return the number of remote writes
   * @throws dev.eksaccess.api.ConflictException if a change's object is not in the expected state
   *     (the changes before it were applied)
   * @throws dev.eksaccess.api.InvalidInputException if the API server would reject an object, such
   *     as a changed roleRef (the changes before it were applied)
   * @throws dev.eksaccess.api.BackendException if the remote side fails (the changes before it were
   *     applied)
   */
  WriteResult write(RbacChanges changes);

  /**
   * Applies the changes against their own per-object preconditions; {@code expected} is no longer
   * checked as a whole.
   *
   * @param changes the changes
   * @param expected ignored
   * @return the number of remote writes
   * @deprecated RBAC versions are per object: use {@link #write(RbacChanges)} with preconditions on
   *     the changes.
   */
  @Deprecated
  default WriteResult write(RbacChanges changes, Version expected) {
    return write(changes);
  }
}
