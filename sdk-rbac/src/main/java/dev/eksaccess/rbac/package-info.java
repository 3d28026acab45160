/**
 * Kubernetes RBAC for eks-access over the official Kubernetes client: the RBAC backend ({@link
 * dev.eksaccess.rbac.Rbac#backend}, server-side apply of owned bindings) and reading RBAC objects
 * from manifests or a live cluster into a {@link dev.eksaccess.api.spi.RbacSnapshot} for the
 * offline authorizer in {@code dev.eksaccess.api.authz}.
 *
 * <pre>{@code
 * RbacAuthorizer rbac = RbacAuthorizer.of(Rbac.fromYaml(Path.of("rbac-dump.yaml")));
 * RbacAuthorizer live = RbacAuthorizer.of(Rbac.read(apiClient));
 * }</pre>
 */
@NullMarked
package dev.eksaccess.rbac;

import org.jspecify.annotations.NullMarked;
