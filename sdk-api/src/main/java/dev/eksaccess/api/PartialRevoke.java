package dev.eksaccess.api;

import dev.eksaccess.api.InvalidInputException.Problem;
import dev.eksaccess.api.support.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Takes one piece of access from a principal and leaves the rest, the principal's mapping included:
 * one Kubernetes group, one EKS access policy (or some namespaces of its scope), or the RBAC
 * bindings eks-access made for it to one role (everywhere, cluster-wide, or in some namespaces).
 * Start one with {@link ClusterAccess#revoke(Principal)}, plan it with {@link
 * ClusterAccess#plan(PartialRevoke, PartialRevoke...)} and apply the plan like any other; {@link
 * ClusterAccess#planRevoke(Principal...)} removes the whole mapping.
 *
 * <pre>{@code
 * IamRole dev = IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole");
 * prod.plan(
 *         ClusterAccess.revoke(dev).group("acme:oncall"),
 *         ClusterAccess.revoke(dev).binding(ClusterRole.EDIT).inNamespace("prod-apps"),
 *         ClusterAccess.revoke(dev).accessPolicy(AccessPolicy.VIEW).everywhere())
 *     .apply();
 * }</pre>
 *
 * <p>What it does on each layer:
 *
 * <ul>
 *   <li>a group leaves the principal's mapping (aws-auth: the mapping's group list; Access Entries:
 *       {@code UpdateAccessEntry} with the rest), and the bindings eks-access made for the
 *       principal to that group are released, as a revoke releases them;
 *   <li>an access policy is disassociated ({@code everywhere()}, or {@code clusterWide()} when its
 *       scope is the cluster), or its namespace scope narrowed ({@code inNamespace(..)}); a
 *       narrowed scope with no namespace left is disassociated. Narrowing a cluster-wide scope by
 *       namespace is refused: EKS has no "all namespaces but one";
 *   <li>a binding: the principal leaves the record of each RoleBinding or ClusterRoleBinding
 *       eks-access made for it to that role in that scope, and a binding nobody is left on is
 *       deleted. Bindings bind groups, not principals: a binding another principal still holds
 *       stays, and the plan warns that the principal keeps that access through its groups.
 * </ul>
 *
 * <p>Removing the last group or policy leaves the principal mapped with none (it still
 * authenticates, as its username, and RBAC that names the username still applies); the plan warns
 * and names {@code planRevoke} as the way to remove the mapping. Nothing to remove is a warning,
 * not an error. The lockout guards apply as to any plan: removing {@code system:masters} or the
 * cluster-admin policy or binding from the last admin is refused unless forced.
 *
 * @param principal the IAM role or user
 * @param kind what is taken away
 * @param group the group, for {@link Kind#GROUP}; empty otherwise
 * @param target the role or access policy, for {@link Kind#BINDING} and {@link Kind#ACCESS_POLICY};
 *     {@code null} for a group
 * @param scope where: empty for everywhere, {@link Scope#cluster()} for cluster-wide only, or
 *     namespaces
 */
public record PartialRevoke(
    Principal principal,
    Kind kind,
    String group,
    @Nullable Bindable target,
    Optional<Scope> scope) {

  /** What a partial revoke takes away. */
  public enum Kind {
    /** One Kubernetes group of the principal's mapping. */
    GROUP,
    /** The RBAC bindings eks-access made for the principal to one role. */
    BINDING,
    /** One EKS access policy association, or namespaces of its scope (Access Entries only). */
    ACCESS_POLICY
  }

  /** Checks that the fields agree with the kind. */
  public PartialRevoke {
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(scope, "scope");
    boolean agrees =
        switch (kind) {
          case GROUP -> !group.isEmpty() && target == null && scope.isEmpty();
          case BINDING -> group.isEmpty() && target instanceof RoleRef;
          case ACCESS_POLICY -> group.isEmpty() && target instanceof AccessPolicy;
        };
    if (!agrees) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_ARGUMENT,
          "partial revoke of " + principal,
          kind.name(),
          "needs a group (GROUP), a role (BINDING) or an access policy (ACCESS_POLICY), and only"
              + " that; build it with ClusterAccess.revoke(principal).");
    }
  }

  /** The first step: what to take away. */
  public interface WhatStep {
    /**
     * Takes one Kubernetes group out of the principal's mapping.
     *
     * @param group the group, as mapped
     * @return the partial revoke
     * @throws InvalidInputException if the group is not a valid group name
     */
    PartialRevoke group(String group);

    /**
     * Takes away the bindings eks-access made for the principal to this ClusterRole; the next step
     * says where.
     *
     * @param role the ClusterRole
     * @return the scope step
     */
    ScopeStep binding(ClusterRole role);

    /**
     * Takes away the RoleBinding eks-access made for the principal to this Role, in its namespace.
     *
     * @param role the Role
     * @return the partial revoke
     */
    PartialRevoke binding(Role role);

    /**
     * Takes away an EKS access policy, or namespaces of its scope; the next step says which.
     *
     * @param policy the access policy
     * @return the scope step
     */
    ScopeStep accessPolicy(AccessPolicy policy);
  }

  /** The last step: where to take it away. */
  public interface ScopeStep {
    /**
     * Wherever it is: every binding to the role, or the whole policy association.
     *
     * @return the partial revoke
     */
    PartialRevoke everywhere();

    /**
     * The cluster-wide binding (ClusterRoleBinding), or the policy when it is associated cluster
     * wide.
     *
     * @return the partial revoke
     */
    PartialRevoke clusterWide();

    /**
     * One namespace: its RoleBinding, or that namespace of the policy's scope.
     *
     * @param namespace the namespace
     * @return the partial revoke
     * @throws InvalidInputException if the namespace is not a valid name
     */
    PartialRevoke inNamespace(String namespace);

    /**
     * Several namespaces.
     *
     * @param first a namespace
     * @param more further namespaces
     * @return the partial revoke
     * @throws InvalidInputException if a namespace is not a valid name
     */
    PartialRevoke inNamespaces(String first, String... more);
  }

  static WhatStep start(Principal principal) {
    Objects.requireNonNull(principal, "principal");
    return new WhatStep() {
      @Override
      public PartialRevoke group(String group) {
        Objects.requireNonNull(group, "group");
        Problem p = Names.group(group, "revoke(" + principal + ").group");
        if (p != null) {
          throw new InvalidInputException(ErrorCode.INVALID_GROUP, List.of(p));
        }
        return new PartialRevoke(principal, Kind.GROUP, group, null, Optional.empty());
      }

      @Override
      public ScopeStep binding(ClusterRole role) {
        return scopes(principal, Kind.BINDING, Objects.requireNonNull(role, "role"));
      }

      @Override
      public PartialRevoke binding(Role role) {
        Objects.requireNonNull(role, "role");
        return new PartialRevoke(
            principal, Kind.BINDING, "", role, Optional.of(Scope.namespaces(role.namespace())));
      }

      @Override
      public ScopeStep accessPolicy(AccessPolicy policy) {
        return scopes(principal, Kind.ACCESS_POLICY, Objects.requireNonNull(policy, "policy"));
      }
    };
  }

  private static ScopeStep scopes(Principal principal, Kind kind, Bindable target) {
    return new ScopeStep() {
      @Override
      public PartialRevoke everywhere() {
        return new PartialRevoke(principal, kind, "", target, Optional.empty());
      }

      @Override
      public PartialRevoke clusterWide() {
        return new PartialRevoke(principal, kind, "", target, Optional.of(Scope.cluster()));
      }

      @Override
      public PartialRevoke inNamespace(String namespace) {
        return inNamespaces(namespace);
      }

      @Override
      public PartialRevoke inNamespaces(String first, String... more) {
        Objects.requireNonNull(first, "first");
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(List.of(more));
        return new PartialRevoke(principal, kind, "", target, Optional.of(new Scope(all)));
      }
    };
  }

  /** Reads like the chain that built it, for plans and logs. */
  @Override
  public String toString() {
    String what =
        switch (kind) {
          case GROUP -> "group " + group;
          case BINDING -> "binding " + target;
          case ACCESS_POLICY -> "access policy " + Objects.requireNonNull(target);
        };
    String where = kind == Kind.GROUP ? "" : scope.map(s -> " " + s).orElse(" everywhere");
    return "revoke " + what + where + " from " + principal;
  }
}
