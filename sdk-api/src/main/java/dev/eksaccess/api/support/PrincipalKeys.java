package dev.eksaccess.api.support;

import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.Principal;
import dev.eksaccess.api.spi.PrincipalMatching;
import java.util.Locale;

/** Which mappings are the same principal's, as each backend decides it. */
@BackendSupport
public final class PrincipalKeys {
  private PrincipalKeys() {}

  /**
   * The key two mappings share when they are the same principal's: aws-auth keys ARNs as text
   * ignoring case, and a role is written there without its path (STS never reports it), so a role
   * given with or without its path is the same key; EKS keys an access entry by the IAM principal,
   * whose name is unique (ignoring case) in its account whatever its path.
   *
   * @param p the principal
   * @param matching how the backend matches principals
   * @return the key
   */
  public static String of(Principal p, PrincipalMatching matching) {
    return matching == PrincipalMatching.IAM_PRINCIPAL
        ? iamPrincipal(p)
        : (p instanceof IamRole role ? role.withoutPath() : p)
            .arn()
            .value()
            .toLowerCase(Locale.ROOT);
  }

  /**
   * EKS's identity of a principal: kind, partition, account and name, whatever the path or case.
   *
   * @param p the principal
   * @return the key
   */
  public static String iamPrincipal(Principal p) {
    return (p instanceof IamRole ? "role:" : "user:")
        + p.arn().partition()
        + ":"
        + p.accountId()
        + ":"
        + p.name().toLowerCase(Locale.ROOT);
  }
}
