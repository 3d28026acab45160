package dev.eksaccess.api.internal;

import dev.eksaccess.api.AccessPolicy;
import dev.eksaccess.api.AccessPolicyCatalogue;
import dev.eksaccess.api.Caller;
import dev.eksaccess.api.ClusterRole;
import dev.eksaccess.api.Decision;
import dev.eksaccess.api.Decision.Layer;
import dev.eksaccess.api.Decision.Reason;
import dev.eksaccess.api.Decision.Step;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.IamUser;
import dev.eksaccess.api.Principal;
import dev.eksaccess.api.Request;
import dev.eksaccess.api.SsoPermissionSet;
import dev.eksaccess.api.authz.KubernetesUser;
import dev.eksaccess.api.authz.RbacAuthorizer;
import dev.eksaccess.api.authz.RbacDecision;
import dev.eksaccess.api.spi.Capability;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.IdentitySnapshot;
import dev.eksaccess.api.spi.PolicyAssociation;
import dev.eksaccess.api.spi.PolicyRule;
import dev.eksaccess.api.spi.PrincipalMatching;
import dev.eksaccess.api.spi.RbacSnapshot;
import dev.eksaccess.api.support.AccessEntryRules;
import dev.eksaccess.api.support.AccessPolicyRules;
import dev.eksaccess.api.support.PrincipalKeys;
import dev.eksaccess.api.support.Templates;
import dev.eksaccess.api.support.Texts;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Walks caller → principal → mapping → username and groups → RBAC and access policies. */
public final class Explainer {
  private Explainer() {}

  /** Everything the explainer needs, already read. */
  public record Input(
      Caller caller,
      Request request,
      IdentitySnapshot identity,
      PrincipalMatching matching,
      Set<Capability> capabilities,
      String identityBackend,
      @Nullable RbacSnapshot rbac) {}

  /** The decision, with every step that led to it. */
  public static Decision explain(Input in) {
    @Nullable RbacSnapshot rbac = in.rbac();
    return explain(in, rbac == null ? null : RbacAuthorizer.of(rbac));
  }

