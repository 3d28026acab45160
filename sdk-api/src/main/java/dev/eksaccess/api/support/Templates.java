package dev.eksaccess.api.support;

import dev.eksaccess.api.Caller;

/**
 * Renders the username and group templates EKS expands per session. Placeholders whose value is not
 * known offline ({@code {{AccessKeyID}}}, {@code {{EC2PrivateDNSName}}}) and unknown ones stay
 * verbatim, as EKS leaves unknown ones.
 */
@BackendSupport
public final class Templates {
  private Templates() {}

  /** The rendered text for this caller. */
  public static String render(String template, Caller caller) {
    String session = caller.sessionName().orElse("");
    return template
        .replace("{{AccountID}}", caller.accountId())
        .replace("{{SessionName}}", session.replace('@', '-'))
        .replace("{{SessionNameRaw}}", session);
  }

  /** Whether rendering left a placeholder that only the live cluster knows. */
  public static boolean hasUnresolved(String rendered) {
    return rendered.contains("{{");
  }
}
