/**
 * What the backends of eks-access share, public for backend implementers ({@link
 * dev.eksaccess.api.support.BackendSupport}): access-entry constraints ({@link
 * dev.eksaccess.api.support.AccessEntryRules}), access policy scopes ({@link
 * dev.eksaccess.api.support.AccessPolicyRules}), Kubernetes and EKS name rules ({@link
 * dev.eksaccess.api.support.Names}, {@link dev.eksaccess.api.support.ReservedNames}), principal
 * matching ({@link dev.eksaccess.api.support.PrincipalKeys}), the names and marks of managed
 * objects ({@link dev.eksaccess.api.support.BindingNames}, {@link
 * dev.eksaccess.api.support.GrantedFor}, {@link dev.eksaccess.api.support.TagValues}), the
 * break-glass mark codec ({@link dev.eksaccess.api.support.BreakGlassAnnotation}), username and
 * group templates ({@link dev.eksaccess.api.support.Templates}) and message text ({@link
 * dev.eksaccess.api.support.Texts}). Applications do not need it.
 */
@NullMarked
@BackendSupport
package dev.eksaccess.api.support;

import org.jspecify.annotations.NullMarked;
