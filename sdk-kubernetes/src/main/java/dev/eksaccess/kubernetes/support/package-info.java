/**
 * What the Kubernetes-facing backends share, public for backend implementers ({@link
 * dev.eksaccess.api.support.BackendSupport}): translating API-server errors into eks-access
 * exceptions ({@link dev.eksaccess.kubernetes.support.KubeErrors}), reading manifests ({@link
 * dev.eksaccess.kubernetes.support.Manifests}) and the limits every YAML reader applies ({@link
 * dev.eksaccess.kubernetes.support.YamlLimits}). Applications do not need it.
 */
@NullMarked
@BackendSupport
package dev.eksaccess.kubernetes.support;

import dev.eksaccess.api.support.BackendSupport;
import org.jspecify.annotations.NullMarked;
