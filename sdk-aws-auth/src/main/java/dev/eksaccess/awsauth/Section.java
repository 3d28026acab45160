package dev.eksaccess.awsauth;

/**
 * The three data keys of aws-auth that EKS reads. Keys are case-sensitive: {@code maproles} is
 * ignored by EKS.
 *
 * <pre>{@code
 * Section.MAP_ROLES.key();   // "mapRoles"
 * }</pre>
 */
public enum Section {
  /** {@code mapRoles}: IAM roles (and, in practice, anything whose ARN is listed there). */
  MAP_ROLES("mapRoles"),
  /** {@code mapUsers}: IAM users. */
  MAP_USERS("mapUsers"),
  /** {@code mapAccounts}: whole accounts, mapped to their callers' canonical ARNs. */
  MAP_ACCOUNTS("mapAccounts");

  private final String key;

  Section(String key) {
    this.key = key;
  }

  /**
   * The ConfigMap data key.
   *
   * @return the key, such as {@code mapRoles}
   */
  public String key() {
    return key;
  }

  @Override
  public String toString() {
    return key;
  }
}
