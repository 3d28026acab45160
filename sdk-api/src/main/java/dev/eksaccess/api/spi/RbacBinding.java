package dev.eksaccess.api.spi;

import dev.eksaccess.api.ClusterRole;
import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.Role;
import dev.eksaccess.api.RoleRef;
import dev.eksaccess.api.support.Names;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A RoleBinding (with a namespace) or a ClusterRoleBinding (namespace {@code ""}).
 *
 * <pre>{@code
 * RbacBinding b = RbacBinding.roleBinding("prod-apps", "devs-view", ClusterRole.VIEW,
 *     List.of(RbacSubject.group("acme:devs")));
 * }</pre>
 *
 * @param namespace the RoleBinding's namespace, or {@code ""} for a ClusterRoleBinding
 * @param name the name
 * @param roleRef the role it grants; immutable once created
 * @param subjects who it grants it to
 * @param labels the labels, sorted by key
 * @param annotations the annotations eks-access reads and writes (such as the principals a binding
 *     was granted for), sorted by key; others on the object are kept by every write and not shown
 */
public record RbacBinding(
    String namespace,
    String name,
    RoleRef roleRef,
    List<RbacSubject> subjects,
    Map<String, String> labels,
    Map<String, String> annotations) {
  /**
   * Checks names and that the roleRef fits the binding kind.
   *
   * @throws InvalidInputException if a name would be rejected, a ClusterRoleBinding refers to a
   *     Role, or a RoleBinding refers to a Role in another namespace
   */
  public RbacBinding {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(roleRef, "roleRef");
    Names.require(
        Names.rbacName(Objects.requireNonNull(name, "name"), "binding.name"),
        ErrorCode.INVALID_NAME);
    if (!namespace.isEmpty()) {
      Names.require(Names.namespace(namespace, "binding.namespace"), ErrorCode.INVALID_NAMESPACE);
    }
    if (roleRef instanceof Role role && !role.namespace().equals(namespace)) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_NAME,
          "binding.roleRef",
          role.toString(),
          namespace.isEmpty()
              ? "a ClusterRoleBinding can only refer to a ClusterRole."
              : "a RoleBinding can only refer to a Role in its own namespace (" + namespace + ").");
    }
    subjects = List.copyOf(subjects);
    labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    annotations = java.util.Collections.unmodifiableMap(new TreeMap<>(annotations));
  }

  /**
   * A binding without annotations.
   *
   * @param namespace the RoleBinding's namespace, or {@code ""} for a ClusterRoleBinding
   * @param name the name
   * @param roleRef the role it grants
   * @param subjects who it grants it to
   * @param labels the labels
   */
  public RbacBinding(
      String namespace,
      String name,
      RoleRef roleRef,
      List<RbacSubject> subjects,
      Map<String, String> labels) {
    this(namespace, name, roleRef, subjects, labels, Map.of());
  }

  /**
   * A RoleBinding.
   *
   * @param namespace its namespace
   * @param name its name
   * @param roleRef a ClusterRole, or a Role in the same namespace
   * @param subjects the subjects
   * @return the binding
   */
  public static RbacBinding roleBinding(
      String namespace, String name, RoleRef roleRef, List<RbacSubject> subjects) {
    return new RbacBinding(namespace, name, roleRef, subjects, Map.of());
  }

  /**
   * A ClusterRoleBinding.
   *
   * @param name its name
   * @param roleRef the ClusterRole
   * @param subjects the subjects
   * @return the binding
   */
  public static RbacBinding clusterRoleBinding(
      String name, ClusterRole roleRef, List<RbacSubject> subjects) {
    return new RbacBinding("", name, roleRef, subjects, Map.of());
  }

  /**
   * A copy with these labels.
   *
   * @param labels the labels
   * @return the copy
   */
  public RbacBinding withLabels(Map<String, String> labels) {
    return new RbacBinding(namespace, name, roleRef, subjects, labels, annotations);
  }

  /**
   * The same binding with these annotations.
   *
   * @param annotations the annotations
   * @return a new binding
   */
  public RbacBinding withAnnotations(Map<String, String> annotations) {
    return new RbacBinding(namespace, name, roleRef, subjects, labels, annotations);
  }

  /**
   * Whether this is a ClusterRoleBinding.
   *
   * @return true when it has no namespace
   */
  public boolean isClusterRoleBinding() {
    return namespace.isEmpty();
  }

  @Override
  public String toString() {
    return isClusterRoleBinding()
        ? "ClusterRoleBinding " + name
        : "RoleBinding " + namespace + "/" + name;
  }
}
