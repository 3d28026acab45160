package dev.eksaccess.api.spi;

import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.InvalidInputException;
import java.util.Objects;

/**
 * A subject of a RoleBinding or ClusterRoleBinding.
 *
 * <pre>{@code
 * RbacSubject.group("acme:devs");
 * RbacSubject.serviceAccount("ci", "deployer");
 * }</pre>
 *
 * @param kind User, Group or ServiceAccount
 * @param name the name
 * @param namespace the ServiceAccount's namespace; {@code ""} for users and groups
 */
public record RbacSubject(Kind kind, String name, String namespace) {
  /** The subject kinds RBAC knows. */
  public enum Kind {
    /** A Kubernetes username. */
    USER,
    /** A Kubernetes group. */
    GROUP,
    /** A ServiceAccount in a namespace. */
    SERVICE_ACCOUNT
  }

  /**
   * Checks the fields.
   *
   * @throws InvalidInputException if a ServiceAccount has no namespace, or a user or group has one
   */
  public RbacSubject {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(namespace, "namespace");
    if ((kind == Kind.SERVICE_ACCOUNT) == namespace.isEmpty()) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_NAME,
          "subject.namespace",
          namespace,
          kind == Kind.SERVICE_ACCOUNT
              ? "is required for a ServiceAccount subject."
              : "is only for ServiceAccount subjects; leave it empty for users and groups.");
    }
  }

  /**
   * A group subject.
   *
   * @param name the group
   * @return the subject
   */
  public static RbacSubject group(String name) {
    return new RbacSubject(Kind.GROUP, name, "");
  }

  /**
   * A user subject.
   *
   * @param name the username
   * @return the subject
   */
  public static RbacSubject user(String name) {
    return new RbacSubject(Kind.USER, name, "");
  }

  /**
   * A ServiceAccount subject.
   *
   * @param namespace its namespace
   * @param name its name
   * @return the subject
   */
  public static RbacSubject serviceAccount(String namespace, String name) {
    return new RbacSubject(Kind.SERVICE_ACCOUNT, name, namespace);
  }

  @Override
  public String toString() {
    return switch (kind) {
      case USER -> "User " + name;
      case GROUP -> "Group " + name;
      case SERVICE_ACCOUNT -> "ServiceAccount " + namespace + "/" + name;
    };
  }
}
