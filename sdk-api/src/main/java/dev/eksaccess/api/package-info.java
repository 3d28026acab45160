/**
 * The eks-access API: who may do what in an Amazon EKS cluster, as typed, immutable values.
 *
 * <p>Start at {@link dev.eksaccess.api.ClusterAccess}:
 *
 * <pre>{@code
 * Grant devs = ClusterAccess.grant(IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole"))
 *     .asGroup("acme:devs")
 *     .bind(ClusterRole.VIEW).inNamespace("prod-apps");
 * Plan plan = prod.plan(devs);   // nothing changed yet
 * plan.apply();
 * }</pre>
 */
@NullMarked
package dev.eksaccess.api;

import org.jspecify.annotations.NullMarked;
