package dev.eksaccess.rbac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.eksaccess.api.AccessPolicy;
import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.Request;
import dev.eksaccess.api.Scope;
import dev.eksaccess.api.authz.AccessMatrix;
import dev.eksaccess.api.authz.AllowedSubject;
import dev.eksaccess.api.authz.KubernetesUser;
import dev.eksaccess.api.authz.RbacAuthorizer;
import dev.eksaccess.api.authz.RbacDecision;
import dev.eksaccess.api.spi.PolicyAssociation;
import dev.eksaccess.api.spi.RbacRole;
import dev.eksaccess.api.spi.RbacSnapshot;
import dev.eksaccess.api.spi.RbacSubject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RbacAuthorizerTest {
  /** Written for these tests: the shapes real clusters have. */
  static final String MANIFESTS =
      """
      apiVersion: v1
      kind: List
      items:
      - apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata:
          name: pod-reader
        rules:
        - apiGroups: [""]
          resources: [pods, pods/log]
          verbs: [get, list, watch]
      - apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata:
          name: scaler
        rules:
        - apiGroups: ["apps"]
          resources: ["*/scale"]
          verbs: [update]
        - apiGroups: [""]
          resources: [configmaps]
          resourceNames: [app-config]
          verbs: [get, update]
        - nonResourceURLs: ["/healthz", "/metrics/*"]
          verbs: [get]
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRoleBinding
      metadata:
        name: oncall-pod-reader
      roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-reader}
      subjects:
      - {kind: Group, name: acme:oncall}
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: RoleBinding
      metadata:
        name: devs-pod-reader
        namespace: payments
      roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-reader}
      subjects:
      - {kind: Group, name: acme:devs}
      - {kind: ServiceAccount, name: builder}
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: Role
      metadata: {name: deployer, namespace: payments}
      rules:
      - apiGroups: ["apps"]
        resources: [deployments]
        verbs: ["*"]
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: RoleBinding
      metadata: {name: ci-deployer, namespace: payments}
      roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: deployer}
      subjects:
      - {kind: ServiceAccount, name: deployer, namespace: ci}
      - {kind: User, name: jane}
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRoleBinding
      metadata: {name: sre-scaler}
      roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: scaler}
      subjects:
      - {kind: User, name: sre}
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: RoleBinding
      metadata: {name: dangling, namespace: payments}
      roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: gone}
      subjects:
      - {kind: User, name: ghost}
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRoleBinding
      metadata: {name: all-sa-discovery}
      roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-reader}
      subjects:
      - {kind: Group, name: "system:serviceaccounts:monitoring"}
      """;

  static final RbacAuthorizer RBAC = RbacAuthorizer.of(Rbac.fromYaml(MANIFESTS));

  static boolean allowed(KubernetesUser user, Request request) {
    return RBAC.decide(user, request).allowed();
  }

  static Stream<Arguments> decisions() {
    KubernetesUser oncall = KubernetesUser.of("ann", "acme:oncall");
    KubernetesUser dev = KubernetesUser.of("bob", "acme:devs");
    KubernetesUser sre = KubernetesUser.of("sre");
    KubernetesUser jane = KubernetesUser.of("jane");
    return Stream.of(
        // ClusterRoleBindings apply in every namespace and to cluster scope
        Arguments.of(oncall, Request.verb("get").resource("pods").inNamespace("a"), true),
        Arguments.of(oncall, Request.verb("list").resource("pods"), true),
        Arguments.of(oncall, Request.verb("get").resource("pods").subresource("log"), true),
        Arguments.of(oncall, Request.verb("delete").resource("pods").inNamespace("a"), false),
        // RoleBindings only in their namespace, never at cluster scope
        Arguments.of(dev, Request.verb("get").resource("pods").inNamespace("payments"), true),
        Arguments.of(dev, Request.verb("get").resource("pods").inNamespace("orders"), false),
        Arguments.of(dev, Request.verb("list").resource("pods"), false),
        // (a request spelled "GET" or "Pods" is refused when it is built: RequestTest)
        Arguments.of(
            dev,
            Request.verb("get").resource("pods").inApiGroup("apps").inNamespace("payments"),
            false),
        // a subresource needs its own rule
        Arguments.of(
            dev,
            Request.verb("get").resource("pods").subresource("exec").inNamespace("payments"),
            false),
        // */scale matches any resource's scale subresource, not the resource itself
        Arguments.of(
            sre,
            Request.verb("update")
                .resource("deployments")
                .subresource("scale")
                .inApiGroup("apps")
                .inNamespace("a"),
            true),
        Arguments.of(
            sre,
            Request.verb("update").resource("deployments").inApiGroup("apps").inNamespace("a"),
            false),
        // resourceNames: only named requests
        Arguments.of(
            sre,
            Request.verb("get").resource("configmaps").named("app-config").inNamespace("a"),
            true),
        Arguments.of(
            sre, Request.verb("get").resource("configmaps").named("other").inNamespace("a"), false),
        Arguments.of(sre, Request.verb("list").resource("configmaps").inNamespace("a"), false),
        // non-resource URLs: exact, or a trailing * prefix
        Arguments.of(sre, Request.verb("get").nonResourceUrl("/healthz"), true),
        Arguments.of(sre, Request.verb("get").nonResourceUrl("/healthz/etcd"), false),
        Arguments.of(sre, Request.verb("get").nonResourceUrl("/metrics/cadvisor"), true),
        Arguments.of(sre, Request.verb("post").nonResourceUrl("/healthz"), false),
        // a Role in its namespace, verbs "*"
        Arguments.of(
            jane,
            Request.verb("patch")
                .resource("deployments")
                .inApiGroup("apps")
                .inNamespace("payments"),
            true),
        Arguments.of(
            jane,
            Request.verb("patch").resource("deployments").inApiGroup("apps").inNamespace("orders"),
            false),
        // ServiceAccounts: by username, a RoleBinding's one without namespace is in its namespace
        Arguments.of(
            KubernetesUser.serviceAccount("ci", "deployer"),
            Request.verb("create")
                .resource("deployments")
                .inApiGroup("apps")
                .inNamespace("payments"),
            true),
        Arguments.of(
            KubernetesUser.serviceAccount("payments", "builder"),
            Request.verb("get").resource("pods").inNamespace("payments"),
            true),
        Arguments.of(
            KubernetesUser.serviceAccount("other", "builder"),
            Request.verb("get").resource("pods").inNamespace("payments"),
            false),
        // the groups every ServiceAccount of a namespace has
        Arguments.of(
            KubernetesUser.serviceAccount("monitoring", "prometheus"),
            Request.verb("list").resource("pods"),
            true),
        // system:masters is allowed before RBAC
        Arguments.of(
            KubernetesUser.of("root", "system:masters"),
            Request.verb("delete").resource("nodes"),
            true),
        // a binding to a role that does not exist grants nothing
        Arguments.of(
            KubernetesUser.of("ghost"),
            Request.verb("get").resource("pods").inNamespace("payments"),
            false));
  }

  @ParameterizedTest(name = "{0}: {1} → {2}")
  @MethodSource("decisions")
  void decidesAsKubeApiserver(KubernetesUser user, Request request, boolean expected) {
    assertThat(allowed(user, request)).isEqualTo(expected);
  }

  @Test
  void aUserWithExactlyItsGroupsGetsNoImplicitOnes() {
    RbacAuthorizer rbac =
        RbacAuthorizer.of(
            Rbac.fromYaml(
                """
                kind: ClusterRole
                apiVersion: rbac.authorization.k8s.io/v1
                metadata: {name: health}
                rules: [{nonResourceURLs: [/healthz], verbs: [get]}]
                ---
                kind: ClusterRoleBinding
                apiVersion: rbac.authorization.k8s.io/v1
                metadata: {name: health-for-authenticated}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: health}
                subjects: [{kind: Group, name: "system:authenticated"}]
                """));
    Request healthz = Request.verb("get").nonResourceUrl("/healthz");

    assertThat(rbac.decide(KubernetesUser.of("jane"), healthz).allowed()).isTrue();
    assertThat(rbac.decide(KubernetesUser.exactly("jane"), healthz).allowed())
        .as("no system:authenticated unless given")
        .isFalse();
    assertThat(
            rbac.decide(
                    KubernetesUser.exactly("system:anonymous", "system:unauthenticated"), healthz)
                .allowed())
        .isFalse();
    assertThat(KubernetesUser.exactly("jane", "a").effectiveGroups()).containsExactly("a");
    assertThat(KubernetesUser.exactly("jane")).hasToString("user \"jane\" (exactly)");
  }

  @Test
  void anAllowNamesTheBindingRoleAndRule() {
    RbacDecision d =
        RBAC.decide(
            KubernetesUser.of("bob", "acme:devs"),
            Request.verb("get").resource("pods").inNamespace("payments"));

    assertThat(d.allowed()).isTrue();
    assertThat(d.binding())
        .hasValueSatisfying(b -> assertThat(b.name()).isEqualTo("devs-pod-reader"));
    assertThat(d.role()).hasValueSatisfying(r -> assertThat(r.name()).isEqualTo("pod-reader"));
    assertThat(d.rule()).hasValueSatisfying(r -> assertThat(r.verbs()).contains("get"));
    assertThat(d.toString()).startsWith("ALLOWED: ");
  }

  @Test
  void aDenialNamesTheNearestMisses() {
    KubernetesUser bob = KubernetesUser.of("bob", "acme:devs");

    assertThat(
            RBAC.decide(bob, Request.verb("get").resource("pods").inNamespace("orders"))
                .nearMisses())
        .anySatisfy(
            m ->
                assertThat(m)
                    .contains("devs-pod-reader")
                    .contains(
                        "grants this in namespace payments; the request is in namespace orders"));
    assertThat(RBAC.decide(bob, Request.verb("list").resource("pods")).nearMisses())
        .anySatisfy(
            m -> assertThat(m).contains("RoleBindings never grant cluster-scoped resources"));
    assertThat(
            RBAC.decide(bob, Request.verb("delete").resource("pods").inNamespace("payments"))
                .nearMisses())
        .anySatisfy(
            m -> assertThat(m).contains("its rules allow [get, list, watch] on pods, not delete"));
    assertThat(
            RBAC.decide(
                    KubernetesUser.of("sre"),
                    Request.verb("get").resource("configmaps").inNamespace("a"))
                .nearMisses())
        .anySatisfy(
            m ->
                assertThat(m)
                    .contains("only for resourceNames [app-config]")
                    .contains("the request names no object"));
    assertThat(
            RBAC.decide(
                    KubernetesUser.of("ghost"),
                    Request.verb("get").resource("pods").inNamespace("payments"))
                .nearMisses())
        .anySatisfy(m -> assertThat(m).contains("ClusterRole gone, which does not exist"));
    assertThat(
            RBAC.decide(KubernetesUser.of("nobody"), Request.verb("get").resource("pods"))
                .nearMisses())
        .singleElement()
        .asString()
        .contains("no RoleBinding or ClusterRoleBinding names user \"nobody\"");
  }

  @Test
  void whoCanListsEverySubjectAndBySystemMasters() {
    List<AllowedSubject> who =
        RBAC.whoCan(Request.verb("get").resource("pods").inNamespace("payments"));

    assertThat(who)
        .extracting(AllowedSubject::subject)
        .containsExactly(
            RbacSubject.group("system:masters"),
            RbacSubject.group("acme:oncall"),
            RbacSubject.group("acme:devs"),
            RbacSubject.serviceAccount("payments", "builder"),
            RbacSubject.group("system:serviceaccounts:monitoring"));
    assertThat(RBAC.whoCan(Request.verb("get").resource("pods").inNamespace("orders")))
        .extracting(AllowedSubject::subject)
        .doesNotContain(RbacSubject.group("acme:devs"));
    assertThat(who.get(1).toString()).contains("via ClusterRoleBinding oncall-pod-reader");
  }

  @Test
  void anAccessMatrixIsResourcesByVerbs() {
    AccessMatrix m = RBAC.accessMatrix(KubernetesUser.of("jane", "acme:devs"), "payments");

    assertThat(m.allows("pods", "get")).isTrue();
    assertThat(m.allows("pods", "delete")).isFalse();
    assertThat(m.allows("deployments.apps", "delete")).isTrue();
    assertThat(m.allows("secrets", "get")).isFalse();
    assertThat(m.allowed()).doesNotContainKey("nodes");
    assertThat(m.toString().lines().findFirst().orElseThrow())
        .startsWith("NAME")
        .contains("GET  LIST  WATCH  CREATE  UPDATE  PATCH  DELETE  DELETECOLLECTION");
    assertThat(RBAC.accessMatrix(KubernetesUser.of("ann", "acme:oncall"), "").allowed())
        .containsKey("nodes");
  }

  @Test
  void aSystemMastersMatrixAllowsEveryCellAndABadNamespaceIsRefused() {
    AccessMatrix root = RBAC.accessMatrix(KubernetesUser.of("root", "system:masters"), "payments");

    assertThat(root.allowed())
        .isNotEmpty()
        .allSatisfy(
            (resource, verbs) ->
                assertThat(verbs).containsExactlyInAnyOrderElementsOf(RbacAuthorizer.MATRIX_VERBS));
    var e =
        catchThrowableOfType(
            InvalidInputException.class,
            () -> RBAC.accessMatrix(KubernetesUser.of("jane"), "Not_A_Namespace"));
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_NAMESPACE);
    assertThat(e.getMessage()).contains("Not_A_Namespace");
  }

  @Test
  void aMatrixIsTheSameAskedTwiceAndForEachUserItsOwn() {
    KubernetesUser jane = KubernetesUser.of("jane");
    KubernetesUser bob = KubernetesUser.of("bob", "acme:devs");

    AccessMatrix first = RBAC.accessMatrix(jane, "payments");
    AccessMatrix forBob = RBAC.accessMatrix(bob, "payments");

    assertThat(RBAC.accessMatrix(jane, "payments")).isEqualTo(first);
    assertThat(first.allowed())
        .isEqualTo(new java.util.TreeMap<>(first.allowed()))
        .hasSameHashCodeAs(new java.util.TreeMap<>(first.allowed()))
        .doesNotContainKey("nope");
    assertThat(first.allowed().get("nope")).isNull();
    assertThat(
            catchThrowableOfType(
                UnsupportedOperationException.class,
                () -> first.allowed().put("pods", java.util.Set.of())))
        .isNotNull();
    assertThat(
            catchThrowableOfType(
                UnsupportedOperationException.class,
                () ->
                    java.util.Objects.requireNonNull(first.allowed().get("pods")).add("escalate")))
        .isNotNull();
    assertThat(first.allows("deployments.apps", "create")).isTrue();
    assertThat(first.allows("pods", "get")).isFalse();
    assertThat(forBob.allows("deployments.apps", "create")).isFalse();
    assertThat(forBob.allows("pods", "watch")).isTrue();
    assertThat(RBAC.accessMatrix(bob, "orders").allows("pods", "watch"))
        .as("bob's RoleBinding is in payments only")
        .isFalse();
    assertThat(List.copyOf(first.allowed().keySet()))
        .as("the snapshot's own resources, then the built-in ones, in name order")
        .isSorted()
        .contains("configmaps", "pods", "deployments.apps", "secrets")
        .doesNotContain("pods/log", "*/scale");
  }

  @Test
  void aDenialsNearMissesAreWorkedOutWhenReadAndAreTheSameEachTime() {
    KubernetesUser bob = KubernetesUser.of("bob", "acme:devs");
    Request deletePods = Request.verb("delete").resource("pods").inNamespace("payments");
    List<PolicyAssociation> view =
        List.of(new PolicyAssociation(AccessPolicy.VIEW, Scope.namespaces("orders")));

    RbacDecision d = RBAC.decide(bob, deletePods, view);

    assertThat(d.allowed()).isFalse();
    assertThat(d.nearMisses())
        .as("RBAC's misses first, then the access policies'")
        .hasSize(2)
        .satisfies(m -> assertThat(m.get(0)).contains("devs-pod-reader"))
        .satisfies(m -> assertThat(m.get(1)).contains("does not cover namespace payments"));
    assertThat(d.nearMisses()).isEqualTo(RBAC.decide(bob, deletePods, view).nearMisses());
    assertThat(d).isEqualTo(RBAC.decide(bob, deletePods, view));
    assertThat(d)
        .isEqualTo(
            new RbacDecision(
                d.user(),
                d.request(),
                false,
                d.binding(),
                d.role(),
                d.rule(),
                d.accessPolicy(),
                new java.util.ArrayList<>(d.nearMisses())));
    assertThat(
            catchThrowableOfType(
                UnsupportedOperationException.class, () -> d.nearMisses().add("x")))
        .isNotNull();
    assertThat(d.toString()).contains("  - RoleBinding payments/devs-pod-reader");
  }

  @Test
  void whoCanListsRoleBindingsAndClusterRoleBindingsInTheSnapshotsOrder() {
    RbacAuthorizer rbac =
        RbacAuthorizer.of(
            Rbac.fromYaml(
                """
                kind: ClusterRole
                apiVersion: rbac.authorization.k8s.io/v1
                metadata: {name: reader}
                rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
                ---
                kind: RoleBinding
                apiVersion: rbac.authorization.k8s.io/v1
                metadata: {name: first, namespace: team}
                roleRef: {kind: ClusterRole, name: reader, apiGroup: rbac.authorization.k8s.io}
                subjects: [{kind: Group, name: g1}, {kind: User, name: u1}]
                ---
                kind: ClusterRoleBinding
                apiVersion: rbac.authorization.k8s.io/v1
                metadata: {name: second}
                roleRef: {kind: ClusterRole, name: reader, apiGroup: rbac.authorization.k8s.io}
                subjects: [{kind: Group, name: g2}]
                ---
                kind: RoleBinding
                apiVersion: rbac.authorization.k8s.io/v1
                metadata: {name: third, namespace: team}
                roleRef: {kind: ClusterRole, name: reader, apiGroup: rbac.authorization.k8s.io}
                subjects: [{kind: ServiceAccount, name: s3}]
                ---
                kind: RoleBinding
                apiVersion: rbac.authorization.k8s.io/v1
                metadata: {name: elsewhere, namespace: other}
                roleRef: {kind: ClusterRole, name: reader, apiGroup: rbac.authorization.k8s.io}
                subjects: [{kind: Group, name: g4}]
                """));

    assertThat(rbac.whoCan(Request.verb("get").resource("pods").inNamespace("team")))
        .extracting(AllowedSubject::subject)
        .containsExactly(
            RbacSubject.group("system:masters"),
            RbacSubject.group("g1"),
            RbacSubject.user("u1"),
            RbacSubject.group("g2"),
            RbacSubject.serviceAccount("team", "s3"));
    assertThat(rbac.whoCan(Request.verb("get").resource("pods")))
        .extracting(AllowedSubject::subject)
        .containsExactly(RbacSubject.group("system:masters"), RbacSubject.group("g2"));
    assertThat(rbac.whoCan(Request.verb("delete").resource("pods").inNamespace("team")))
        .extracting(AllowedSubject::subject)
        .containsExactly(RbacSubject.group("system:masters"));
  }

  @Nested
  class AccessPolicies {
    final KubernetesUser eksUser = KubernetesUser.of("arn:aws:iam::111122223333:role/Dev");

    @Test
    void aNamespaceScopedViewPolicyAllowsReadsThereOnly() {
      List<PolicyAssociation> view =
          List.of(new PolicyAssociation(AccessPolicy.VIEW, Scope.namespaces("payments")));

      RbacDecision there =
          RBAC.decide(eksUser, Request.verb("list").resource("pods").inNamespace("payments"), view);
      assertThat(there.allowed()).isTrue();
      assertThat(there.accessPolicy()).isPresent();
      assertThat(there.reason()).contains("EKS checks it after RBAC");

      assertThat(
              RBAC.decide(
                      eksUser,
                      Request.verb("get").resource("secrets").inNamespace("payments"),
                      view)
                  .allowed())
          .isFalse();
      RbacDecision elsewhere =
          RBAC.decide(eksUser, Request.verb("list").resource("pods").inNamespace("orders"), view);
      assertThat(elsewhere.allowed()).isFalse();
      assertThat(elsewhere.nearMisses())
          .anySatisfy(x -> assertThat(x).contains("does not cover namespace orders"));
      assertThat(RBAC.decide(eksUser, Request.verb("list").resource("nodes"), view).nearMisses())
          .anySatisfy(x -> assertThat(x).contains("needs a cluster-wide association"));
    }

    @Test
    void clusterAdminAllowsEverythingAndUnpublishedPoliciesLeaveTheVerdictUndecided() {
      assertThat(
              RBAC.decide(
                      eksUser,
                      Request.verb("delete").resource("nodes"),
                      List.of(new PolicyAssociation(AccessPolicy.CLUSTER_ADMIN, Scope.cluster())))
                  .allowed())
          .isTrue();
      RbacDecision unknown =
          RBAC.decide(
              eksUser,
              Request.verb("get").resource("pods").inNamespace("a"),
              List.of(
                  new PolicyAssociation(
                      AccessPolicy.named("AmazonEKSArgoCDPolicy"), Scope.cluster())));
      assertThat(unknown.allowed()).isFalse();
      assertThat(unknown.undecided()).as("unknown rules are never a denial").isTrue();
      assertThat(unknown.undecidedBy().orElseThrow().policy().name())
          .isEqualTo("AmazonEKSArgoCDPolicy");
      assertThat(unknown.toString()).startsWith("UNDECIDED: ").contains("cannot decide");
      assertThat(unknown.nearMisses()).anySatisfy(x -> assertThat(x).contains("rules are unknown"));
      assertThat(
              RBAC.decide(
                      eksUser,
                      Request.verb("create")
                          .resource("rolebindings")
                          .inApiGroup("rbac.authorization.k8s.io")
                          .inNamespace("a"),
                      List.of(new PolicyAssociation(AccessPolicy.EDIT, Scope.cluster())))
                  .allowed())
          .as("edit has no RBAC objects")
          .isFalse();
    }
  }

  @Test
  void aTrailingRunOfStarsInANonResourceUrlIsOnePrefix() {
    RbacAuthorizer rbac =
        RbacAuthorizer.of(
            Rbac.fromYaml(
                """
                kind: ClusterRole
                apiVersion: rbac.authorization.k8s.io/v1
                metadata: {name: logs}
                rules:
                - {nonResourceURLs: ["/logs/**"], verbs: [get]}
                ---
                kind: ClusterRoleBinding
                apiVersion: rbac.authorization.k8s.io/v1
                metadata: {name: logs}
                roleRef: {kind: ClusterRole, name: logs, apiGroup: rbac.authorization.k8s.io}
                subjects: [{kind: Group, name: ops}]
                """));
    KubernetesUser ops = KubernetesUser.of("olga", "ops");

    assertThat(rbac.decide(ops, Request.verb("get").nonResourceUrl("/logs/kubelet.log")).allowed())
        .isTrue();
    assertThat(rbac.decide(ops, Request.verb("get").nonResourceUrl("/logs/")).allowed()).isTrue();
    assertThat(rbac.decide(ops, Request.verb("get").nonResourceUrl("/logs")).allowed()).isFalse();
  }

  @Test
  void aNamedNamespaceIsInItselfSoARoleBindingThereCanAllowIt() {
    RbacAuthorizer rbac =
        RbacAuthorizer.of(
            Rbac.fromYaml(
                """
                kind: ClusterRole
                apiVersion: rbac.authorization.k8s.io/v1
                metadata: {name: namespace-reader}
                rules:
                - {apiGroups: [""], resources: [namespaces], verbs: [get, list]}
                ---
                kind: RoleBinding
                apiVersion: rbac.authorization.k8s.io/v1
                metadata: {name: read-own-namespace, namespace: team}
                roleRef: {kind: ClusterRole, name: namespace-reader, apiGroup: rbac.authorization.k8s.io}
                subjects: [{kind: Group, name: team}]
                """));
    KubernetesUser member = KubernetesUser.of("tim", "team");

    assertThat(
            rbac.decide(member, Request.verb("get").resource("namespaces").named("team")).allowed())
        .isTrue();
    assertThat(
            rbac.decide(member, Request.verb("get").resource("namespaces").named("other"))
                .allowed())
        .isFalse();
    assertThat(rbac.decide(member, Request.verb("list").resource("namespaces")).allowed())
        .as("listing namespaces is cluster-scoped")
        .isFalse();
  }

  @Nested
  class Aggregation {
    static final String AGGREGATED =
        """
        kind: ClusterRole
        apiVersion: rbac.authorization.k8s.io/v1
        metadata:
          name: view
          labels: {rbac.authorization.k8s.io/aggregate-to-edit: "true"}
        aggregationRule:
          clusterRoleSelectors:
          - matchLabels: {rbac.authorization.k8s.io/aggregate-to-view: "true"}
        ---
        kind: ClusterRole
        apiVersion: rbac.authorization.k8s.io/v1
        metadata:
          name: edit
          labels: {rbac.authorization.k8s.io/aggregate-to-admin: "true"}
        aggregationRule:
          clusterRoleSelectors:
          - matchLabels: {rbac.authorization.k8s.io/aggregate-to-edit: "true"}
        ---
        kind: ClusterRole
        apiVersion: rbac.authorization.k8s.io/v1
        metadata: {name: admin}
        aggregationRule:
          clusterRoleSelectors:
          - matchExpressions:
            - {key: rbac.authorization.k8s.io/aggregate-to-admin, operator: In, values: ["true"]}
        ---
        kind: ClusterRole
        apiVersion: rbac.authorization.k8s.io/v1
        metadata:
          name: system:aggregate-to-view
          labels: {rbac.authorization.k8s.io/aggregate-to-view: "true"}
        rules:
        - {apiGroups: [""], resources: [pods], verbs: [get, list, watch]}
        ---
        kind: ClusterRole
        apiVersion: rbac.authorization.k8s.io/v1
        metadata:
          name: system:aggregate-to-edit
          labels: {rbac.authorization.k8s.io/aggregate-to-edit: "true"}
        rules:
        - {apiGroups: [""], resources: [pods], verbs: [create, delete]}
        ---
        kind: ClusterRole
        apiVersion: rbac.authorization.k8s.io/v1
        metadata:
          name: crd-viewer
          labels: {rbac.authorization.k8s.io/aggregate-to-view: "true"}
        rules:
        - {apiGroups: [widgets.example.com], resources: [widgets], verbs: [get]}
        ---
        kind: ClusterRole
        apiVersion: rbac.authorization.k8s.io/v1
        metadata: {name: precomputed}
        aggregationRule:
          clusterRoleSelectors:
          - matchLabels: {rbac.authorization.k8s.io/aggregate-to-view: "true"}
        rules:
        - {apiGroups: [""], resources: [services], verbs: [get]}
        """;

    final RbacSnapshot snapshot = Rbac.fromYaml(AGGREGATED);

    RbacRole role(String name) {
      return snapshot.roles().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aggregatedRolesGetTheRulesOfTheRolesTheySelectTransitively() {
      assertThat(role("view").rules()).hasSize(2);
      assertThat(role("edit").rules())
          .hasSize(3); // view's two (it is labelled for edit) and edit's
      assertThat(role("admin").rules()).containsExactlyInAnyOrderElementsOf(role("edit").rules());
      assertThat(role("precomputed").rules())
          .as("a role the controller already filled is kept as read")
          .singleElement()
          .satisfies(r -> assertThat(r.resources()).containsExactly("services"));
    }

    @Test
    void aRoleWithAnInvalidSelectorKeepsItsRulesAsTheControllerFailsOnIt() {
      RbacSnapshot broken =
          Rbac.fromYaml(
              AGGREGATED
                  + """
                  ---
                  kind: ClusterRole
                  apiVersion: rbac.authorization.k8s.io/v1
                  metadata: {name: unknown-operator}
                  aggregationRule:
                    clusterRoleSelectors:
                    - matchLabels: {rbac.authorization.k8s.io/aggregate-to-view: "true"}
                    - matchExpressions:
                      - {key: team, operator: Matches, values: ["a"]}
                  ---
                  kind: ClusterRole
                  apiVersion: rbac.authorization.k8s.io/v1
                  metadata: {name: in-without-values}
                  aggregationRule:
                    clusterRoleSelectors:
                    - matchExpressions:
                      - {key: rbac.authorization.k8s.io/aggregate-to-view, operator: In, values: []}
                  """);

      assertThat(broken.roles())
          .filteredOn(
              r -> r.name().equals("unknown-operator") || r.name().equals("in-without-values"))
          .hasSize(2)
          .allSatisfy(r -> assertThat(r.rules()).isEmpty());
      assertThat(broken.roles())
          .filteredOn(r -> r.name().equals("view"))
          .singleElement()
          .satisfies(r -> assertThat(r.rules()).hasSize(2));
    }

    @Test
    void decisionsSeeAggregatedRules() {
      RbacAuthorizer rbac =
          RbacAuthorizer.of(
              Rbac.fromYaml(
                  AGGREGATED
                      + """
                      ---
                      kind: RoleBinding
                      apiVersion: rbac.authorization.k8s.io/v1
                      metadata: {name: team-admin, namespace: team}
                      roleRef: {kind: ClusterRole, name: admin, apiGroup: rbac.authorization.k8s.io}
                      subjects: [{kind: Group, name: team-leads}]
                      """));
      KubernetesUser lead = KubernetesUser.of("lee", "team-leads");

      assertThat(
              rbac.decide(lead, Request.verb("delete").resource("pods").inNamespace("team"))
                  .allowed())
          .isTrue();
      assertThat(
              rbac.decide(
                      lead,
                      Request.verb("get")
                          .resource("widgets")
                          .inApiGroup("widgets.example.com")
                          .inNamespace("team"))
                  .allowed())
          .isTrue();
      assertThat(rbac.decide(lead, Request.verb("get").resource("pods").inNamespace("x")).allowed())
          .isFalse();
    }
  }

  @Nested
  class Manifests {
    @Test
    void notYamlSaysWhere() {
      var e =
          catchThrowableOfType(
              InvalidInputException.class,
              () -> Rbac.fromYaml("kind: ClusterRole\nmetadata: {name: [x\n"));
      assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_MANIFEST);
      assertThat(e.getMessage()).contains("yaml line").contains("is not YAML");
    }

    @Test
    void malformedObjectsSayWhichDocumentAndField() {
      assertThat(
              catchThrowableOfType(
                      InvalidInputException.class,
                      () ->
                          Rbac.fromYaml(
                              "kind: RoleBinding\nmetadata: {name: b, namespace: n}\nsubjects: []\n"))
                  .getMessage())
          .contains("document 1 (RoleBinding n/b).roleRef")
          .contains("must be a mapping");
      assertThat(
              catchThrowableOfType(
                      InvalidInputException.class,
                      () ->
                          Rbac.fromYaml(
                              """
                              ---
                              kind: ConfigMap
                              metadata: {name: ignored}
                              ---
                              kind: ClusterRoleBinding
                              metadata: {name: b}
                              roleRef: {kind: ClusterRole, name: r}
                              subjects: [{kind: Robot, name: r2d2}]
                              """))
                  .getMessage())
          .contains("document 2 (ClusterRoleBinding b).subjects[0].kind")
          .contains("must be User, Group or ServiceAccount");
      assertThat(
              catchThrowableOfType(
                      InvalidInputException.class,
                      () ->
                          Rbac.fromYaml(
                              """
                              kind: ClusterRoleBinding
                              metadata: {name: b}
                              roleRef: {kind: ClusterRole, name: r}
                              subjects: [{kind: ServiceAccount, name: sa}]
                              """))
                  .getMessage())
          .contains("is required for a ServiceAccount in a ClusterRoleBinding");
      assertThat(
              catchThrowableOfType(
                      InvalidInputException.class,
                      () -> Rbac.fromYaml("kind: Role\nmetadata: {name: r}\nrules: []\n"))
                  .getMessage())
          .contains("a Role is namespaced");
    }

    @Test
    void filesAreReadIntoOneSnapshotAndNamedInErrors(@TempDir Path dir) throws IOException {
      Path roles = Files.writeString(dir.resolve("roles.yaml"), MANIFESTS);
      Path extra =
          Files.writeString(
              dir.resolve("extra.yaml"),
              """
              kind: ClusterRoleBinding
              metadata: {name: auditors}
              roleRef: {kind: ClusterRole, name: pod-reader}
              subjects: [{kind: Group, name: auditors}]
              """);
      RbacSnapshot s = Rbac.fromYaml(roles, extra);
      assertThat(s.bindings()).hasSize(7);
      assertThat(
              RbacAuthorizer.of(s)
                  .decide(KubernetesUser.of("al", "auditors"), Request.verb("get").resource("pods"))
                  .allowed())
          .isTrue();

      Path broken = Files.writeString(dir.resolve("broken.yaml"), "kind: Role\nmetadata: [\n");
      assertThat(
              catchThrowableOfType(InvalidInputException.class, () -> Rbac.fromYaml(roles, broken))
                  .getMessage())
          .contains("broken.yaml line");
    }

    @Test
    void otherKindsAndEmptyDocumentsAreSkipped() {
      RbacSnapshot s =
          Rbac.fromYaml("---\n---\nkind: Namespace\nmetadata: {name: x}\n---\n" + MANIFESTS);
      assertThat(s.roles()).hasSize(3);
      assertThat(s.bindings()).hasSize(6);
    }
  }
}
