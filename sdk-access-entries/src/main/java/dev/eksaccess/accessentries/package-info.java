/**
 * The EKS Access Entries backend: {@link dev.eksaccess.accessentries.AccessEntries#backend} over
 * the AWS SDK's {@code EksClient}, and {@link dev.eksaccess.accessentries.AccessPolicies}.
 *
 * <pre>{@code
 * AccessEntriesBackend ids = AccessEntries.backend(EksClient.create(), "prod");
 * ClusterAccess prod = ClusterAccess.builder().clusterName("prod").identities(ids).rbac(rbac).build();
 * }</pre>
 */
@NullMarked
package dev.eksaccess.accessentries;

import org.jspecify.annotations.NullMarked;
