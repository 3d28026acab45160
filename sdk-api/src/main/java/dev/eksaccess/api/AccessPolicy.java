package dev.eksaccess.api;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An AWS-managed EKS access policy, associated with an access entry (Access Entries backend only).
 * The set is open: AWS adds policies over time, so any name works, and constants name the common
 * ones.
 *
 * <pre>{@code
 * ClusterAccess.grant(role).asGroup("acme:devs").bind(AccessPolicy.VIEW).inNamespace("prod-apps");
 * AccessPolicy.named("AmazonEKSAutoNodePolicy").arn("aws");
 * // arn:aws:eks::aws:cluster-access-policy/AmazonEKSAutoNodePolicy
 * }</pre>
 *
 * @param name the policy name, such as {@code AmazonEKSViewPolicy}
 */
public record AccessPolicy(String name) implements Bindable {
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9]{0,127}");

  /** {@code AmazonEKSClusterAdminPolicy}: everything, like the {@code cluster-admin} role. */
  public static final AccessPolicy CLUSTER_ADMIN = new AccessPolicy("AmazonEKSClusterAdminPolicy");

  /** {@code AmazonEKSAdminPolicy}: like the {@code admin} ClusterRole. */
  public static final AccessPolicy ADMIN = new AccessPolicy("AmazonEKSAdminPolicy");

  /** {@code AmazonEKSEditPolicy}: like the {@code edit} ClusterRole. */
  public static final AccessPolicy EDIT = new AccessPolicy("AmazonEKSEditPolicy");

  /** {@code AmazonEKSViewPolicy}: like the {@code view} ClusterRole, no Secrets. */
  public static final AccessPolicy VIEW = new AccessPolicy("AmazonEKSViewPolicy");

  /** {@code AmazonEKSAdminViewPolicy}: read everything, Secrets included. */
  public static final AccessPolicy ADMIN_VIEW = new AccessPolicy("AmazonEKSAdminViewPolicy");

  /**
   * Checks the name.
   *
   * @throws InvalidInputException ({@link ErrorCode#INVALID_NAME}) if it cannot be a policy name
   */
  public AccessPolicy {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_NAME,
          "accessPolicy",
          name,
          "is not an access policy name such as AmazonEKSViewPolicy; give the name only, or use"
              + " AccessPolicy.fromArn(..) for an ARN.");
    }
  }

  /**
   * An access policy by name.
   *
   * @param name the name, such as {@code AmazonEKSAutoNodePolicy}
   * @return the policy
   * @throws InvalidInputException if the name cannot be a policy name
   */
  public static AccessPolicy named(String name) {
    return new AccessPolicy(name);
  }

  /**
   * An access policy from its ARN.
   *
   * <pre>{@code
   * AccessPolicy.fromArn("arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy");
   * }</pre>
   *
   * @param arn the policy ARN
   * @return the policy
   * @throws InvalidInputException if {@code arn} is not an EKS cluster access policy ARN
   */
  public static AccessPolicy fromArn(String arn) {
    Arn parsed = Arn.parse(arn, "accessPolicy");
    if (!parsed.service().equals("eks")
        || !parsed.accountId().equals("aws")
        || !parsed.resourceType().equals("cluster-access-policy")) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_ARN,
          "accessPolicy",
          arn,
          "is not an EKS access policy ARN (arn:PARTITION:eks::aws:cluster-access-policy/NAME).");
    }
    return new AccessPolicy(parsed.resourceName());
  }

  /**
   * The policy's ARN in a partition.
   *
   * @param partition the cluster's partition, such as {@code aws} or {@code aws-cn}
   * @return {@code arn:PARTITION:eks::aws:cluster-access-policy/NAME}
   */
  public String arn(String partition) {
    return Arn.parse("arn:" + partition + ":eks::aws:cluster-access-policy/" + name, "partition")
        .value();
  }

  @Override
  public String toString() {
    return "AccessPolicy " + name;
  }
}
