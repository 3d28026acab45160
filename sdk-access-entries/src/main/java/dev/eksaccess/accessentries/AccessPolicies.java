package dev.eksaccess.accessentries;

import dev.eksaccess.accessentries.support.EksErrors;
import dev.eksaccess.api.AccessPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.ListAccessPoliciesResponse;

/**
 * The access policies EKS offers. The set grows (new AWS services add theirs), so it is read, not
 * hard-coded; {@link AccessPolicy} has constants only for the well-known five.
 *
 * <pre>{@code
 * List<AccessPolicy> all = AccessPolicies.list(EksClient.create());
 * }</pre>
 */
public final class AccessPolicies {
  private AccessPolicies() {}

  /**
   * Every access policy, all pages of ListAccessPolicies.
   *
   * @param eks the EKS client
   * @return the policies, in EKS's order
   * @throws dev.eksaccess.api.BackendException if EKS refuses or fails
   */
  public static List<AccessPolicy> list(EksClient eks) {
    Objects.requireNonNull(eks, "eks");
    List<AccessPolicy> out = new ArrayList<>();
    String token = null;
    try {
      do {
        String next = token;
        ListAccessPoliciesResponse page =
            eks.listAccessPolicies(b -> b.maxResults(100).nextToken(next));
        page.accessPolicies().forEach(p -> out.add(AccessPolicy.fromArn(p.arn())));
        token = page.nextToken();
      } while (token != null);
    } catch (SdkException e) {
      throw EksErrors.failure("ListAccessPolicies", e);
    }
    return out;
  }
}
