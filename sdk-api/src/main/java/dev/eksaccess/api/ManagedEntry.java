package dev.eksaccess.api;

import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.PolicyAssociation;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Recognises the access entries (and aws-auth mappings) that EKS and AWS services create for
 * themselves: node roles of every type, the EKS Auto Mode node and cluster roles, EKS capability
 * roles, service-linked roles and, when the caller names it, the cluster creator's entry. Audit
 * marks them, plans refuse to remove or change them unless forced with {@link
 * Guard#AWS_MANAGED_ENTRY}, and the aws-auth migration skips them.
 *
 * <pre>{@code
 * ManagedEntry.kindOf(mapping);                 // Optional[NODE] for an EC2_LINUX entry
 * ManagedEntry.kindOf(mapping, creatorRole);    // Optional[CLUSTER_CREATOR] for its entry
 * }</pre>
 */
public final class ManagedEntry {
  private ManagedEntry() {}

  /** What made the entry, as far as its fields tell. */
  public enum Kind {
    /**
     * A node role: entry type {@code EC2_LINUX}, {@code EC2_WINDOWS}, {@code FARGATE_LINUX}, {@code
     * HYBRID_LINUX} or {@code HYPERPOD_LINUX}, or an aws-auth mapping to {@code system:nodes} with
     * a {@code system:node:} username (EKS writes those for managed node groups and Fargate).
     */
    NODE,
    /**
     * The EKS Auto Mode node role: entry type {@code EC2}, or an entry holding {@code
     * AmazonEKSAutoNodePolicy}.
     */
    AUTO_MODE_NODE,
    /**
     * The cluster IAM role EKS Auto Mode gives its own access: an entry holding one of the Auto
     * Mode cluster policies ({@code AmazonEKSComputePolicy}, {@code AmazonEKSBlockStoragePolicy},
     * …).
     */
    AUTO_MODE_CLUSTER_ROLE,
    /** An EKS capability role (Argo CD, ACK, kro): an entry holding a capability's policy. */
    CAPABILITY,
    /**
     * An AWS service-linked role: path {@code /aws-service-role/} or a name {@code
     * AWSServiceRoleFor...}.
     */
    SERVICE_LINKED_ROLE,
    /**
     * The entry EKS made for the identity that created the cluster. Its fields do not say so (it is
     * a standard entry with {@code AmazonEKSClusterAdminPolicy}), so it is recognised only when the
     * caller names the creator.
     */
    CLUSTER_CREATOR
  }

  private static final Set<String> NODE_TYPES =
      Set.of("EC2_LINUX", "EC2_WINDOWS", "FARGATE_LINUX", "HYBRID_LINUX", "HYPERPOD_LINUX");

  private static final Set<String> AUTO_MODE_CLUSTER_POLICIES =
      Set.of(
          "AmazonEKSBlockStoragePolicy",
          "AmazonEKSComputePolicy",
          "AmazonEKSLoadBalancingPolicy",
          "AmazonEKSNetworkingPolicy",
          "AmazonEKSBlockStorageClusterPolicy",
          "AmazonEKSComputeClusterPolicy",
          "AmazonEKSLoadBalancingClusterPolicy",
          "AmazonEKSNetworkingClusterPolicy");

  private static final Set<String> CAPABILITY_POLICIES =
      Set.of(
          "AmazonEKSArgoCDPolicy",
          "AmazonEKSArgoCDClusterPolicy",
          "AmazonEKSACKPolicy",
          "AmazonEKSKROPolicy");

  /**
   * What made this entry, if EKS or an AWS service did.
   *
   * @param mapping the entry or aws-auth mapping
   * @return its kind, or empty for an entry people made
   */
  public static Optional<Kind> kindOf(IdentityMapping mapping) {
    return kindOf(mapping, null);
  }

  /**
   * What made this entry, if EKS or an AWS service did, knowing who created the cluster.
   *
   * @param mapping the entry or aws-auth mapping
   * @param clusterCreator the principal that created the cluster, or null if not known
   * @return its kind, or empty for an entry people made
   */
  public static Optional<Kind> kindOf(IdentityMapping mapping, @Nullable Principal clusterCreator) {
    Objects.requireNonNull(mapping, "mapping");
    Optional<String> type = mapping.entryType();
    if (type.filter(NODE_TYPES::contains).isPresent()) {
      return Optional.of(Kind.NODE);
    }
    if (type.filter("EC2"::equals).isPresent()
        || holds(mapping, Set.of("AmazonEKSAutoNodePolicy"))) {
      return Optional.of(Kind.AUTO_MODE_NODE);
    }
    if (mapping.principal() instanceof IamRole role
        && (role.isServiceLinked() || role.name().startsWith("AWSServiceRoleFor"))) {
      return Optional.of(Kind.SERVICE_LINKED_ROLE);
    }
    if (holds(mapping, CAPABILITY_POLICIES)) {
      return Optional.of(Kind.CAPABILITY);
    }
    if (holds(mapping, AUTO_MODE_CLUSTER_POLICIES)) {
      return Optional.of(Kind.AUTO_MODE_CLUSTER_ROLE);
    }
    if (mapping.groups().contains("system:nodes")
        && mapping.username().filter(u -> u.startsWith("system:node:")).isPresent()) {
      return Optional.of(Kind.NODE);
    }
    if (clusterCreator != null
        && mapping.principal().arn().value().equalsIgnoreCase(clusterCreator.arn().value())) {
      return Optional.of(Kind.CLUSTER_CREATOR);
    }
    return Optional.empty();
  }

  private static boolean holds(IdentityMapping mapping, Set<String> policies) {
    for (PolicyAssociation a : mapping.policies()) {
      if (policies.contains(a.policy().name())) {
        return true;
      }
    }
    return false;
  }
}
