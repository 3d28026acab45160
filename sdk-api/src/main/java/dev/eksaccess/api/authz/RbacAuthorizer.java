package dev.eksaccess.api.authz;

import dev.eksaccess.api.AccessPolicyCatalogue;
import dev.eksaccess.api.Request;
import dev.eksaccess.api.spi.PolicyAssociation;
import dev.eksaccess.api.spi.PolicyRule;
import dev.eksaccess.api.spi.RbacBinding;
import dev.eksaccess.api.spi.RbacRole;
import dev.eksaccess.api.spi.RbacSnapshot;
import dev.eksaccess.api.spi.RbacSubject;
import dev.eksaccess.api.support.AccessPolicyRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides Kubernetes requests offline exactly as kube-apiserver does: {@code system:masters} before
 * RBAC, then RBAC (ClusterRoleBindings everywhere, RoleBindings only in their namespace and never
 * for cluster-scoped resources or non-resource URLs), then, if given, EKS access policy
 * associations, as EKS's authorizer checks them after RBAC. Indexed by subject: a decision costs
 * the bindings of the user's own subjects, not every binding.
 *
 * <pre>{@code
 * RbacAuthorizer rbac = RbacAuthorizer.of(Rbac.fromYaml(Path.of("rbac.yaml")));
 * RbacDecision d = rbac.decide(KubernetesUser.of("jane", "acme:devs"),
 *     Request.verb("delete").resource("pods").inNamespace("prod-apps"));
 * rbac.whoCan(Request.verb("get").resource("secrets").inNamespace("prod-apps"));
 * rbac.accessMatrix(KubernetesUser.of("jane", "acme:devs"), "prod-apps");
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class RbacAuthorizer {
  private static final String SYSTEM_MASTERS = "system:masters";

  /** The verbs of an access matrix, in column order. */
  public static final List<String> MATRIX_VERBS =
      List.of("get", "list", "watch", "create", "update", "patch", "delete", "deletecollection");

  // Built-in resources an access matrix always lists: namespaced, then cluster-scoped.
  private static final List<String> NAMESPACED =
      List.of(
          "configmaps",
          "endpoints",
          "events",
          "limitranges",
          "persistentvolumeclaims",
          "pods",
          "podtemplates",
          "replicationcontrollers",
          "resourcequotas",
          "secrets",
          "serviceaccounts",
          "services",
          "controllerrevisions.apps",
          "daemonsets.apps",
          "deployments.apps",
          "replicasets.apps",
          "statefulsets.apps",
          "horizontalpodautoscalers.autoscaling",
          "cronjobs.batch",
          "jobs.batch",
          "leases.coordination.k8s.io",
          "endpointslices.discovery.k8s.io",
          "ingresses.networking.k8s.io",
          "networkpolicies.networking.k8s.io",
          "poddisruptionbudgets.policy",
          "rolebindings.rbac.authorization.k8s.io",
          "roles.rbac.authorization.k8s.io");
  private static final List<String> CLUSTER_SCOPED =
      List.of(
          "namespaces",
          "nodes",
          "persistentvolumes",
          "customresourcedefinitions.apiextensions.k8s.io",
          "clusterrolebindings.rbac.authorization.k8s.io",
          "clusterroles.rbac.authorization.k8s.io",
          "storageclasses.storage.k8s.io");

  private final RbacSnapshot snapshot;
  private final RbacIndex index;
  private final MatrixIndex matrices;

  private RbacAuthorizer(RbacSnapshot snapshot) {
    this.snapshot = snapshot;
    this.index = RbacIndex.of(snapshot);
    this.matrices = new MatrixIndex(index, NAMESPACED, CLUSTER_SCOPED, MATRIX_VERBS);
  }

  /**
   * An authorizer over a snapshot; building the index is one pass over roles and bindings. Build
   * one per snapshot and keep it: every decision, who-can and access matrix asked of it reuses that
   * index, and the matrices' resource list and each role's cells are worked out once, when first
   * needed.
   *
   * @param snapshot the RBAC objects
   * @return the authorizer
   */
  public static RbacAuthorizer of(RbacSnapshot snapshot) {
    return new RbacAuthorizer(Objects.requireNonNull(snapshot, "snapshot"));
  }

  /**
   * The snapshot decided over.
   *
   * @return the snapshot
   */
  public RbacSnapshot snapshot() {
    return snapshot;
  }

  /**
   * The role a binding refers to, as the authorizer resolves it: a RoleBinding's {@code Role} in
   * the binding's namespace, or the named ClusterRole.
   *
   * <pre>{@code
   * rbac.roleOf(binding).map(RbacRole::rules).orElse(List.of());   // empty: the role is missing
   * }</pre>
   *
   * @param binding a binding, of this snapshot or planned
   * @return the role, if the snapshot has it
   */
  public Optional<RbacRole> roleOf(RbacBinding binding) {
    return index.roleOf(Objects.requireNonNull(binding, "binding"));
  }

  /**
   * Whether {@code user} may make {@code request}, and why. The verdict costs the user's own
   * bindings; the near misses of a denial are worked out when first read.
   *
   * @param user the Kubernetes user
   * @param request the request
   * @return the decision
   */
  public RbacDecision decide(KubernetesUser user, Request request) {
    return decide(user, request, List.of());
  }

  /**
   * Whether {@code user} may make {@code request}, counting also the EKS access policies associated
   * with the user's access entry (checked after RBAC, as EKS does).
   *
   * <pre>{@code
   * rbac.decide(user, request, List.of(
   *     new PolicyAssociation(AccessPolicy.VIEW, Scope.namespaces("prod-apps"))));
   * }</pre>
   *
   * @param user the Kubernetes user
   * @param request the request
   * @param accessPolicies the access entry's policy associations
   * @return the decision
   */
  public RbacDecision decide(
      KubernetesUser user, Request request, List<PolicyAssociation> accessPolicies) {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(request, "request");
    List<PolicyAssociation> policies = List.copyOf(accessPolicies);
    List<String> groups = user.effectiveGroups();
    if (groups.contains(SYSTEM_MASTERS)) {
      return new RbacDecision(
          user,
          request,
          true,
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          List.of());
    }
    Optional<RbacIndex.Match> match = index.allows(user.name(), groups, request);
    if (match.isPresent()) {
      RbacIndex.Match m = match.get();
      return new RbacDecision(
          user,
          request,
          true,
          Optional.of(m.binding()),
          Optional.of(m.role()),
          Optional.of(m.rule()),
          Optional.empty(),
          List.of());
    }
    for (PolicyAssociation a : policies) {
      Optional<List<PolicyRule>> rules = AccessPolicyRules.of(a.policy());
      if (!AccessPolicyRules.inScope(a, request) || rules.isEmpty()) {
        continue;
      }
      for (PolicyRule r : rules.get()) {
        if (r.allows(request)) {
          return new RbacDecision(
              user,
              request,
              true,
              Optional.empty(),
              Optional.empty(),
              Optional.of(r),
              Optional.of(a),
              List.of());
        }
      }
    }
    List<String> misses =
        new LazyList<>(
            () -> {
              List<String> out = new ArrayList<>(index.nearMisses(user.name(), groups, request));
              out.addAll(policyMisses(policies, request));
              return out;
            });
    Optional<PolicyAssociation> unknown =
        policies.stream()
            .filter(a -> AccessPolicyRules.inScope(a, request))
            .filter(a -> AccessPolicyRules.of(a.policy()).isEmpty())
            .findFirst();
    return new RbacDecision(
        user,
        request,
        false,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        misses,
        unknown);
  }

  /** Why each access policy association did not allow a request that none allowed. */
  private static List<String> policyMisses(List<PolicyAssociation> policies, Request request) {
    List<String> out = new ArrayList<>();
    for (PolicyAssociation a : policies) {
      if (!AccessPolicyRules.inScope(a, request)) {
        out.add(
            "access policy "
                + a
                + " does not cover "
                + (request.namespace().isEmpty() || request.isNonResource()
                    ? "cluster-scoped requests; that needs a cluster-wide association."
                    : "namespace " + request.namespace() + "."));
      } else if (AccessPolicyRules.of(a.policy()).isEmpty()) {
        out.add(
            "access policy "
                + a.policy().name()
                + ": its rules are unknown (AccessPolicyCatalogue "
                + AccessPolicyCatalogue.version()
                + "), so the verdict is undecided, not a denial.");
      } else {
        out.add("access policy " + a + ": no rule allows it.");
      }
    }
    return out;
  }

  /**
   * Every subject RBAC allows to make {@code request}, with the binding, role and rule, plus the
   * group {@code system:masters}, which needs none. Indexed by role: each role bound in the
   * request's scope is checked once, however many bindings use it, and only the bindings of the
   * roles that allow are read.
   *
   * @param request the request
   * @return the subjects, {@code system:masters} first, then in binding order
   */
  public List<AllowedSubject> whoCan(Request request) {
    Objects.requireNonNull(request, "request");
    List<AllowedSubject> out = new ArrayList<>();
    out.add(
        new AllowedSubject(
            RbacSubject.group(SYSTEM_MASTERS),
            Optional.empty(),
            Optional.empty(),
            Optional.empty()));
    for (RbacIndex.Match m : index.bindingsAllowing(request)) {
      for (RbacSubject s : m.binding().subjects()) {
        out.add(
            new AllowedSubject(
                s, Optional.of(m.binding()), Optional.of(m.role()), Optional.of(m.rule())));
      }
    }
    return out;
  }

  /**
   * What {@code user} may do in {@code namespace}: the built-in resources and every resource the
   * snapshot's rules name, against {@link #MATRIX_VERBS}. Each cell is the authorizer's decision on
   * that verb and resource; the resource list is built once per authorizer, and each role's cells
   * once, so a matrix costs the user's roles in that scope.
   *
   * @param user the user
   * @param namespace the namespace, or {@code ""} for cluster scope (then cluster-scoped resources
   *     are listed too, and namespaced ones mean "in every namespace")
   * @return the matrix
   * @throws dev.eksaccess.api.InvalidInputException if {@code namespace} is not a namespace name
   */
  public AccessMatrix accessMatrix(KubernetesUser user, String namespace) {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(namespace, "namespace");
    if (!namespace.isEmpty()) {
      Request.verb("get").resource("pods").inNamespace(namespace); // the namespace's checks
    }
    List<String> groups = user.effectiveGroups();
    return new AccessMatrix(
        user,
        namespace,
        MATRIX_VERBS,
        matrices.allowed(user.name(), groups, namespace, groups.contains(SYSTEM_MASTERS)));
  }

  @Override
  public String toString() {
    return "RbacAuthorizer["
        + snapshot.roles().size()
        + " roles, "
        + snapshot.bindings().size()
        + " bindings]";
  }
}
