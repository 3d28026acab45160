/**
 * Kubernetes RBAC for eks-access: an offline authorizer that decides exactly as kube-apiserver
 * does, from a snapshot read from YAML manifests or a live cluster.
 *
 * <pre>{@code
 * RbacAuthorizer rbac = RbacAuthorizer.of(RbacSnapshot.fromYaml(Path.of("rbac-dump.yaml")));
 * RbacDecision d = rbac.decide(KubernetesUser.of("jane", "acme:devs"),
 *     Request.verb("delete").resource("pods").inNamespace("prod-apps"));
 * System.out.println(d);   // DENIED ... with the nearest misses
 * }</pre>
 */
@NullMarked
package dev.eksaccess.rbac;

import org.jspecify.annotations.NullMarked;
