package dev.eksaccess.api;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A finished, immutable grant: an IAM principal, who it becomes in Kubernetes, and what that
 * subject is bound to where. Build one with {@link ClusterAccess#grant(Principal)}; a chain that
 * has not named a binding and a scope is not a {@code Grant}, so it does not compile.
 *
 * <pre>{@code
 * Grant devs = ClusterAccess.grant(IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole"))
 *     .asGroup("acme:devs")
 *     .bind(ClusterRole.VIEW).inNamespace("prod-apps")
 *     .and().bind(ClusterRole.EDIT).inNamespace("dev-apps");
 * }</pre>
 *
 * <p>The nested {@code *Step} types are chain types, not for variables.
 */
public final class Grant {
  private final Principal principal;
  private final Subject subject;
  private final List<Binding> bindings;

  Grant(Principal principal, Subject subject, List<Binding> bindings) {
    this.principal = Objects.requireNonNull(principal, "principal");
    this.subject = Objects.requireNonNull(subject, "subject");
    this.bindings = List.copyOf(new LinkedHashSet<>(bindings));
    if (this.bindings.isEmpty()) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_GRANT,
          "bindings",
          null,
          "a grant has at least one binding: bind(..) a role or an access policy.");
    }
  }

  /**
   * The IAM principal this grant is for.
   *
   * @return the principal
   */
  public Principal principal() {
    return principal;
  }

  /**
   * Who the principal becomes in Kubernetes.
   *
   * @return the username and groups
   */
  public Subject subject() {
    return subject;
  }

  /**
   * What the subject is bound to, and where, in the order written.
   *
   * @return one or more bindings
   */
  public List<Binding> bindings() {
    return bindings;
  }

  /**
   * Adds another binding for the same principal and subject.
   *
   * <pre>{@code
   * grant.and().bind(AccessPolicy.VIEW).clusterWide();
   * }</pre>
   *
   * @return the bind step; its result is a new grant with both bindings
   */
  public BindStep and() {
    return new GrantChain.Bind(principal, subject, bindings);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Grant g
        && principal.equals(g.principal)
        && subject.equals(g.subject)
        && bindings.equals(g.bindings);
  }

  @Override
  public int hashCode() {
    return Objects.hash(principal, subject, bindings);
  }

  @Override
  public String toString() {
    return "grant "
        + principal
        + " as "
        + subject
        + ": "
        + bindings.stream().map(Binding::toString).collect(Collectors.joining("; "));
  }

  /** First step: who the principal becomes in Kubernetes. A chain type, not for variables. */
  public interface SubjectStep {
    /**
     * The principal joins one group; the backend picks the username.
     *
     * @param group the Kubernetes group, such as {@code acme:devs}
     * @return the bind step
     * @throws InvalidInputException ({@link ErrorCode#INVALID_GROUP}) if the group would not work
     *     as written: empty, stray whitespace, a control or invisible character or a line separator
     *     (named as {@code U+XXXX} with its index), or a name that starts, or once EKS renders its
     *     placeholders can start, with a prefix Kubernetes or EKS reserves ({@code system:}, {@code
     *     eks:}, {@code aws:}, {@code amazon:}, {@code iam:}); {@link
     *     ErrorCode#SYSTEM_MASTERS_GRANT} for {@code system:masters}, which only {@link
     *     ClusterAccess#breakGlass(IamRole)} grants
     */
    BindStep asGroup(String group);

    /**
     * The principal gets this username, which may hold {@code {{SessionName}}}, {@code
     * {{AccountID}}} and the other EKS templates.
     *
     * @param usernameTemplate the username
     * @return the user step, to add groups or bind
     * @throws InvalidInputException ({@link ErrorCode#INVALID_USERNAME}) if it would not work: the
     *     same character rules as for groups, an unknown placeholder, or a username that can start
     *     with a reserved prefix once EKS renders it ({@code {{SessionName}}:admin} becomes {@code
     *     system:admin} for a session named {@code system})
     */
    UserStep asUser(String usernameTemplate);
  }

  /** After {@link SubjectStep#asUser}: add groups, or bind the user itself. A chain type. */
  public interface UserStep extends BindStep {
    /**
     * The user is also in these groups. Bindings then name the groups.
     *
     * @param first a group
     * @param more further groups
     * @return the bind step
     * @throws InvalidInputException if a group would not work as written, as for {@link
     *     SubjectStep#asGroup(String)}
     */
    BindStep inGroups(String first, String... more);
  }

  /** Second step: what the subject is bound to. A chain type, not for variables. */
  public interface BindStep {
    /**
     * Binds a ClusterRole; name the scope next.
     *
     * @param role the ClusterRole
     * @return the scope step
     */
    ScopeStep bind(ClusterRole role);

    /**
     * Binds a namespaced Role, in its own namespace.
     *
     * @param role the Role
     * @return the grant
     */
    Grant bind(Role role);

    /**
     * Associates an EKS access policy (Access Entries only); name the scope next.
     *
     * @param policy the access policy
     * @return the scope step
     */
    ScopeStep bind(AccessPolicy policy);

    /**
     * Binds a ClusterRole that the grant also creates; name the scope next.
     *
     * @param definition the ClusterRole and its rules (or aggregation rule)
     * @return the scope step
     */
    ScopeStep bind(ClusterRoleDefinition definition);

    /**
     * Binds a namespaced Role that the grant also creates, in its own namespace.
     *
     * @param definition the Role and its rules
     * @return the grant
     */
    Grant bind(RoleDefinition definition);
  }

  /** Last step: where. Only this step returns a {@link Grant}. A chain type. */
  public interface ScopeStep {
    /**
     * In one namespace.
     *
     * @param namespace the namespace
     * @return the grant
     * @throws InvalidInputException ({@link ErrorCode#INVALID_NAMESPACE}) if it is not a DNS-1123
     *     label
     */
    Grant inNamespace(String namespace);

    /**
     * In several namespaces.
     *
     * @param first a namespace
     * @param more further namespaces
     * @return the grant
     * @throws InvalidInputException naming every namespace that is not a DNS-1123 label
     */
    Grant inNamespaces(String first, String... more);

    /**
     * Everywhere in the cluster.
     *
     * @return the grant
     */
    Grant clusterWide();
  }

  static List<Binding> plus(List<Binding> bindings, Binding more) {
    List<Binding> all = new ArrayList<>(bindings);
    all.add(more);
    return all;
  }
}