  /**
   * The decision, with an authorizer of {@code in.rbac()} built once for many explanations.
   *
   * @param in what to explain
   * @param rbac the authorizer of {@code in.rbac()}, or null without RBAC
   * @return the decision
   */
  public static Decision explain(Input in, @Nullable RbacAuthorizer rbac) {
    Caller caller = in.caller();
    List<Step> steps = new ArrayList<>();
    steps.add(new Step(Layer.CALLER, Reason.CALLER, describeCaller(caller)));

    Optional<IdentityMapping> mapping = resolve(in);
    String username;
    List<String> groups = new ArrayList<>();
    if (mapping.isPresent()) {
      IdentityMapping m = mapping.get();
      // aws-auth gives a mapping without username the empty username; EKS names an access entry's.
      String template =
          m.username()
              .orElse(
                  in.matching() == PrincipalMatching.CANONICAL_ARN
                      ? ""
                      : AccessEntryRules.defaultUsername(m.principal()));
      username = Templates.render(template, caller);
      m.groups().forEach(g -> groups.add(Templates.render(g, caller)));
      steps.add(
          new Step(
              Layer.IDENTITY,
              Reason.MAPPED,
              in.identityBackend()
                  + in.identity().sourceOf(m).map(at -> " " + at).orElse("")
                  + " maps "
                  + m.principal()
                  + " → user \""
                  + username
                  + "\""
                  + (m.username().isEmpty() ? " (no username set: the backend's default)" : "")
                  + ", groups "
                  + m.groups()
                  + (in.matching() == PrincipalMatching.IAM_PRINCIPAL
                          && m.principal() instanceof IamRole entryRole
                          && !entryRole.path().equals("/")
                      ? " (matched by account and role name: the session reports no path, the"
                          + " entry names the role with its path "
                          + entryRole.path()
                          + ")"
                      : "")));
    } else if (in.capabilities().contains(Capability.ACCOUNT_MAPPINGS)
        && in.identity().accounts().contains(caller.accountId())) {
      username = caller.canonicalArn().value();
      steps.add(
          new Step(
              Layer.IDENTITY,
              Reason.MAPPED_BY_ACCOUNT,
              in.identityBackend()
                  + " maps every principal of account "
                  + caller.accountId()
                  + " (mapAccounts) → user \""
                  + username
                  + "\", no groups"));
    } else {
      List<String> lines = new ArrayList<>();
      lines.add(
          "no "
              + in.identityBackend()
              + " mapping for "
              + caller.principal().map(Principal::toString).orElse(caller.canonicalArn().value())
              + ": AWS authenticates the caller, but the cluster does not know it (layer 1).");
      for (String skipped : in.identity().unreadable()) {
        lines.add(
            "the cluster skips part of "
                + in.identityBackend()
                + " as unreadable, which may be why: "
                + skipped);
      }
      lines.addAll(nearMisses(in));
      lines.addAll(mappedInAccount(in));
      lines.add(
          "Check who the caller really is with `aws sts get-caller-identity` (with the same"
              + " profile or role the failing command used): its Arn is what EKS looks up.");
      lines.add(
          "Fix: ClusterAccess.grant("
              + caller
                  .principal()
                  .map(
                      p ->
                          p instanceof IamRole
                              ? "IamRole.of(\"" + p + "\")"
                              : "IamUser.of(\"" + p + "\")")
                  .orElse("...")
              + ")... and apply the plan.");
      steps.add(new Step(Layer.IDENTITY, Reason.NOT_MAPPED, String.join("\n", lines)));
      return new Decision(caller, in.request(), false, steps);
    }
    groups.add("system:authenticated");
    if (Templates.hasUnresolved(username)) {
      steps.add(
          new Step(
              Layer.IDENTITY,
              Reason.UNRESOLVED_PLACEHOLDER,
              "username \""
                  + username
                  + "\" holds a placeholder only the live cluster can fill;"
                  + " RBAC subjects naming the user are compared with the text as shown."));
    }

    if (groups.contains(Planner.SYSTEM_MASTERS)) {
      steps.add(
          new Step(
              Layer.RBAC,
              Reason.SYSTEM_MASTERS,
              "group system:masters: kube-apiserver allows every request before RBAC is asked."));
      return new Decision(caller, in.request(), true, steps);
    }

    // exactly the groups the mapping gives: system:authenticated is among them when it applies
    @Nullable RbacDecision byRbac =
        rbac == null
            ? null
            : rbac.decide(new KubernetesUser(username, groups, false), in.request());
    if (byRbac != null && byRbac.allowed()) {
      steps.add(
          new Step(
              Layer.RBAC,
              Reason.RBAC_ALLOWS,
              byRbac.binding().orElseThrow()
                  + " → "
                  + byRbac.role().orElseThrow()
                  + " → rule "
                  + byRbac.rule().orElseThrow()
                  + ": allows "
                  + in.request()));
      return new Decision(caller, in.request(), true, steps);
    }

    List<String> policyMisses = new ArrayList<>();
    List<PolicyAssociation> unknownRules = new ArrayList<>();
    if (mapping.isPresent() && in.capabilities().contains(Capability.ACCESS_POLICIES)) {
      for (PolicyAssociation a : mapping.get().policies()) {
        if (!a.scope().covers(in.request().namespace())
            || (in.request().isNonResource() && !a.scope().isClusterWide())) {
          policyMisses.add(
              a.policy().name()
                  + " is scoped "
                  + a.scope()
                  + (in.request().namespace().isEmpty()
                      ? "; a cluster-scoped request needs a cluster-wide association."
                      : "; the request is in namespace " + in.request().namespace() + "."));
          continue;
        }
        Optional<List<PolicyRule>> rules = ManagedPolicies.rules(a.policy());
        if (rules.isEmpty()) {
          unknownRules.add(a);
          continue;
        }
        Optional<PolicyRule> allowing =
            rules.get().stream().filter(r -> r.allows(in.request())).findFirst();
        if (allowing.isPresent()) {
          steps.add(
              new Step(
                  Layer.ACCESS_POLICY,
                  Reason.ACCESS_POLICY_ALLOWS,
                  "access policy "
                      + a
                      + " ("
                      + ManagedPolicies.modelledOn(a.policy())
                      + ") → rule "
                      + allowing.get()
                      + ": allows "
                      + in.request()));
          return new Decision(caller, in.request(), true, steps);
        }
        policyMisses.add("access policy " + a + ": no rule allows " + in.request() + ".");
      }
    }

    if (byRbac == null) {
      steps.add(
          new Step(
              Layer.RBAC,
              Reason.NO_RBAC,
              "cannot decide: RBAC decides what user \""
                  + username
                  + "\", groups "
                  + groups
                  + " may do, and no RBAC backend was given. Add .rbac(..) to the"
                  + " ClusterAccess builder (or explain against an RBAC snapshot)."));
      if (!policyMisses.isEmpty()) {
        steps.add(
            new Step(
                Layer.ACCESS_POLICY, Reason.ACCESS_POLICY_DENIES, String.join("\n", policyMisses)));
      }
      if (!unknownRules.isEmpty()) {
        steps.add(rulesUnknown(unknownRules, in.request()));
      }
      return new Decision(caller, in.request(), Decision.Verdict.UNDECIDED, steps);
    } else {
      List<String> misses = byRbac.nearMisses();
      steps.add(
          new Step(
              Layer.RBAC,
              Reason.RBAC_DENIES,
              "nothing allows "
                  + in.request()
                  + " for user \""
                  + username
                  + "\", groups "
                  + groups
                  + ":\n- "
                  + String.join("\n- ", misses)));
    }
    if (!policyMisses.isEmpty()) {
      steps.add(
          new Step(
              Layer.ACCESS_POLICY, Reason.ACCESS_POLICY_DENIES, String.join("\n", policyMisses)));
    }
    if (!unknownRules.isEmpty()) {
      // A policy whose rules are unknown may allow the request: saying "denied" would be a guess.
      steps.add(rulesUnknown(unknownRules, in.request()));
      return new Decision(caller, in.request(), Decision.Verdict.UNDECIDED, steps);
    }
    return new Decision(caller, in.request(), false, steps);
  }

