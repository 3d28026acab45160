package dev.eksaccess.api;

import dev.eksaccess.api.support.JsonText;
import java.util.List;
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

  /**
   * Who-can's answer as JSON for tools, version 1 ({@code "schema": "eks-access/who-can/v1"}): the
   * request and, for each principal, its ARN and the decision that allows it (in {@link
   * Decision#toJson()}'s form).
   *
   * <pre>{@code
   * Request read = Request.verb("get").resource("secrets").inNamespace("prod-apps");
   * String json = AllowedPrincipal.toJson(read, prod.whoCan(read));
   * }</pre>
   *
   * @param request what was asked
   * @param answers what {@link ClusterAccess#whoCan(Request)} gave
   * @return a JSON object
   */
  public static String toJson(Request request, List<AllowedPrincipal> answers) {
    Objects.requireNonNull(request, "request");
    return JsonText.object(
        json -> {
          json.writeStringField("schema", "eks-access/who-can/v1");
          json.writeStringField("request", request.toString());
          json.writeArrayFieldStart("principals");
          for (AllowedPrincipal a : answers) {
            json.writeStartObject();
            json.writeStringField("principal", a.principal().arn().value());
            json.writeObjectFieldStart("decision");
            a.decision().writeFields(json);
            json.writeEndObject();
            json.writeEndObject();
          }
          json.writeEndArray();
        });
  }

  /** The principal and the last step of its decision, which names what allows it. */
  @Override
  public String toString() {
    return principal + ": " + decision.steps().get(decision.steps().size() - 1).text();
  }
}
