package dev.eksaccess.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eksaccess.api.spi.Capability;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.PolicyAssociation;
import dev.eksaccess.api.spi.PolicyRule;
import dev.eksaccess.api.spi.RbacBackend;
import dev.eksaccess.api.spi.RbacBinding;
import dev.eksaccess.api.spi.RbacChanges;
import dev.eksaccess.api.spi.RbacRole;
import dev.eksaccess.api.spi.RbacSubject;
import dev.eksaccess.api.spi.WriteResult;
import dev.eksaccess.api.support.GrantedFor;
import dev.eksaccess.testkit.FakeCluster;
import dev.eksaccess.testkit.RecordedRequest;
import dev.eksaccess.testkit.WriteFault;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterAccessPlanTest {
  static final IamRole DEV = IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole");
  static final IamRole ADMIN = IamRole.of("arn:aws:iam::111122223333:role/Admin");
  static final IamRole NODES = IamRole.of("arn:aws:iam::111122223333:role/NodeInstanceRole");
  static final Grant DEVS_VIEW =
      ClusterAccess.grant(DEV).asGroup("acme:devs").bind(ClusterRole.VIEW).inNamespace("prod-apps");

  @Test
  void planWritesNothingAndReadsLikeADiff() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    Plan plan = prod.clusterAccess().plan(DEVS_VIEW);

    assertThat(prod).hasNoWrites();
    assertThat(plan.isEmpty()).isFalse();
    assertThat(plan.changes())
        .extracting(Change::layer, Change::action)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Change.Layer.IDENTITY, Change.Action.CREATE),
            org.assertj.core.groups.Tuple.tuple(Change.Layer.RBAC, Change.Action.CREATE));
    assertThat(plan.toString())
        .contains("Plan for cluster prod: 2 changes")
        .contains("identity (aws-auth)")
        .contains("+ mapping arn:aws:iam::111122223333:role/DevTeamRole")
        .contains("groups [acme:devs]")
        .contains("+ RoleBinding prod-apps/eks-access-view-acme-devs-");
  }

  @Test
  void applyingMakesReplanningEmptyAndApplyingTwiceWritesOnce() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    Plan plan = prod.clusterAccess().plan(DEVS_VIEW);

    ApplyResult first = plan.apply();
    ApplyResult second = plan.apply();

    assertThat(first.writes()).isEqualTo(2);
    assertThat(second.isNoOp()).isTrue();
    assertThat(prod.requests()).filteredOn(RecordedRequest::isWrite).hasSize(2);
    assertThat(prod.clusterAccess().plan(DEVS_VIEW).isEmpty()).isTrue();
    assertThat(prod).hasGrant(DEVS_VIEW).hasMapping(DEV);
    assertThat(prod.state().bindings())
        .filteredOn(b -> b.namespace().equals("prod-apps"))
        .singleElement()
        .satisfies(
            b -> {
              assertThat(b.roleRef()).isEqualTo(ClusterRole.VIEW);
              assertThat(b.subjects()).containsExactly(RbacSubject.group("acme:devs"));
              assertThat(b.labels()).containsEntry("app.kubernetes.io/managed-by", "eks-access");
            });
  }

  @Test
  void aStalePlanLandsOnTopOfAnUnrelatedConcurrentChangeAndKeepsIt() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    Plan plan = prod.clusterAccess().plan(DEVS_VIEW);
    // another pipeline maps someone else in between
    prod.seed(IdentityMapping.of(ADMIN).withGroups(List.of("ops")));

    ApplyResult result = plan.apply();

    assertThat(result.applied()).containsExactlyInAnyOrderElementsOf(plan.changes());
    assertThat(prod.state().mappings())
        .extracting(IdentityMapping::principal)
        .containsExactly(ADMIN, DEV);
    assertThat(prod).hasGrant(DEVS_VIEW);
  }

  @Test
  void injectedWriteFaultsAreRetriedAndTheGrantLandsOnce() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    prod.failNext(Change.Layer.RBAC, WriteFault.CONFLICT)
        .failNext(Change.Layer.IDENTITY, WriteFault.UNAVAILABLE)
        .failNext(Change.Layer.IDENTITY, WriteFault.UNAVAILABLE_AFTER_COMMIT);

    ApplyResult result = prod.clusterAccess().plan(DEVS_VIEW).apply();

    assertThat(prod).hasGrant(DEVS_VIEW);
    assertThat(prod.state().mappings()).hasSize(1);
    assertThat(result.applied()).isNotEmpty();
    assertThat(prod.clusterAccess().plan(DEVS_VIEW).isEmpty()).isTrue();

    prod.failNext(Change.Layer.IDENTITY, WriteFault.UNAVAILABLE);
    var down =
        catchThrowableOfType(
            BackendException.class,
            () ->
                ClusterAccess.builder()
                    .clusterName("prod")
                    .identities(prod.identities())
                    .retryPolicy(dev.eksaccess.api.RetryPolicy.none())
                    .build()
                    .planRevoke(DEV)
                    .apply());
    assertThat(down.retryable()).isTrue();
    assertThat(down.getMessage()).contains("injected 503").contains("nothing was written");
    assertThat(prod.state().mappings()).hasSize(1);
  }

  @Test
  void anInterruptWhileWaitingToRetryStopsAtOnceAndIsNotRetryable() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    Plan plan = prod.clusterAccess().plan(DEVS_VIEW);
    prod.failNext(Change.Layer.IDENTITY, WriteFault.CONFLICT); // the plan's write will lose
    Thread.currentThread().interrupt();
    try {
      var e = catchThrowableOfType(BackendException.class, plan::apply);

      assertThat(e.retryable()).isFalse();
      assertThat(e.getMessage()).contains("interrupted").contains("nothing more was written");
      assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept").isTrue();
      assertThat(e.getMessage()).contains("Nothing of this plan is left on the cluster");
    } finally {
      Thread.interrupted();
    }
    assertThat(prod.state().mappings()).isEmpty();
    assertThat(prod.state().bindings())
        .as("the binding written before the identity layer was taken back")
        .noneMatch(b -> b.namespace().equals("prod-apps"));
  }

  @Test
  void aStalePlanWhosePrincipalWasChangedMeanwhileFailsWithAConflictAndWritesNothing() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    Plan plan = prod.clusterAccess().plan(DEVS_VIEW);
    // another pipeline maps the same role differently in between
    prod.seed(IdentityMapping.of(DEV).withUsername("contractor").withGroups(List.of("vendors")));
    int before = prod.requests().size();

    var e = catchThrowableOfType(ConflictException.class, plan::apply);

    assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage())
        .contains("changed since this plan was made")
        .contains("Make a new plan");
    assertThat(prod.requests().subList(before, prod.requests().size()))
        .filteredOn(RecordedRequest::isWrite)
        .isEmpty();
    assertThat(prod.state().mappings())
        .singleElement()
        .satisfies(m -> assertThat(m.groups()).containsExactly("vendors"));
  }

  @Test
  void aRetryThatWouldNowRemoveTheLastAdminIsRefused() {
    IamRole other = IamRole.of("arn:aws:iam::111122223333:role/OtherAdmin");
    FakeCluster prod = FakeCluster.awsAuth("prod");
    prod.seed(IdentityMapping.of(ADMIN).withGroups(List.of("system:masters")));
    prod.seed(IdentityMapping.of(other).withGroups(List.of("system:masters")));
    Plan plan = prod.clusterAccess().planRevoke(ADMIN);
    assertThat(plan.violations()).isEmpty();
    // meanwhile the other admin is removed: the reviewed revoke would now lock everyone out
    prod.clusterAccess().planRevoke(other).apply();
    int before = prod.requests().size();

    var e = catchThrowableOfType(UnsafeChangeException.class, plan::apply);

    assertThat(e.violations()).extracting(v -> v.guard()).containsExactly(Guard.LAST_ADMIN);
    assertThat(prod.requests().subList(before, prod.requests().size()))
        .filteredOn(RecordedRequest::isWrite)
        .isEmpty();
    assertThat(prod.state().mappings())
        .extracting(IdentityMapping::principal)
        .containsExactly(ADMIN);
  }

  @Test
  void removingTheApplierOwnMappingIsRefusedUnlessForced() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    prod.seed(IdentityMapping.of(ADMIN).withGroups(List.of("system:masters")));
    prod.seed(IdentityMapping.of(DEV).withUsername("deployer").withGroups(List.of("ci")));
    ClusterAccess asDeployer =
        ClusterAccess.builder()
            .clusterName("prod")
            .identities(prod.identities())
            .rbac(prod.rbac())
            .actingAs(Caller.of("arn:aws:sts::111122223333:assumed-role/DevTeamRole/ci-42"))
            .build();

    Plan plan = asDeployer.planRevoke(DEV);
    var e = catchThrowableOfType(UnsafeChangeException.class, plan::apply);

    assertThat(e.code()).isEqualTo(ErrorCode.LOCKOUT_OWN_MAPPING);
    assertThat(e.getMessage())
        .contains("the identity applying this change")
        .contains(".force(Guard.OWN_MAPPING)");
    assertThat(prod).hasNoWrites();
    assertThat(asDeployer.planRevoke(ADMIN).force(Guard.LAST_ADMIN).violations())
        .extracting(v -> v.guard())
        .containsExactly(Guard.LAST_ADMIN);

    plan.force(Guard.OWN_MAPPING).apply();
    assertThat(prod.state().mappings())
        .extracting(IdentityMapping::principal)
        .containsExactly(ADMIN);
  }

  @Test
  void aBindingTheApplierCouldNotCreateIsWarnedAboutBeforeTheApiServerRefusesIt() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    IamRole deployer = IamRole.of("arn:aws:iam::111122223333:role/Deployer");
    prod.seed(IdentityMapping.of(deployer).withUsername("deployer").withGroups(List.of("ci")));
    Caller ci = Caller.of("arn:aws:sts::111122223333:assumed-role/Deployer/run-7");
    ClusterAccess asDeployer =
        ClusterAccess.builder()
            .clusterName("prod")
            .identities(prod.identities())
            .rbac(prod.rbac())
            .actingAs(ci)
            .build();

    assertThat(asDeployer.plan(DEVS_VIEW).warnings())
        .singleElement()
        .asString()
        .contains("to hold every rule of ClusterRole view or to have bind on it")
        .contains("groups [ci, system:authenticated]")
        .contains("403");

    // bind on that very role is enough (RBAC's escalation check lets it through)
    FakeCluster other = FakeCluster.awsAuth("other");
    other.seed(IdentityMapping.of(deployer).withUsername("deployer").withGroups(List.of("ci")));
    other.seed(
        RbacRole.clusterRole(
            "binder",
            List.of(
                PolicyRule.resources(
                        List.of("rbac.authorization.k8s.io"),
                        List.of("clusterroles"),
                        List.of("bind"))
                    .withResourceNames(List.of("view")))));
    other.seed(
        RbacBinding.clusterRoleBinding(
            "ci-binder", ClusterRole.named("binder"), List.of(RbacSubject.group("ci"))));
    assertThat(
            ClusterAccess.builder()
                .clusterName("other")
                .identities(other.identities())
                .rbac(other.rbac())
                .actingAs(ci)
                .build()
                .plan(DEVS_VIEW)
                .warnings())
        .isEmpty();

    // so is holding the role's rules (here: cluster-admin everywhere)
    prod.seed(
        RbacBinding.clusterRoleBinding(
            "ci-admin", ClusterRole.CLUSTER_ADMIN, List.of(RbacSubject.group("ci"))));
    assertThat(asDeployer.plan(DEVS_VIEW).warnings()).isEmpty();
  }

  static ClusterAccess actingAsDeployer(FakeCluster cluster) {
    return ClusterAccess.builder()
        .clusterName("prod")
        .identities(cluster.identities())
        .rbac(cluster.rbac())
        .actingAs(Caller.of("arn:aws:sts::111122223333:assumed-role/Deployer/run-7"))
        .build();
  }

  @Test
  void rolesThePlanDefinesAreCheckedAgainstTheRulesTheApplierHolds() {
    IamRole deployer = IamRole.of("arn:aws:iam::111122223333:role/Deployer");
    FakeCluster prod = FakeCluster.awsAuth("prod");
    prod.seed(IdentityMapping.of(deployer).withUsername("deployer").withGroups(List.of("ci")));
    // the deployer may edit (and so read) everything in namespace payments, nothing more
    prod.seed(
        RbacBinding.roleBinding(
            "payments", "ci-edit", ClusterRole.EDIT, List.of(RbacSubject.group("ci"))));
    PolicyRule getPods = PolicyRule.resources(List.of(""), List.of("pods"), List.of("get"));
    PolicyRule escalate =
        PolicyRule.resources(List.of("rbac.authorization.k8s.io"), List.of("roles"), List.of("*"));
    Grant heldRules =
        ClusterAccess.grant(DEV)
            .asGroup("acme:devs")
            .bind(RoleDefinition.of(Role.named("pod-reader").inNamespace("payments"), getPods));
    Grant unheldRules =
        ClusterAccess.grant(DEV)
            .asGroup("acme:devs")
            .bind(RoleDefinition.of(Role.named("rbac-admin").inNamespace("payments"), escalate));

    assertThat(actingAsDeployer(prod).plan(heldRules).warnings()).isEmpty();
    List<String> warnings = actingAsDeployer(prod).plan(unheldRules).warnings();
    assertThat(warnings)
        .as("the role hands out escalate and bind: named as such")
        .filteredOn(w -> w.contains("can grant itself"))
        .singleElement()
        .asString()
        .contains("[escalate on roles, bind on roles]");
    assertThat(warnings.stream().filter(w -> !w.contains("can grant itself")).toList())
        .hasSize(2)
        .anySatisfy(
            w ->
                assertThat(w)
                    .startsWith("Applying Role payments/rbac-admin needs")
                    .contains("to have escalate on it, or to hold every rule it grants")
                    .contains("it lacks"))
        .anySatisfy(
            w ->
                assertThat(w)
                    .startsWith("Applying RoleBinding payments/eks-access-rbac-admin")
                    .contains("to hold every rule of Role payments/rbac-admin"));
  }

  @Test
  void anAggregatedClusterRoleNeedsClusterAdminRulesOrEscalate() {
    IamRole deployer = IamRole.of("arn:aws:iam::111122223333:role/Deployer");
    FakeCluster prod = FakeCluster.awsAuth("prod");
    prod.seed(IdentityMapping.of(deployer).withUsername("deployer").withGroups(List.of("ci")));
    prod.seed(
        RbacBinding.clusterRoleBinding(
            "ci-edit", ClusterRole.EDIT, List.of(RbacSubject.group("ci"))));
    Grant aggregated =
        ClusterAccess.grant(DEV)
            .asGroup("acme:devs")
            .bind(ClusterRoleDefinition.aggregating("acme-view", Map.of("acme/view", "true")))
            .clusterWide();

    assertThat(actingAsDeployer(prod).plan(aggregated).warnings())
        .anySatisfy(
            w ->
                assertThat(w)
                    .startsWith("Applying ClusterRole acme-view needs")
                    .contains("every rule cluster-admin holds"));

    prod.seed(
        RbacRole.clusterRole(
            "role-escalator",
            List.of(
                PolicyRule.resources(
                    List.of("rbac.authorization.k8s.io"),
                    List.of("clusterroles"),
                    List.of("escalate", "bind")))));
    prod.seed(
        RbacBinding.clusterRoleBinding(
            "ci-escalate", ClusterRole.named("role-escalator"), List.of(RbacSubject.group("ci"))));
    assertThat(actingAsDeployer(prod).plan(aggregated).warnings()).isEmpty();
  }

  @Test
  void accessPoliciesAuthorizeBindButAreNotRulesTheApplierHolds() {
    IamRole deployer = IamRole.of("arn:aws:iam::111122223333:role/Deployer");
    FakeCluster prod = FakeCluster.accessEntries("prod");
    prod.seed(
        IdentityMapping.of(deployer)
            .withUsername("deployer")
            .withGroups(List.of("ci"))
            .withPolicy(new PolicyAssociation(AccessPolicy.EDIT, Scope.cluster())));

    // the EDIT policy lets the deployer read pods, but the API server never counts it as held
    assertThat(actingAsDeployer(prod).plan(DEVS_VIEW).warnings())
        .singleElement()
        .asString()
        .contains("to hold every rule of ClusterRole view or to have bind on it");

    prod.seed(
        IdentityMapping.of(deployer)
            .withUsername("deployer")
            .withGroups(List.of("ci"))
            .withPolicy(new PolicyAssociation(AccessPolicy.CLUSTER_ADMIN, Scope.cluster())));
    // cluster admin by policy: the authorizer allows bind, which is enough
    assertThat(actingAsDeployer(prod).plan(DEVS_VIEW).warnings()).isEmpty();
  }

  @Test
  void aGrantCanDefineTheRolesItBindsAndKeepsThemUpToDate() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    PolicyRule readWidgets =
        PolicyRule.resources(List.of("widgets.example.com"), List.of("widgets"), List.of("get"));
    ClusterRoleDefinition widgetReader = ClusterRoleDefinition.of("widget-reader", readWidgets);
    RoleDefinition deployer =
        RoleDefinition.of(
            Role.named("deployer").inNamespace("payments"),
            PolicyRule.resources(List.of("apps"), List.of("deployments"), List.of("update")));
    Grant grant =
        ClusterAccess.grant(DEV)
            .asGroup("acme:devs")
            .bind(widgetReader)
            .clusterWide()
            .and()
            .bind(deployer);

    Plan plan = prod.clusterAccess().plan(grant);

    assertThat(plan.changes())
        .extracting(Change::object)
        .containsSubsequence("ClusterRole widget-reader", "Role payments/deployer")
        .anySatisfy(o -> assertThat(o).startsWith("ClusterRoleBinding eks-access-widget-reader"))
        .anySatisfy(o -> assertThat(o).startsWith("RoleBinding payments/eks-access-deployer"));
    plan.apply();
    assertThat(prod.state().roles())
        .filteredOn(r -> r.name().equals("widget-reader"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.rules()).containsExactly(readWidgets);
              assertThat(r.labels()).containsEntry("app.kubernetes.io/managed-by", "eks-access");
            });
    assertThat(prod.clusterAccess().plan(grant).isEmpty()).isTrue();
    assertThat(
            prod.clusterAccess()
                .explain(
                    Caller.of("arn:aws:sts::111122223333:assumed-role/DevTeamRole/jane"),
                    Request.verb("get").resource("widgets").inApiGroup("widgets.example.com"))
                .allowed())
        .isTrue();

    Grant wider =
        ClusterAccess.grant(DEV)
            .asGroup("acme:devs")
            .bind(
                ClusterRoleDefinition.of(
                    "widget-reader",
                    readWidgets,
                    PolicyRule.resources(
                        List.of("widgets.example.com"), List.of("widgets"), List.of("list"))))
            .clusterWide();
    assertThat(prod.clusterAccess().plan(wider).changes())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.action()).isEqualTo(Change.Action.UPDATE);
              assertThat(c.object()).isEqualTo("ClusterRole widget-reader");
            });
  }

  @Test
  void aRoleDefinitionNeverTakesOverARoleEksAccessDidNotCreate() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    prod.seed(
        RbacRole.clusterRole(
            "widget-reader",
            List.of(PolicyRule.resources(List.of(""), List.of("secrets"), List.of("get")))));
    Grant grant =
        ClusterAccess.grant(DEV)
            .asGroup("acme:devs")
            .bind(
                ClusterRoleDefinition.of(
                    "widget-reader",
                    PolicyRule.resources(List.of(""), List.of("pods"), List.of("get"))))
            .clusterWide();

    var e =
        catchThrowableOfType(InvalidInputException.class, () -> prod.clusterAccess().plan(grant));

    assertThat(e.getMessage())
        .contains("ClusterRole widget-reader")
        .contains("not managed by eks-access");
    assertThat(prod).hasNoWrites();
  }

  @Test
  void roleDefinitionsRefuseWhatWouldSurprise() {
    PolicyRule pods = PolicyRule.resources(List.of(""), List.of("pods"), List.of("get"));
    assertThat(
            catchThrowableOfType(
                    InvalidInputException.class, () -> ClusterRoleDefinition.of("view", pods))
                .getMessage())
        .contains("is a built-in ClusterRole");
    assertThat(
            catchThrowableOfType(
                    InvalidInputException.class,
                    () ->
                        new ClusterRoleDefinition(
                            ClusterRole.named("both"), List.of(pods), List.of(Map.of("a", "b"))))
                .getMessage())
        .contains("has both rules and an aggregation rule");
    assertThat(
            catchThrowableOfType(
                    InvalidInputException.class,
                    () -> ClusterRoleDefinition.aggregating("everything", Map.of()))
                .getMessage())
        .contains("matches every ClusterRole");
    Grant one =
        ClusterAccess.grant(DEV)
            .asGroup("a")
            .bind(ClusterRoleDefinition.of("twice", pods))
            .clusterWide();
    Grant other =
        ClusterAccess.grant(ADMIN)
            .asGroup("b")
            .bind(
                ClusterRoleDefinition.of(
                    "twice", PolicyRule.resources(List.of(""), List.of("pods"), List.of("list"))))
            .clusterWide();
    assertThat(
            catchThrowableOfType(
                    InvalidInputException.class,
                    () -> FakeCluster.awsAuth("prod").clusterAccess().plan(one, other))
                .getMessage())
        .contains("is defined twice with different rules");
  }

  @Test
  void aPlanAppliedTwiceWritesOnce() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    Plan plan = prod.clusterAccess().plan(DEVS_VIEW);

    assertThat(plan.apply().writes()).isEqualTo(2);
    ApplyResult again = plan.apply();

    assertThat(again.writes()).isZero();
    assertThat(again.isNoOp()).isTrue();
    assertThat(prod.requests()).filteredOn(RecordedRequest::isWrite).hasSize(2);
  }

  @Test
  void grantsAddToWhatAPrincipalHas() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    prod.seed(IdentityMapping.of(DEV).withUsername("dev").withGroups(List.of("acme:old")));

    Plan plan = prod.clusterAccess().plan(DEVS_VIEW);

    assertThat(plan.changes().get(0).action()).isEqualTo(Change.Action.UPDATE);
    assertThat(plan.changes().get(0).details()).containsExactly("groups + acme:devs");
    plan.apply();
    assertThat(prod.state().mappings())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.groups()).containsExactly("acme:old", "acme:devs");
              assertThat(m.username()).contains("dev");
            });
  }

  @Test
  void twoUsernamesForOnePrincipalAreRefused() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    Grant a = ClusterAccess.grant(DEV).asUser("a").bind(ClusterRole.VIEW).clusterWide();
    Grant b = ClusterAccess.grant(DEV).asUser("b").bind(ClusterRole.VIEW).clusterWide();
    var e =
        catchThrowableOfType(InvalidInputException.class, () -> prod.clusterAccess().plan(a, b));
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_GRANT);
    assertThat(e.getMessage()).contains("second username");
    assertThat(prod).hasNoWrites();
  }

  @Test
  void anAccessPolicyOnAwsAuthIsUnsupportedNotDropped() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    Grant g = ClusterAccess.grant(DEV).asGroup("acme:devs").bind(AccessPolicy.VIEW).clusterWide();
    var e =
        catchThrowableOfType(UnsupportedGrantException.class, () -> prod.clusterAccess().plan(g));
    assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_BY_BACKEND);
    assertThat(e.missing()).isEqualTo(Capability.ACCESS_POLICIES);
    assertThat(e.getMessage()).contains("aws-auth").contains("ClusterRole.VIEW");
    assertThat(prod).hasNoWrites();
  }

  @Test
  void accessPoliciesMergeTheirScopesOnAccessEntries() {
    FakeCluster prod = FakeCluster.accessEntries("prod");
    ClusterAccess ca = prod.clusterAccess();
    ca.plan(ClusterAccess.grant(DEV).asGroup("acme:devs").bind(AccessPolicy.VIEW).inNamespace("a"))
        .apply();
    Plan more =
        ca.plan(
            ClusterAccess.grant(DEV).asGroup("acme:devs").bind(AccessPolicy.VIEW).inNamespace("b"));

    assertThat(more.changes())
        .singleElement()
        .satisfies(
            c ->
                assertThat(c.details())
                    .containsExactly(
                        "policy ~ AmazonEKSViewPolicy in namespaces a → in namespaces a, b"));
    more.apply();
    assertThat(prod.state().mappings().get(0).policies())
        .containsExactly(new PolicyAssociation(AccessPolicy.VIEW, Scope.namespaces("a", "b")));
  }

  @Test
  void aWildcardScopeIsForAccessPoliciesNotForRoleBindings() {
    FakeCluster prod = FakeCluster.accessEntries("prod");
    ClusterAccess ca = prod.clusterAccess();

    var e =
        catchThrowableOfType(
            InvalidInputException.class,
            () ->
                ca.plan(
                    ClusterAccess.grant(DEV)
                        .asGroup("acme:devs")
                        .bind(ClusterRole.VIEW)
                        .inNamespace("dev-*")));
    assertThat(e.getMessage()).contains("only EKS access policies understand");

    ca.plan(
            ClusterAccess.grant(DEV)
                .asGroup("acme:devs")
                .bind(AccessPolicy.VIEW)
                .inNamespace("dev-*"))
        .apply();
    assertThat(
            ca.explain(
                    Caller.of("arn:aws:sts::111122223333:assumed-role/DevTeamRole/jane"),
                    Request.verb("get").resource("pods").inNamespace("dev-payments"))
                .allowed())
        .isTrue();
  }

  @Test
  void systemGroupsAreRefusedOnAccessEntriesBeforeAnyWrite() {
    FakeCluster prod = FakeCluster.accessEntries("prod");
    var e =
        catchThrowableOfType(
            InvalidInputException.class,
            () ->
                prod.clusterAccess()
                    .plan(
                        ClusterAccess.grant(DEV)
                            .asGroup("system:viewers")
                            .bind(ClusterRole.VIEW)
                            .clusterWide()));
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_GROUP);
    assertThat(e.problems())
        .singleElement()
        .satisfies(p -> assertThat(p.location()).endsWith("groups[0]"));
    assertThat(e.getMessage()).contains("AccessPolicy.CLUSTER_ADMIN");
    assertThat(prod).hasNoWrites();
  }

  @Test
  void aRoleBindingToARoleLandsInItsNamespace() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    prod.seed(RbacRole.role("ci", "deployer", List.of()));
    Grant g =
        ClusterAccess.grant(DEV)
            .asGroup("acme:deploy")
            .bind(Role.named("deployer").inNamespace("ci"));
    prod.clusterAccess().plan(g).apply();
    assertThat(prod.state().bindings())
        .filteredOn(b -> b.namespace().equals("ci"))
        .singleElement()
        .satisfies(
            b -> assertThat(b.roleRef()).isEqualTo(Role.named("deployer").inNamespace("ci")));
  }

  @Test
  void aMissingClusterRoleIsRefusedUnlessForced() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    Plan plan =
        prod.clusterAccess()
            .plan(
                ClusterAccess.grant(DEV)
                    .asGroup("acme:sre")
                    .bind(ClusterRole.named("sre-debug"))
                    .clusterWide());
    assertThat(plan.violations())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.guard()).isEqualTo(Guard.MISSING_ROLE);
              assertThat(v.message()).contains("sre-debug").contains("does not exist");
            });
    var e = catchThrowableOfType(UnsafeChangeException.class, plan::apply);
    assertThat(e.code()).isEqualTo(ErrorCode.MISSING_ROLE);
    assertThat(prod).hasNoWrites();

    plan.force(Guard.MISSING_ROLE).apply();
    assertThat(prod.state().bindings())
        .anyMatch(b -> b.roleRef().equals(ClusterRole.named("sre-debug")));
  }

  @Test
  void bindingsTheSdkDoesNotOwnAreNeverChanged() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    Plan plan = prod.clusterAccess().plan(DEVS_VIEW);
    String name = plan.changes().get(1).object().substring("RoleBinding prod-apps/".length());
    prod.seed(
        RbacBinding.roleBinding(
            "prod-apps", name, ClusterRole.VIEW, List.of(RbacSubject.group("someone-else"))));
    var e =
        catchThrowableOfType(
            InvalidInputException.class, () -> prod.clusterAccess().plan(DEVS_VIEW));
    assertThat(e.getMessage()).contains("not managed by eks-access");
  }

  @Test
  void planJsonIsMachineReadable() throws Exception {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    prod.seed(IdentityMapping.of(ADMIN).withGroups(List.of("system:masters")));
    Plan plan = prod.clusterAccess().planRevoke(ADMIN);
    JsonNode json = new ObjectMapper().readTree(plan.toJson());
    assertThat(json.get("cluster").asText()).isEqualTo("prod");
    assertThat(json.get("empty").asBoolean()).isFalse();
    assertThat(json.get("changes").get(0).get("action").asText()).isEqualTo("DELETE");
    assertThat(json.get("violations").get(0).get("guard").asText()).isEqualTo("LAST_ADMIN");
    assertThat(json.get("violations").get(0).get("forced").asBoolean()).isFalse();
    assertThat(
            new ObjectMapper()
                .readTree(plan.force(Guard.LAST_ADMIN).toJson())
                .get("violations")
                .get(0)
                .get("forced")
                .asBoolean())
        .isTrue();
  }

  @Test
  void revokeRemovesTheMappingAndTheBindingsNobodyUsesAnyMore() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    prod.seed(IdentityMapping.of(ADMIN).withGroups(List.of("system:masters")));
    IamUser jane = IamUser.of("arn:aws:iam::111122223333:user/jane");
    ClusterAccess ca = prod.clusterAccess();
    ca.plan(
            DEVS_VIEW,
            ClusterAccess.grant(jane)
                .asGroup("acme:devs")
                .bind(ClusterRole.VIEW)
                .inNamespace("prod-apps"))
        .apply();

    Plan first = ca.planRevoke(DEV);
    assertThat(first.changes())
        .extracting(Change::layer, Change::action)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Change.Layer.IDENTITY, Change.Action.DELETE),
            org.assertj.core.groups.Tuple.tuple(Change.Layer.RBAC, Change.Action.UPDATE));
    assertThat(first.changes().get(1).details())
        .containsExactly("granted for - " + DEV.arn().value());
    first.apply();
    assertThat(prod.state().bindings())
        .filteredOn(b -> b.namespace().equals("prod-apps"))
        .singleElement()
        .satisfies(b -> assertThat(GrantedFor.arns(b)).containsExactly(jane.arn().value()));

    Plan second = ca.planRevoke(jane);
    assertThat(second.changes())
        .extracting(Change::layer, Change::action)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Change.Layer.IDENTITY, Change.Action.DELETE),
            org.assertj.core.groups.Tuple.tuple(Change.Layer.RBAC, Change.Action.DELETE));
    second.apply();
    assertThat(prod.state().bindings()).noneMatch(b -> b.namespace().equals("prod-apps"));
    assertThat(ca.planRevoke(jane).warnings())
        .singleElement()
        .asString()
        .contains("nothing to revoke");
  }

  @Test
  void aRevokeWhoseRbacWriteLosesARaceStillCleansUpTheBindingsOnRetry() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    prod.seed(IdentityMapping.of(ADMIN).withGroups(List.of("system:masters")));
    prod.clusterAccess().plan(DEVS_VIEW).apply();
    RbacBinding unrelated =
        RbacBinding.roleBinding(
            "other", "theirs", ClusterRole.EDIT, List.of(RbacSubject.group("ops")));
    boolean[] raced = {false};
    RbacBackend racing =
        new RbacBackend() {
          @Override
          public String name() {
            return prod.rbac().name();
          }

          @Override
          public dev.eksaccess.api.spi.RbacSnapshot read() {
            return prod.rbac().read();
          }

          @Override
          public WriteResult write(RbacChanges changes) {
            if (!raced[0]) {
              // another pipeline writes between our read and our write: an object of its own,
              // and a label on the very binding this revoke removes
              raced[0] = true;
              prod.seed(unrelated);
              RbacBinding ours =
                  prod.state().bindings().stream()
                      .filter(b -> b.namespace().equals("prod-apps"))
                      .findFirst()
                      .orElseThrow();
              Map<String, String> labels = new java.util.HashMap<>(ours.labels());
              labels.put("team", "devs");
              prod.seed(ours.withLabels(labels));
            }
            return prod.rbac().write(changes);
          }
        };
    ClusterAccess ca =
        ClusterAccess.builder()
            .clusterName("prod")
            .identities(prod.identities())
            .rbac(racing)
            .build();
    Plan revoke = ca.planRevoke(DEV);
    assertThat(revoke.changes())
        .extracting(Change::layer)
        .containsExactly(Change.Layer.IDENTITY, Change.Layer.RBAC);

    ApplyResult result = revoke.apply();

    assertThat(raced[0]).isTrue();
    assertThat(result.applied()).containsExactlyInAnyOrderElementsOf(revoke.changes());
    assertThat(prod.state().mappings())
        .extracting(IdentityMapping::principal)
        .containsExactly(ADMIN);
    assertThat(prod.state().bindings()).noneMatch(b -> b.namespace().equals("prod-apps"));
    assertThat(prod.state().bindings()).contains(unrelated);
    assertThat(ca.planRevoke(DEV).changes()).isEmpty();
  }

  @Test
  void removingTheLastAdminIsRefusedAndWritesNothing() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    prod.seed(IdentityMapping.of(ADMIN).withGroups(List.of("system:masters")));

    Plan plan = prod.clusterAccess().planRevoke(ADMIN);
    var e = catchThrowableOfType(UnsafeChangeException.class, plan::apply);

    assertThat(e.code()).isEqualTo(ErrorCode.LOCKOUT_LAST_ADMIN);
    assertThat(e.violations()).extracting(v -> v.guard()).containsExactly(Guard.LAST_ADMIN);
    assertThat(e.getMessage())
        .contains("lock every administrator out")
        .contains(".force(Guard.LAST_ADMIN)");
    assertThat(prod).hasNoWrites();
    assertThat(plan.toString()).contains("! refused LAST_ADMIN");

    plan.force(Guard.LAST_ADMIN).apply();
    assertThat(prod.state().mappings()).isEmpty();
  }

  @Test
  void removingOneOfTwoAdminsIsFine() {
    FakeCluster prod = FakeCluster.accessEntries("prod");
    IamRole other = IamRole.of("arn:aws:iam::111122223333:role/Admin2");
    prod.seed(
        IdentityMapping.of(ADMIN)
            .withPolicies(
                List.of(new PolicyAssociation(AccessPolicy.CLUSTER_ADMIN, Scope.cluster()))));
    prod.seed(IdentityMapping.of(other).withGroups(List.of("acme:admins")));
    prod.seed(
        RbacBinding.clusterRoleBinding(
            "admins", ClusterRole.CLUSTER_ADMIN, List.of(RbacSubject.group("acme:admins"))));

    Plan plan = prod.clusterAccess().planRevoke(ADMIN);
    assertThat(plan.violations()).isEmpty();
    plan.apply();
    // the RBAC-bound admin is now the last one
    assertThat(prod.clusterAccess().planRevoke(other).violations())
        .extracting(v -> v.guard())
        .containsExactly(Guard.LAST_ADMIN);
  }

  @Test
  void anAccessPolicyAdminScopedToANamespaceIsNotAClusterAdmin() {
    FakeCluster prod = FakeCluster.accessEntries("prod");
    prod.seed(
        IdentityMapping.of(ADMIN)
            .withPolicies(
                List.of(new PolicyAssociation(AccessPolicy.CLUSTER_ADMIN, Scope.namespaces("a")))));
    assertThat(prod.clusterAccess().planRevoke(ADMIN).violations()).isEmpty();
  }

  @Test
  void removingANodeRoleIsRefusedAndWritesNothing() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    prod.seed(
        IdentityMapping.of(NODES)
            .withUsername("system:node:{{EC2PrivateDNSName}}")
            .withGroups(List.of("system:bootstrappers", "system:nodes")));

    var e =
        catchThrowableOfType(
            UnsafeChangeException.class, () -> prod.clusterAccess().planRevoke(NODES).apply());

    assertThat(e.code()).isEqualTo(ErrorCode.LOCKOUT_NODE_ROLE);
    assertThat(e.getMessage())
        .contains("NodeInstanceRole")
        .contains("could no longer join")
        .contains(".force(Guard.NODE_ROLES)");
    assertThat(prod).hasNoWrites();
    prod.clusterAccess().planRevoke(NODES).force(Guard.NODE_ROLES).apply();
    assertThat(prod.state().mappings()).isEmpty();
  }

  @Test
  void grantingSystemMastersIsRefusedOutsideBreakGlass() {
    FakeCluster prod = FakeCluster.awsAuth("prod");

    // refused at the step that names it, before any plan
    var e =
        catchThrowableOfType(
            InvalidInputException.class, () -> ClusterAccess.grant(DEV).asGroup("system:masters"));

    assertThat(e.code()).isEqualTo(ErrorCode.SYSTEM_MASTERS_GRANT);
    assertThat(e.getMessage())
        .contains("bypass RBAC")
        .contains("ClusterRole.CLUSTER_ADMIN")
        .contains("ClusterAccess.breakGlass(role)");
    assertThat(prod).hasNoWrites();
  }

  @Test
  void forcingOneGuardDoesNotForceAnother() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    prod.seed(IdentityMapping.of(NODES).withGroups(List.of("system:masters", "system:nodes")));
    Plan plan = prod.clusterAccess().planRevoke(NODES);
    assertThat(plan.violations())
        .extracting(v -> v.guard())
        .containsExactlyInAnyOrder(Guard.NODE_ROLES, Guard.LAST_ADMIN);
    var e =
        catchThrowableOfType(
            UnsafeChangeException.class, () -> plan.force(Guard.NODE_ROLES).apply());
    assertThat(e.violations()).extracting(v -> v.guard()).containsExactly(Guard.LAST_ADMIN);
    assertThat(prod).hasNoWrites();
  }

  @Test
  void clusterAccessAndApplyResultReadWellInLogsAndJShell() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    ClusterAccess access = prod.clusterAccess();

    ApplyResult applied =
        access
            .plan(
                ClusterAccess.grant(DEV)
                    .asGroup("acme:devs")
                    .bind(ClusterRole.VIEW)
                    .inNamespace("prod-apps"))
            .apply();

    assertThat(access.toString())
        .startsWith("ClusterAccess[prod: identities ")
        .contains(", rbac ")
        .contains(", retries ");
    assertThat(applied.toString())
        .startsWith("applied 2 changes in ")
        .contains("\n  + mapping " + DEV.arn().value())
        .contains("\n  + RoleBinding prod-apps/");
    assertThat(
            access
                .plan(
                    ClusterAccess.grant(DEV)
                        .asGroup("acme:devs")
                        .bind(ClusterRole.VIEW)
                        .inNamespace("prod-apps"))
                .apply()
                .toString())
        .startsWith("applied nothing: the cluster already matched");
  }
}
