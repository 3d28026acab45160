/**
 * The offline authorizer: decides exactly as kube-apiserver's RBAC authorizer does, then as EKS's
 * access-policy authorizer, over a {@link dev.eksaccess.api.spi.RbacSnapshot}, with no cluster and
 * no Kubernetes client. {@link dev.eksaccess.api.authz.RbacAuthorizer} answers decisions, who-can
 * and access matrices from one index built per snapshot; the engine behind it is this package's
 * own.
 *
 * <pre>{@code
 * RbacAuthorizer rbac = RbacAuthorizer.of(Rbac.fromYaml(Path.of("rbac-dump.yaml")));
 * RbacDecision d = rbac.decide(KubernetesUser.of("jane", "acme:devs"),
 *     Request.verb("delete").resource("pods").inNamespace("prod-apps"));
 * System.out.println(d);   // DENIED ... with the nearest misses
 * }</pre>
 */
@NullMarked
package dev.eksaccess.api.authz;

import org.jspecify.annotations.NullMarked;