  private static Step rulesUnknown(List<PolicyAssociation> unknown, Request request) {
    List<String> lines = new ArrayList<>();
    for (PolicyAssociation a : unknown) {
      lines.add(
          "access policy "
              + a
              + ": rules unknown, cannot decide whether it allows "
              + request
              + ". "
              + (AccessPolicyCatalogue.contains(a.policy())
                  ? "AWS publishes no rules for it"
                  : "The catalogue does not know it (a policy newer than the catalogue, or one"
                      + " only the live ListAccessPolicies lists)")
              + " (catalogue "
              + AccessPolicyCatalogue.version()
              + "); check with `kubectl auth can-i` as the caller.");
    }
    return new Step(
        Layer.ACCESS_POLICY, Reason.ACCESS_POLICY_RULES_UNKNOWN, String.join("\n", lines));
  }

  private static String describeCaller(Caller caller) {
    return switch (caller.kind()) {
      case ASSUMED_ROLE ->
          caller
              + ": STS session \""
              + caller.sessionName().orElse("")
              + "\" of role "
              + caller.role().map(IamRole::toString).orElse("")
              + " (STS never reports a role's path)"
              + SsoPermissionSet.of(caller)
                  .map(
                      p ->
                          "; an IAM Identity Center sign-in: permission set \""
                              + p.name()
                              + "\", user \""
                              + caller.sessionName().orElse("")
                              + "\" (the role lives under "
                              + SsoPermissionSet.PATH
                              + ", which Access Entries must name and aws-auth must not)")
                  .orElse("");
      case ROLE -> "IAM role " + caller;
      case USER -> "IAM user " + caller;
      case ROOT -> "account root " + caller + ": only mapUsers or mapAccounts can map it";
      case FEDERATED_USER -> "federated-user session " + caller + ": no mapping can name it";
    };
  }

  /** The mapping in force for the caller, by the backend's matching rule. */
  static Optional<IdentityMapping> resolve(Explainer.Input in) {
    Caller caller = in.caller();
    List<IdentityMapping> mappings = in.identity().mappings();
    Optional<IdentityMapping> found = Optional.empty();
    if (in.matching() == PrincipalMatching.CANONICAL_ARN) {
      String canonical = caller.canonicalArn().value();
      // Role mappings win over user mappings; among duplicates the last one is in force.
      for (IdentityMapping m : mappings) {
        if (m.principal() instanceof IamRole
            && m.principal().arn().value().equalsIgnoreCase(canonical)) {
          found = Optional.of(m);
        }
      }
      if (found.isEmpty()) {
        for (IdentityMapping m : mappings) {
          if (m.principal() instanceof IamUser
              && m.principal().arn().value().equalsIgnoreCase(canonical)) {
            found = Optional.of(m);
          }
        }
      }
      return found;
    }
    Optional<Principal> principal = caller.principal();
    if (principal.isEmpty()) {
      return found;
    }
    // the same key the planner uses, so plan and explain agree on who an entry is
    String wanted = PrincipalKeys.iamPrincipal(principal.get());
    for (IdentityMapping m : mappings) {
      if (PrincipalKeys.iamPrincipal(m.principal()).equals(wanted)) {
        found = Optional.of(m);
      }
    }
    return found;
  }

