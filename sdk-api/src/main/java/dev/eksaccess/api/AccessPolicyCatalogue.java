package dev.eksaccess.api;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The AWS-managed EKS access policies eks-access knows by name, as of {@link #asOf()}: the fallback
 * when a cluster's region cannot be asked ({@code ListAccessPolicies} denied or unavailable), and
 * the source of "did you mean" for a misspelled policy. AWS adds policies over time, so the live
 * list always wins; a name missing here is not wrong, only unknown.
 *
 * <pre>{@code
 * AccessPolicyCatalogue.contains(AccessPolicy.VIEW);          // true
 * AccessPolicyCatalogue.nearest("AmazonEKSViewPolicyy");      // Optional[AmazonEKSViewPolicy]
 * }</pre>
 */
public final class AccessPolicyCatalogue {
  private static final Set<String> NAMES =
      Set.copyOf(
          List.of(
              "AmazonEKSClusterAdminPolicy",
              "AmazonEKSAdminPolicy",
              "AmazonEKSEditPolicy",
              "AmazonEKSViewPolicy",
              "AmazonEKSAdminViewPolicy",
              "AmazonEKSAutoNodePolicy",
              "AmazonEKSBlockStoragePolicy",
              "AmazonEKSComputePolicy",
              "AmazonEKSLoadBalancingPolicy",
              "AmazonEKSNetworkingPolicy",
              "AmazonEKSBlockStorageClusterPolicy",
              "AmazonEKSComputeClusterPolicy",
              "AmazonEKSLoadBalancingClusterPolicy",
              "AmazonEKSNetworkingClusterPolicy",
              "AmazonEKSHybridPolicy",
              "AmazonEMRJobPolicy",
              "AmazonSagemakerHyperpodClusterPolicy",
              "AmazonSagemakerHyperpodControllerPolicy",
              "AmazonSagemakerHyperpodSystemNamespacePolicy",
              "AmazonSagemakerHyperpodSpacePolicy",
              "AmazonSagemakerHyperpodSpaceTemplatePolicy",
              "AmazonSagemakerHyperpodUserClusterPolicy",
              "AmazonSagemakerHyperpodInferenceMonitoringPolicy",
              "AmazonARCRegionSwitchScalingPolicy",
              "AmazonAIOpsAssistantPolicy",
              "AmazonEKSACKPolicy",
              "AmazonEKSArgoCDClusterPolicy",
              "AmazonEKSArgoCDPolicy",
              "AmazonEKSKROPolicy",
              "AmazonEKSEventPolicy",
              "AmazonEKSPodIdentityPolicy",
              "AmazonEKSSecretAdminPolicy",
              "AmazonEKSSecretReaderPolicy",
              "AIDevOpsAgentAccessPolicy"));

  private AccessPolicyCatalogue() {}

  /**
   * When the list was last checked against AWS's documentation and {@code ListAccessPolicies}
   * output.
   *
   * @return the date
   */
  public static LocalDate asOf() {
    return LocalDate.of(2026, 12, 7);
  }

  /**
   * Every policy in the catalogue, by name.
   *
   * @return the policies, sorted by name
   */
  public static Set<AccessPolicy> all() {
    Set<AccessPolicy> out = new java.util.LinkedHashSet<>();
    new TreeSet<>(NAMES).forEach(n -> out.add(AccessPolicy.named(n)));
    return java.util.Collections.unmodifiableSet(out);
  }

  /**
   * Whether the catalogue names this policy.
   *
   * @param policy the policy
   * @return true if known
   */
  public static boolean contains(AccessPolicy policy) {
    return NAMES.contains(policy.name());
  }

  /**
   * The known policy whose name is closest to {@code name} (ignoring case), if it is close enough
   * to be a typo of it: at most two edits, or three for long names.
   *
   * @param name a policy name that may be misspelled
   * @return the likely intended policy
   */
  public static Optional<AccessPolicy> nearest(String name) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String n : new TreeSet<>(NAMES)) {
      int d = dev.eksaccess.api.support.Texts.editDistance(n, name);
      if (d < bestDistance) {
        best = n;
        bestDistance = d;
      }
    }
    int limit = name.length() > 20 ? 3 : 2;
    return best == null || bestDistance == 0 || bestDistance > limit
        ? Optional.empty()
        : Optional.of(AccessPolicy.named(best));
  }
}
