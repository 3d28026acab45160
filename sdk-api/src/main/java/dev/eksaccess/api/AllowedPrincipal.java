package dev.eksaccess.api;

import java.util.Objects;

/**
 * An IAM principal that may make a request, with the decision that allows it: one answer of {@link
 * ClusterAccess#whoCan(Request)}.
 *
 * <pre>{@code
 * prod.whoCan(Request.verb("get").resource("secrets").inNamespace("prod-apps"))
 *     .forEach(System.out::println); // each principal, and the binding or policy that allows it
 * }</pre>
 *
 * @param principal the IAM role or user
 * @param decision the explanation of a session of it making the request; always allowed
 */
public record AllowedPrincipal(Principal principal, Decision decision) {
  /**
   * Checks the values.
   *
   * @throws InvalidInputException if the decision is a denial
   */
  public AllowedPrincipal {
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(decision, "decision");
    if (!decision.allowed()) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_ARGUMENT,
          "decision",
          decision.verdict().name(),
          principal
              + " is not allowed "
              + decision.request()
              + "; only allowed decisions list it.");
    }
  }

  /** The principal and the last step of its decision, which names what allows it. */
  @Override
  public String toString() {
    return principal + ": " + decision.steps().get(decision.steps().size() - 1).text();
  }
}
