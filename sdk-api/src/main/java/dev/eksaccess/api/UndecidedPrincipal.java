package dev.eksaccess.api;

import java.util.Objects;

/**
 * An IAM principal for which eks-access cannot decide whether it may make a request, with the
 * decision that says why: one answer of {@link ClusterAccess#whoCanUndecided(Request)}. Typically
 * an access policy whose rules AWS does not publish is in scope ({@link
 * Decision.Reason#ACCESS_POLICY_RULES_UNKNOWN}); it may allow the request, so it is neither listed
 * as allowed nor silently left out.
 *
 * <pre>{@code
 * prod.whoCanUndecided(Request.verb("get").resource("secrets").inNamespace("argocd"))
 *     .forEach(System.out::println); // each principal, and what cannot be decided
 * }</pre>
 *
 * @param principal the IAM role or user
 * @param decision the explanation of a session of it making the request; always undecided
 */
public record UndecidedPrincipal(Principal principal, Decision decision) {
  /**
   * Checks the values.
   *
   * @throws InvalidInputException ({@link ErrorCode#INVALID_ARGUMENT}) if the decision is not
   *     {@link Decision.Verdict#UNDECIDED}
   */
  public UndecidedPrincipal {
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(decision, "decision");
    if (decision.verdict() != Decision.Verdict.UNDECIDED) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_ARGUMENT,
          "decision",
          decision.verdict().name(),
          "is decided for "
              + principal
              + "; only undecided decisions list it here (allowed ones are in whoCan).");
    }
  }

  /** The principal and the last step of its decision, which says what cannot be decided. */
  @Override
  public String toString() {
    return principal + ": " + decision.steps().get(decision.steps().size() - 1).text();
  }
}
