package dev.eksaccess.api.authz;

import dev.eksaccess.api.Request;
import dev.eksaccess.api.spi.PolicyAssociation;
import dev.eksaccess.api.spi.PolicyRule;
import dev.eksaccess.api.spi.RbacBinding;
import dev.eksaccess.api.spi.RbacRole;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link RbacAuthorizer} decided, and why: the binding, role and rule that allowed the request
 * (or {@code system:masters}, or an EKS access policy), or for a denial the nearest misses.
 *
 * <pre>{@code
 * RbacDecision d = rbac.decide(KubernetesUser.of("jane", "acme:devs"),
 *     Request.verb("get").resource("secrets").inNamespace("prod-apps"));
 * if (!d.allowed()) {
 *   d.nearMisses().forEach(System.out::println);
 * }
 * }</pre>
 *
 * @param user who asked
 * @param request what was asked
 * @param allowed the verdict
 * @param binding the binding that allowed it, if RBAC did
 * @param role that binding's role
 * @param rule the rule that matched
 * @param accessPolicy the EKS access policy association that allowed it, if one did
 * @param nearMisses for a denial, the closest things that did not allow it, closest first; the
 *     authorizer works them out when they are first read
 * @param undecidedBy for a request nothing known allowed: an in-scope access policy whose rules the
 *     catalogue does not know, so EKS may allow what this authorizer cannot tell; the verdict is
 *     then undecided, not a denial
 */
public record RbacDecision(
    KubernetesUser user,
    Request request,
    boolean allowed,
    Optional<RbacBinding> binding,
    Optional<RbacRole> role,
    Optional<PolicyRule> rule,
    Optional<PolicyAssociation> accessPolicy,
    List<String> nearMisses,
    Optional<PolicyAssociation> undecidedBy) {
  /** Checks for nulls and copies the list (unless it is the authorizer's, computed when read). */
  public RbacDecision {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(binding, "binding");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(accessPolicy, "accessPolicy");
    Objects.requireNonNull(undecidedBy, "undecidedBy");
    // the authorizer's own lazy list is already unmodifiable; copying it would compute it
    nearMisses = nearMisses instanceof LazyList<String> ? nearMisses : List.copyOf(nearMisses);
  }

  /**
   * A decision with nothing undecided.
   *
   * @param user who asked
   * @param request what was asked
   * @param allowed the verdict
   * @param binding the binding that allowed it, if RBAC did
   * @param role that binding's role
   * @param rule the rule that matched
   * @param accessPolicy the access policy association that allowed it, if one did
   * @param nearMisses for a denial, the closest things that did not allow it
   */
  public RbacDecision(
      KubernetesUser user,
      Request request,
      boolean allowed,
      Optional<RbacBinding> binding,
      Optional<RbacRole> role,
      Optional<PolicyRule> rule,
      Optional<PolicyAssociation> accessPolicy,
      List<String> nearMisses) {
    this(user, request, allowed, binding, role, rule, accessPolicy, nearMisses, Optional.empty());
  }

  /**
   * Whether this authorizer cannot tell: nothing it knows allows the request, and an access policy
   * in scope has rules the catalogue does not know ({@link #undecidedBy()}). Never true when {@link
   * #allowed()} is.
   *
   * <pre>{@code
   * if (d.undecided()) { ... }   // ask the cluster (a SubjectAccessReview), do not assume a denial
   * }</pre>
   *
   * @return whether the verdict is undecided
   */
  public boolean undecided() {
    return !allowed && undecidedBy.isPresent();
  }

  /**
   * What allowed the request, or that nothing did, as one sentence; built on demand, so that a
   * decision costs no text.
   *
   * @return the reason
   */
  public String reason() {
    if (undecided()) {
      return "no RBAC rule allows it, and the rules of access policy "
          + undecidedBy.get().policy().name()
          + " are unknown (AccessPolicyCatalogue "
          + dev.eksaccess.api.AccessPolicyCatalogue.version()
          + "): cannot decide.";
    }
    if (!allowed) {
      return "no RBAC rule"
          + (nearMisses.stream().anyMatch(m -> m.startsWith("access policy"))
              ? " or access policy"
              : "")
          + " allows it.";
    }
    if (binding.isPresent() && role.isPresent() && rule.isPresent()) {
      return binding.get() + " → " + role.get() + " → rule " + rule.get() + " allows it.";
    }
    if (accessPolicy.isPresent() && rule.isPresent()) {
      return "access policy "
          + accessPolicy.get()
          + " → rule "
          + rule.get()
          + " allows it (EKS checks it after RBAC).";
    }
    return "group system:masters: allowed before RBAC is asked.";
  }

  /** The verdict and reason, then one line per near miss. */
  @Override
  public String toString() {
    StringBuilder s =
        new StringBuilder(allowed ? "ALLOWED: " : undecided() ? "UNDECIDED: " : "DENIED: ")
            .append(request)
            .append(" for ")
            .append(user)
            .append("\n  ")
            .append(reason())
            .append('\n');
    for (String miss : nearMisses) {
      s.append("  - ").append(miss).append('\n');
    }
    return s.toString();
  }
}
