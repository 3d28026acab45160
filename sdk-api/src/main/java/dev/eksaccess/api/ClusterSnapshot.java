package dev.eksaccess.api;

import dev.eksaccess.api.authz.RbacAuthorizer;
import dev.eksaccess.api.internal.DeadAccess;
import dev.eksaccess.api.internal.EscalationPowers;
import dev.eksaccess.api.internal.EscalationPowers.Power;
import dev.eksaccess.api.internal.Explainer;
import dev.eksaccess.api.internal.PlanDraft;
import dev.eksaccess.api.internal.Planner;
import dev.eksaccess.api.spi.Capability;
import dev.eksaccess.api.spi.IamDirectory;
import dev.eksaccess.api.spi.IdentityBackend;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.IdentitySnapshot;
import dev.eksaccess.api.spi.PolicyAssociation;
import dev.eksaccess.api.spi.PolicyRule;
import dev.eksaccess.api.spi.PrincipalMatching;
import dev.eksaccess.api.spi.RbacBinding;
import dev.eksaccess.api.spi.RbacRole;
import dev.eksaccess.api.spi.RbacSnapshot;
import dev.eksaccess.api.spi.RbacSubject;
import dev.eksaccess.api.support.AccessEntryRules;
import dev.eksaccess.api.support.AccessPolicyRules;
import dev.eksaccess.api.support.PrincipalKeys;
import dev.eksaccess.api.support.ReservedNames;
import dev.eksaccess.api.support.Templates;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Both layers of one cluster as read at one moment, for asking many questions without reading
 * again: a platform service that explains many callers, or a tool that audits and then asks who can
 * do what, reads once (on Access Entries, every entry: thousands of calls on a large cluster) and
 * keeps the answers consistent with each other. The RBAC index is built once. The snapshot does not
 * change; {@link #age()} says how old it is, so the caller decides when to read again.
 *
 * <pre>{@code
 * ClusterSnapshot now = prod.snapshot();
 * for (Caller c : callers) {
 *   System.out.println(now.explain(c, Request.verb("get").resource("pods").inNamespace("apps")));
 * }
 * System.out.println(now.audit());
 * System.out.println(now);   // ClusterSnapshot[prod, access-entries: 2000 mappings, …, read 4s ago]
 * }</pre>
 */
public final class ClusterSnapshot {
  private final String clusterName;
  private final IdentityBackend identities;
  private final IdentitySnapshot ids;
  private final @Nullable IdentityBackend configMap;
  private final @Nullable IdentitySnapshot configMapNow;
  private final @Nullable RbacSnapshot rbac;
  private final @Nullable RbacAuthorizer authorizer;
  private final @Nullable Principal applier;
  private final Clock clock;
  private final Instant readAt;
  private final @Nullable Set<String> namespaces;
  private final @Nullable IamDirectory iam;

  ClusterSnapshot(
      String clusterName,
      IdentityBackend identities,
      IdentitySnapshot ids,
      @Nullable IdentityBackend configMap,
      @Nullable IdentitySnapshot configMapNow,
      @Nullable RbacSnapshot rbac,
      @Nullable Principal applier,
      Clock clock,
      Instant readAt,
      @Nullable Set<String> namespaces,
      @Nullable IamDirectory iam) {
    this.namespaces = namespaces == null ? null : Set.copyOf(namespaces);
    this.iam = iam;
    this.clusterName = clusterName;
    this.identities = identities;
    this.ids = ids;
    this.configMap = configMap;
    this.configMapNow = configMapNow;
    this.rbac = rbac;
    this.authorizer = rbac == null ? null : RbacAuthorizer.of(rbac); // once, for every question
    this.applier = applier;
    this.clock = clock;
    this.readAt = readAt;
  }

  /**
   * When both layers were read.
   *
   * @return the instant, by the {@link ClusterAccess}'s clock
   */
  public Instant readAt() {
    return readAt;
  }

  /**
   * How long ago both layers were read.
   *
   * @return the age, by the {@link ClusterAccess}'s clock
   */
  public Duration age() {
    return Duration.between(readAt, clock.instant());
  }

  /**
   * The identity mappings read.
   *
   * @return the mappings, in the backend's order
   */
  public List<IdentityMapping> mappings() {
    return ids.mappings();
  }

  /**
   * The RBAC bindings read.
   *
   * @return the bindings; empty without an RBAC backend
   */
  public List<RbacBinding> bindings() {
    RbacSnapshot r = rbac;
    return r == null ? List.of() : r.bindings();
  }

  /**
   * Explains whether {@code caller} may make {@code request}, as {@link ClusterAccess#explain}
   * does, from this snapshot.
   *
   * @param caller the IAM caller
   * @param request the Kubernetes request
   * @return the decision with its chain of steps
   */
  public Decision explain(Caller caller, Request request) {
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(request, "request");
    Decision primary = Explainer.explain(input(caller, request, ids, identities), authorizer);
    IdentityBackend cm = configMap;
    IdentitySnapshot cmNow = configMapNow;
    Optional<Principal> who = caller.principal();
    if (cm == null || cmNow == null || who.isEmpty()) {
      return primary;
    }
    String key = PrincipalKeys.iamPrincipal(who.get());
    boolean entry =
        ids.mappings().stream()
            .anyMatch(m -> PrincipalKeys.iamPrincipal(m.principal()).equals(key));
    if (entry) {
      // EKS: in API_AND_CONFIG_MAP an access entry for the principal wins over aws-auth
      boolean alsoInConfigMap =
          cmNow.mappings().stream()
              .anyMatch(m -> PrincipalKeys.iamPrincipal(m.principal()).equals(key));
      return alsoInConfigMap
          ? withStep(
              primary,
              1,
              Decision.Reason.ACCESS_ENTRY_TAKES_PRECEDENCE,
              cm.name()
                  + " maps "
                  + who.get()
                  + " too; the access entry takes precedence, and EKS ignores that mapping.")
          : primary;
    }
    Decision viaConfigMap = Explainer.explain(input(caller, request, cmNow, cm), authorizer);
    return withStep(
        viaConfigMap,
        1,
        Decision.Reason.NOTE,
        identities.name()
            + " has no entry for "
            + who.get()
            + "; in authentication mode API_AND_CONFIG_MAP EKS then reads "
            + cm.name()
            + ".");
  }

  /**
   * Names the IAM principals that may make {@code request}, as {@link ClusterAccess#whoCan} does,
   * from this snapshot. Each principal is explained once against its own mapping (the one EKS uses
   * of duplicates), not against every mapping. Principals eks-access cannot decide for (an access
   * policy with unknown rules, or no RBAC backend) are not listed here but by {@link
   * #whoCanUndecided(Request)}.
   *
   * @param request the Kubernetes request
   * @return the principals allowed, in mapping order, each with the decision that allows it
   */
  public List<AllowedPrincipal> whoCan(Request request) {
    Objects.requireNonNull(request, "request");
    requireComplete("whoCan");
    List<AllowedPrincipal> out = new ArrayList<>();
    for (Decided d : decideEach(request)) {
      if (d.decision().allowed()) {
        out.add(new AllowedPrincipal(d.principal(), d.decision()));
      }
    }
    return out;
  }

  /**
   * Names the IAM principals for which eks-access cannot decide whether they may make {@code
   * request}: an access policy in scope has rules the catalogue does not know ({@link
   * Decision.Reason#ACCESS_POLICY_RULES_UNKNOWN}), or no RBAC backend was given. {@link
   * #whoCan(Request)} lists only the principals that are allowed, so together they never silently
   * omit a principal that may be allowed.
   *
   * <pre>{@code
   * Request r = Request.verb("get").resource("secrets").inNamespace("argocd");
   * snapshot.whoCanUndecided(r).forEach(System.out::println); // each principal and why
   * }</pre>
   *
   * @param request the Kubernetes request
   * @return the principals, in mapping order, each with its undecided decision
   */
  public List<UndecidedPrincipal> whoCanUndecided(Request request) {
    Objects.requireNonNull(request, "request");
    requireComplete("whoCanUndecided");
    List<UndecidedPrincipal> out = new ArrayList<>();
    for (Decided d : decideEach(request)) {
      if (d.decision().verdict() == Decision.Verdict.UNDECIDED) {
        out.add(new UndecidedPrincipal(d.principal(), d.decision()));
      }
    }
    return out;
  }

  private record Decided(Principal principal, Decision decision) {}

  private List<Decided> decideEach(Request request) {
    PrincipalMatching matching = identities.principalMatching();
    // the mapping in force per principal: the last of duplicates, at the place of the first
    Map<String, IdentityMapping> inForce = new LinkedHashMap<>();
    for (IdentityMapping m : ids.mappings()) {
      String k = PrincipalKeys.of(m.principal(), matching);
      inForce.remove(k);
      inForce.put(k, m);
    }
    Set<String> seen = new HashSet<>();
    List<Decided> out = new ArrayList<>();
    for (IdentityMapping first : ids.mappings()) {
      String k = PrincipalKeys.of(first.principal(), matching);
      if (!seen.add(k)) {
        continue;
      }
      IdentityMapping m = Objects.requireNonNull(inForce.get(k));
      Principal p = m.principal();
      Caller session =
          p instanceof IamRole role
              ? Caller.of(
                  "arn:"
                      + role.arn().partition()
                      + ":sts::"
                      + role.accountId()
                      + ":assumed-role/"
                      + role.name()
                      + "/eks-access-who-can")
              : Caller.of(p.arn().value());
      // the one mapping, so resolving the session costs no scan of every other mapping
      IdentitySnapshot one =
          new IdentitySnapshot(ids.version(), List.of(m), ids.accounts(), ids.sources());
      out.add(
          new Decided(p, Explainer.explain(input(session, request, one, identities), authorizer)));
    }
    return out;
  }

  /**
   * Every mapped principal with its username, groups, EKS access policies and the RBAC bindings
   * that name it, as {@link ClusterAccess#audit()} gives it, from this snapshot. With an {@link
   * ClusterAccess.Builder#iam IAM directory}, IAM is asked now (one {@code GetRole} per distinct
   * role), since IAM is not part of what the snapshot read.
   *
   * @return the audit, without drift
   */
  public Audit audit() {
    return auditOf(null);
  }

  /**
   * The audit and its drift from {@code desired}, as {@link ClusterAccess#audit(Collection)} gives
   * it, from this snapshot.
   *
   * @param desired the grants the cluster should hold
   * @return the audit with its drift
   */
  public Audit audit(Collection<Grant> desired) {
    return auditOf(Objects.requireNonNull(desired, "desired"));
  }

  private Audit auditOf(@Nullable Collection<Grant> desired) {
    requireComplete("audit");
    boolean canonical = identities.principalMatching() == PrincipalMatching.CANONICAL_ARN;
    List<Audit.Row> rows = new ArrayList<>();
    Map<String, List<Integer>> bindingsByName = bindingsByName();
    List<RbacBinding> all = bindings();
    for (IdentityMapping m : ids.mappings()) {
      String username =
          m.username()
              .orElse(
                  canonical
                      ? "(none: the empty username)"
                      : "(" + AccessEntryRules.defaultUsername(m.principal()) + ")");
      java.util.TreeSet<Integer> at = new java.util.TreeSet<>();
      at.addAll(bindingsByName.getOrDefault("user:" + m.username().orElse(""), List.of()));
      for (String g : m.groups()) {
        at.addAll(bindingsByName.getOrDefault("group:" + g, List.of()));
      }
      List<String> bound = new ArrayList<>();
      at.forEach(i -> bound.add(all.get(i) + " → " + all.get(i).roleRef()));
      rows.add(
          new Audit.Row(
              m.principal().arn().value(),
              username,
              m.groups(),
              m.policies().stream().map(Object::toString).toList(),
              bound,
              ManagedEntry.kindOf(m)));
    }
    for (String account : ids.accounts()) {
      rows.add(
          new Audit.Row(
              "account " + account, "(the caller's ARN)", List.of(), List.of(), List.of()));
    }
    List<Audit.Drift> drift = new ArrayList<>();
    if (desired != null) {
      PlanDraft draft =
          Planner.plan(
              new Planner.Input(
                  List.copyOf(desired),
                  List.of(),
                  ids,
                  rbac,
                  identities.capabilities(),
                  identities.principalMatching(),
                  identities.name(),
                  applier,
                  List.of(),
                  null,
                  Optional.empty()));
      for (Change c : draft.changes()) {
        drift.add(
            new Audit.Drift(
                c.action() == Change.Action.CREATE
                    ? Audit.Drift.Kind.MISSING
                    : Audit.Drift.Kind.CHANGED,
                c.object(),
                c.details().isEmpty()
                    ? c.action().name().toLowerCase(Locale.ROOT)
                    : String.join("; ", c.details())));
      }
      Set<String> named = new HashSet<>();
      desired.forEach(
          g -> named.add(PrincipalKeys.of(g.principal(), identities.principalMatching())));
      for (IdentityMapping m : ids.mappings()) {
        boolean node = m.groups().contains("system:nodes") || ManagedEntry.kindOf(m).isPresent();
        // break-glass is temporary by design and listed on its own; a reconciler that revokes
        // EXTRA drift must not end an incident's access
        if (!node
            && m.breakGlass().isEmpty()
            && !named.contains(PrincipalKeys.of(m.principal(), identities.principalMatching()))) {
          drift.add(
              new Audit.Drift(
                  Audit.Drift.Kind.EXTRA,
                  "mapping " + m.principal(),
                  "no desired grant names it; revoke it if it should not be there"));
        }
      }
    }
    return new Audit(
        clusterName,
        identities.name(),
        rows,
        drift,
        desired != null,
        breakGlass(),
        findings(bindingsByName));
  }

  private List<Audit.Finding> findings(Map<String, List<Integer>> bindingsByName) {
    List<Audit.Finding> out = new ArrayList<>(dangling(bindingsByName));
    out.addAll(canGrantThemselvesMore());
    out.addAll(unknownPolicyRules());
    out.addAll(scopesNamingMissingNamespaces());
    IamDirectory directory = iam;
    if (directory != null) {
      out.addAll(
          DeadAccess.check(ids, identities.principalMatching(), identities.name(), directory)
              .findings());
    }
    return out;
  }

  /**
   * Principals that hold a power over access itself ({@link EscalationPowers}): through a binding
   * whose role holds it where the binding applies, through {@code system:masters}, or through an
   * access policy. One pass over the bindings and the mappings; a binding reaches the mappings that
   * give its user or one of its groups ({@code system:authenticated}: every mapping).
   */
  private List<Audit.Finding> canGrantThemselvesMore() {
    Map<String, List<IdentityMapping>> byName = new LinkedHashMap<>();
    for (IdentityMapping m : ids.mappings()) {
      m.username().ifPresent(u -> byName.computeIfAbsent("u:" + u, k -> new ArrayList<>()).add(m));
      for (String g : m.groups()) {
        byName.computeIfAbsent("g:" + g, k -> new ArrayList<>()).add(m);
      }
    }
    Map<Principal, Map<Power, Set<String>>> held = new LinkedHashMap<>();
    RbacAuthorizer a = authorizer;
    RbacSnapshot r = rbac;
    if (a != null && r != null) {
      for (RbacBinding b : r.bindings()) {
        Optional<RbacRole> role = a.roleOf(b);
        if (role.isEmpty()) {
          continue;
        }
        String where = b.isClusterRoleBinding() ? "" : b.namespace();
        Set<Power> powers = EscalationPowers.held(role.get().rules(), where);
        if (powers.isEmpty()) {
          continue;
        }
        String via =
            (b.isClusterRoleBinding() ? "ClusterRoleBinding " : "RoleBinding " + where + "/")
                + b.name();
        for (RbacSubject s : b.subjects()) {
          List<IdentityMapping> reached =
              s.kind() == RbacSubject.Kind.GROUP && s.name().equals("system:authenticated")
                  ? ids.mappings()
                  : byName.getOrDefault(
                      (s.kind() == RbacSubject.Kind.USER ? "u:" : "g:") + s.name(), List.of());
          reached.forEach(m -> hold(held, m, powers, via));
        }
      }
    }
    for (IdentityMapping m : ids.mappings()) {
      if (m.groups().contains("system:masters")) {
        hold(held, m, EnumSet.allOf(Power.class), "system:masters");
      }
      for (PolicyAssociation p : m.policies()) {
        Optional<List<PolicyRule>> rules = AccessPolicyRules.of(p.policy());
        if (rules.isEmpty()) {
          continue;
        }
        List<String> wheres = p.scope().isClusterWide() ? List.of("") : p.scope().namespaces();
        for (String where : wheres) {
          hold(
              held,
              m,
              EscalationPowers.held(rules.get(), EscalationPowers.probedNamespace(where)),
              "access policy " + p.policy().name());
        }
      }
    }
    List<Audit.Finding> out = new ArrayList<>();
    held.forEach(
        (principal, powers) -> {
          StringBuilder d = new StringBuilder("can grant itself more: ");
          List<String> parts = new ArrayList<>();
          powers.forEach((power, vias) -> parts.add(power + " (" + String.join(", ", vias) + ")"));
          d.append(String.join("; ", parts))
              .append(
                  ". Whoever holds these can give itself, or anyone, more access than it was"
                      + " granted; keep them to the few who administer access.");
          out.add(
              new Audit.Finding(
                  Audit.Finding.Code.CAN_GRANT_ITSELF_MORE,
                  "mapping " + principal.arn().value(),
                  d.toString()));
        });
    return out;
  }

  private static void hold(
      Map<Principal, Map<Power, Set<String>>> held,
      IdentityMapping m,
      Set<Power> powers,
      String via) {
    for (Power power : powers) {
      held.computeIfAbsent(m.principal(), k -> new EnumMap<>(Power.class))
          .computeIfAbsent(power, k -> new TreeSet<>())
          .add(via);
    }
  }

  /** Associations of policies whose rules the catalogue does not know: explain cannot decide. */
  private List<Audit.Finding> unknownPolicyRules() {
    List<Audit.Finding> out = new ArrayList<>();
    for (IdentityMapping m : ids.mappings()) {
      for (dev.eksaccess.api.spi.PolicyAssociation a : m.policies()) {
        if (AccessPolicyCatalogue.rulesOf(a.policy()).isEmpty()) {
          out.add(
              new Audit.Finding(
                  Audit.Finding.Code.ACCESS_POLICY_RULES_UNKNOWN,
                  "access entry " + m.principal().arn().value(),
                  "access policy "
                      + a
                      + ": rules unknown ("
                      + (AccessPolicyCatalogue.contains(a.policy())
                          ? "AWS publishes none"
                          : "not in the catalogue")
                      + ", catalogue "
                      + AccessPolicyCatalogue.version()
                      + "), so explain and who-can answer UNDECIDED where it is in scope;"
                      + " check what it allows with `kubectl auth can-i --list` as the principal."));
        }
      }
    }
    return out;
  }

  /**
   * Access-policy scopes that name a namespace the cluster does not have; a {@code prefix*}
   * wildcard counts as missing only when no namespace matches it. Nothing when the RBAC backend
   * cannot list namespaces.
   */
  private List<Audit.Finding> scopesNamingMissingNamespaces() {
    List<Audit.Finding> out = new ArrayList<>();
    Set<String> have = namespaces;
    if (have == null) {
      return out;
    }
    for (IdentityMapping m : ids.mappings()) {
      for (PolicyAssociation p : m.policies()) {
        for (String ns : p.scope().namespaces()) {
          boolean wildcard = ns.endsWith("*");
          String prefix = wildcard ? ns.substring(0, ns.length() - 1) : ns;
          boolean found =
              wildcard ? have.stream().anyMatch(n -> n.startsWith(prefix)) : have.contains(ns);
          if (!found) {
            out.add(
                new Audit.Finding(
                    Audit.Finding.Code.POLICY_SCOPE_MISSING_NAMESPACE,
                    "mapping " + m.principal(),
                    "associates "
                        + p.policy().name()
                        + (wildcard
                            ? " in namespaces " + ns + ", which matches no namespace"
                            : " in namespace " + ns + ", which does not exist")
                        + ": it grants nothing there now, and grants it to whoever creates such a"
                        + " namespace later (EKS does not check scopes). Fix the scope, or create"
                        + " the namespace if it is meant."));
          }
        }
      }
    }
    return out;
  }

  private static final Set<String> DEFAULT_CLUSTER_ROLES =
      Set.of("cluster-admin", "admin", "edit", "view");

  private static boolean isReserved(String name) {
    return ReservedNames.PREFIXES.stream().anyMatch(name::startsWith);
  }

  /**
   * Access that points at nothing: a mapped group no binding names, a binding whose group or user
   * no mapping gives, a binding whose role does not exist. Reads only this snapshot.
   */
  private List<Audit.Finding> dangling(Map<String, List<Integer>> bindingsByName) {
    List<Audit.Finding> out = new ArrayList<>();
    if (rbac == null) {
      return out;
    }
    Set<String> mappedGroups = new HashSet<>();
    List<String> templates = new ArrayList<>();
    for (IdentityMapping m : ids.mappings()) {
      m.username().ifPresent(templates::add);
      for (String g : m.groups()) {
        mappedGroups.add(g);
        if (!isReserved(g)
            && !Templates.hasUnresolved(g)
            && !bindingsByName.containsKey("group:" + g)) {
          out.add(
              new Audit.Finding(
                  Audit.Finding.Code.GROUP_BOUND_TO_NOTHING,
                  "mapping " + m.principal(),
                  "gives the group "
                      + g
                      + ", which no RoleBinding or ClusterRoleBinding names, so it grants"
                      + " nothing"
                      + (m.policies().isEmpty() ? "" : " beyond the access policies")
                      + ". Bind it, or remove it from the mapping."));
        }
      }
    }
    Set<String> roles = new HashSet<>();
    rbac.roles().forEach(r -> roles.add(r.namespace() + "/" + r.name() + "/" + r.isClusterRole()));
    for (RbacBinding b : rbac.bindings()) {
      RoleRef ref = b.roleRef();
      boolean clusterRole = ref instanceof ClusterRole;
      String key = (clusterRole ? "" : b.namespace()) + "/" + ref.name() + "/" + clusterRole;
      // Kubernetes makes its default and system ClusterRoles itself; a snapshot read from
      // manifests often leaves them out, and a binding to one is never dangling
      boolean builtIn =
          clusterRole && (DEFAULT_CLUSTER_ROLES.contains(ref.name()) || isReserved(ref.name()));
      if (!roles.contains(key) && !builtIn) {
        out.add(
            new Audit.Finding(
                Audit.Finding.Code.BINDING_TO_MISSING_ROLE,
                b.toString(),
                "refers to "
                    + ref
                    + ", which does not exist, so it grants nothing. Create the role, or fix"
                    + " the binding's roleRef (it cannot be edited: delete and recreate it)."));
      }
      for (RbacSubject s : b.subjects()) {
        if (s.kind() == RbacSubject.Kind.SERVICE_ACCOUNT || isReserved(s.name())) {
          continue; // Kubernetes and EKS give these themselves
        }
        boolean group = s.kind() == RbacSubject.Kind.GROUP;
        if (!group && s.name().startsWith("arn:")) {
          continue; // an ARN is the username EKS gives by default (access entries, mapAccounts)
        }
        boolean given =
            group
                ? mappedGroups.contains(s.name())
                    || mappedGroups.stream().anyMatch(Templates::hasUnresolved)
                : templates.contains(s.name())
                    || templates.stream().anyMatch(Templates::hasUnresolved);
        if (!given) {
          out.add(
              new Audit.Finding(
                  Audit.Finding.Code.BINDING_TO_UNMAPPED_SUBJECT,
                  b.toString(),
                  "names "
                      + s
                      + ", which no IAM mapping gives: dead, unless another authenticator"
                      + " (OIDC, certificates) gives it. Map it, or remove the subject."));
        }
      }
    }
    return out;
  }

  /**
   * The positions of the bindings by the subjects they name ({@code group:x}, {@code user:x}, a
   * ServiceAccount as its user name): built once, so an audit costs one pass over the bindings, not
   * one per mapping, and lists each mapping's bindings in their order.
   */
  private Map<String, List<Integer>> bindingsByName() {
    Map<String, List<Integer>> out = new LinkedHashMap<>();
    List<RbacBinding> all = bindings();
    for (int i = 0; i < all.size(); i++) {
      RbacBinding b = all.get(i);
      for (var s : b.subjects()) {
        String key =
            switch (s.kind()) {
              case GROUP -> "group:" + s.name();
              case USER -> "user:" + s.name();
              case SERVICE_ACCOUNT ->
                  "user:system:serviceaccount:"
                      + (s.namespace().isEmpty() ? b.namespace() : s.namespace())
                      + ":"
                      + s.name();
            };
        out.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
      }
    }
    return out;
  }

  /** The break-glass grants in this snapshot, with the time each had left when it was read. */
  List<BreakGlass.Active> breakGlass() {
    List<BreakGlass.Active> out = new ArrayList<>();
    Instant now = clock.instant();
    for (IdentityMapping m : ids.mappings()) {
      m.breakGlass()
          .ifPresent(b -> out.add(new BreakGlass.Active(m.principal(), b, b.remaining(now))));
    }
    return out;
  }

  private void requireComplete(String question) {
    if (!ids.complete()) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_ARGUMENT,
          question,
          null,
          "needs every mapping, and this snapshot was read for one caller; take a whole one with"
              + " ClusterAccess.snapshot().");
    }
  }

  private Explainer.Input input(
      Caller caller, Request request, IdentitySnapshot snapshot, IdentityBackend backend) {
    Set<Capability> caps = backend.capabilities();
    return new Explainer.Input(
        caller, request, snapshot, backend.principalMatching(), caps, backend.name(), rbac);
  }

  private static Decision withStep(Decision d, int at, Decision.Reason reason, String text) {
    List<Decision.Step> steps = new ArrayList<>(d.steps());
    steps.add(Math.min(at, steps.size()), new Decision.Step(Decision.Layer.IDENTITY, reason, text));
    return new Decision(d.caller(), d.request(), d.verdict(), steps);
  }

  @Override
  public String toString() {
    return "ClusterSnapshot["
        + clusterName
        + ", "
        + identities.name()
        + ": "
        + ids.mappings().size()
        + " mappings"
        + (rbac == null ? "" : ", " + bindings().size() + " bindings")
        + ", read at "
        + readAt
        + ", "
        + age().toSeconds()
        + "s ago]";
  }
}