  /** Which principals of the caller's account are mapped: the caller may be using another. */
  private static List<String> mappedInAccount(Explainer.Input in) {
    String account = in.caller().accountId();
    if (!in.identity().complete()) {
      return List.of(
          "to see which principals are mapped, read the whole cluster once: snapshot().audit().");
    }
    List<String> names =
        in.identity().mappings().stream()
            .map(IdentityMapping::principal)
            .filter(p -> p.accountId().equals(account))
            .map(Principal::toString)
            .toList();
    if (names.isEmpty()) {
      return List.of(in.identityBackend() + " maps no role or user of account " + account + ".");
    }
    int shown = Math.min(names.size(), 5);
    return List.of(
        in.identityBackend()
            + " maps "
            + names.size()
            + " principal"
            + (names.size() == 1 ? "" : "s")
            + " of account "
            + account
            + ": "
            + String.join(", ", names.subList(0, shown))
            + (names.size() > shown ? ", and " + (names.size() - shown) + " more" : "")
            + ".");
  }

  private static List<String> nearMisses(Explainer.Input in) {
    List<String> out = new ArrayList<>();
    Optional<Principal> principal = in.caller().principal();
    if (principal.isEmpty()) {
      return out;
    }
    Principal p = principal.get();
    for (IdentityMapping m : in.identity().mappings()) {
      Principal q = m.principal();
      if (q.getClass() == p.getClass()
          && q.accountId().equals(p.accountId())
          && !q.name().equalsIgnoreCase(p.name())
          && !Texts.differOnlyInDigits(q.name(), p.name())
          && Texts.editDistance(q.name(), p.name()) <= 2) {
        out.add(
            "near miss: "
                + q
                + " is mapped, a name "
                + Texts.editDistance(q.name(), p.name())
                + " letter(s) away from the caller's "
                + p.name()
                + "; EKS compares names exactly. Map the caller's own ARN, or use that role.");
        continue;
      }
      if (!q.name().equalsIgnoreCase(p.name()) || q.getClass() != p.getClass()) {
        continue;
      }
      if (!q.accountId().equals(p.accountId())) {
        out.add(
            "near miss: "
                + q
                + " has the same name but is in account "
                + q.accountId()
                + "; the caller is in "
                + p.accountId()
                + ".");
      } else if (q instanceof IamRole role && !role.path().equals("/")) {
        out.add(
            "near miss: the mapping for "
                + q
                + " names the role with its path "
                + role.path()
                + "; aws-auth compares ARNs as text and STS never reports the path, so it never"
                + " matches. Write "
                + role.withoutPath()
                + " instead.");
      }
    }
    return out;
  }

  /** What is known offline of the EKS managed access policies. */
  static final class ManagedPolicies {
    private ManagedPolicies() {}

    static Optional<List<PolicyRule>> rules(AccessPolicy policy) {
      return AccessPolicyRules.of(policy);
    }

    static String modelledOn(AccessPolicy policy) {
      return clusterRoleFor(policy)
          .map(r -> "EKS's published rules, like ClusterRole " + r.name())
          .orElse("EKS's published rules");
    }

    private static Optional<ClusterRole> clusterRoleFor(AccessPolicy policy) {
      if (policy.equals(AccessPolicy.ADMIN)) {
        return Optional.of(ClusterRole.ADMIN);
      }
      if (policy.equals(AccessPolicy.EDIT)) {
        return Optional.of(ClusterRole.EDIT);
      }
      if (policy.equals(AccessPolicy.VIEW)) {
        return Optional.of(ClusterRole.VIEW);
      }
      return Optional.empty();
    }
  }
}
