package dev.eksaccess.api;

/**
 * What a grant can bind a subject to: a Kubernetes role ({@link ClusterRole}, {@link Role}) or an
 * EKS {@link AccessPolicy}.
 *
 * <pre>{@code
 * Bindable b = AccessPolicy.VIEW;
 * }</pre>
 */
public sealed interface Bindable
    permits RoleRef, AccessPolicy, ClusterRoleDefinition, RoleDefinition {}
