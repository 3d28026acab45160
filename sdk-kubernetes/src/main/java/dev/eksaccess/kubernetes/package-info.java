/**
 * Kubernetes clients for EKS clusters, shared by the aws-auth and RBAC backends.
 *
 * <pre>{@code
 * ApiClient k8s = EksClusters.forCluster(eks, "prod", DefaultCredentialsProvider.create());
 * }</pre>
 */
@NullMarked
package dev.eksaccess.kubernetes;

import org.jspecify.annotations.NullMarked;
