package dev.eksaccess.api.authz;

import dev.eksaccess.api.spi.PolicyRule;
import dev.eksaccess.api.spi.RbacBinding;
import dev.eksaccess.api.spi.RbacRole;
import dev.eksaccess.api.spi.RbacSubject;
import java.util.Objects;
import java.util.Optional;

/**
 * A subject that may make a request, and by what: an answer of {@link
 * RbacAuthorizer#whoCan(dev.eksaccess.api.Request)}.
 *
 * <pre>{@code
 * rbac.whoCan(Request.verb("delete").resource("pods").inNamespace("prod-apps"))
 *     .forEach(s -> System.out.println(s.subject() + " via " + s.binding().map(b -> b.name())));
 * }</pre>
 *
 * @param subject the user, group or ServiceAccount
 * @param binding the binding that names it; empty for {@code system:masters}, which bypasses RBAC
 * @param role the binding's role
 * @param rule the rule that allows the request
 */
public record AllowedSubject(
    RbacSubject subject,
    Optional<RbacBinding> binding,
    Optional<RbacRole> role,
    Optional<PolicyRule> rule) {
  /** Checks for nulls. */
  public AllowedSubject {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(binding, "binding");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(rule, "rule");
  }

  @Override
  public String toString() {
    return subject
        + binding
            .map(b -> " via " + b + role.map(r -> " → " + r).orElse(""))
            .orElse(" (system:masters bypasses RBAC)");
  }
}
