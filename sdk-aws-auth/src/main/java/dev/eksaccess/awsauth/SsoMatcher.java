package dev.eksaccess.awsauth;

import java.util.Objects;
import java.util.Optional;

/**
 * An {@code sso:} entry of {@code mapRoles}: IAM Identity Center roles of a permission set, matched
 * by pattern instead of by ARN. aws-iam-authenticator honours it only behind its {@code
 * SSORoleMatch} feature gate, which is off by default, so eks-access keeps and reports such entries
 * but does not resolve callers through them.
 *
 * <pre>{@code
 * doc.roleMappings().get(0).sso();   // Optional[SsoMatcher[permissionSetName=Admin, ...]]
 * }</pre>
 *
 * @param permissionSetName the permission set name
 * @param accountId the account
 * @param partition the partition, if written
 */
public record SsoMatcher(String permissionSetName, String accountId, Optional<String> partition) {
  /** Checks for nulls. */
  public SsoMatcher {
    Objects.requireNonNull(permissionSetName, "permissionSetName");
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(partition, "partition");
  }
}
