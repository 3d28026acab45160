package dev.eksaccess.awsauth;

import java.util.Objects;
import java.util.Optional;

/**
 * Values for the templates that the caller ARN alone does not give: the access key that signed the
 * token ({@code {{AccessKeyID}}}) and the node's private DNS name ({@code {{EC2PrivateDNSName}}},
 * which EKS looks up in EC2). A template whose value is not given stays verbatim.
 *
 * <pre>{@code
 * doc.resolve(node, TemplateContext.empty().withEc2PrivateDnsName("ip-10-0-1-7.ec2.internal"));
 * }</pre>
 *
 * @param accessKeyId the access key id, if known
 * @param ec2PrivateDnsName the instance's private DNS name, if known
 */
public record TemplateContext(Optional<String> accessKeyId, Optional<String> ec2PrivateDnsName) {
  private static final TemplateContext EMPTY =
      new TemplateContext(Optional.empty(), Optional.empty());

  /** Checks for nulls. */
  public TemplateContext {
    Objects.requireNonNull(accessKeyId, "accessKeyId");
    Objects.requireNonNull(ec2PrivateDnsName, "ec2PrivateDnsName");
  }

  /**
   * No extra values.
   *
   * @return the empty context
   */
  public static TemplateContext empty() {
    return EMPTY;
  }

  /**
   * A copy with the access key id.
   *
   * @param accessKeyId the key id
   * @return the copy
   */
  public TemplateContext withAccessKeyId(String accessKeyId) {
    return new TemplateContext(Optional.of(accessKeyId), ec2PrivateDnsName);
  }

  /**
   * A copy with the instance's private DNS name.
   *
   * @param dnsName the DNS name
   * @return the copy
   */
  public TemplateContext withEc2PrivateDnsName(String dnsName) {
    return new TemplateContext(accessKeyId, Optional.of(dnsName));
  }
}
