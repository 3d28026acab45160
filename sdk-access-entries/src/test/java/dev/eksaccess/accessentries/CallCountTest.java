package dev.eksaccess.accessentries;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.api.AccessPolicy;
import dev.eksaccess.api.Caller;
import dev.eksaccess.api.ClusterAccess;
import dev.eksaccess.api.ClusterRole;
import dev.eksaccess.api.Grant;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.Request;
import dev.eksaccess.api.RetryPolicy;
import dev.eksaccess.testkit.ClusterState;
import dev.eksaccess.testkit.FakeEksApi;
import dev.eksaccess.testkit.Fakes;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What each operation costs in EKS calls, counted from the wire fake's request log with the real
 * {@code EksClient}, at 10, 100 and 2,000 access entries: a grant, a re-plan, a revoke and an
 * explanation of one caller read only the principals they touch, so their cost does not grow with
 * the cluster. (BENCHMARKS.md shows the same counts with time at 20 ms per call.)
 */
class CallCountTest {
  static final String ACCOUNT = "111122223333";
  static final IamRole DEV = IamRole.of("arn:aws:iam::" + ACCOUNT + ":role/DevTeamRole");

  final FakeEksApi api = FakeEksApi.start().addCluster("prod", "API_AND_CONFIG_MAP");

  @AfterEach
  void stop() {
    api.close();
  }

  /** {@code n} entries: an admin with the cluster-admin policy, the rest with a group and view. */
  void seed(int n) {
    String admin = "arn:aws:iam::" + ACCOUNT + ":role/Admin";
    api.putEntry("prod", admin, "STANDARD", "admin", List.of());
    api.putPolicy("prod", admin, "AmazonEKSClusterAdminPolicy");
    for (int i = 1; i < n; i++) {
      String arn = "arn:aws:iam::" + ACCOUNT + ":role/team-" + i;
      api.putEntry("prod", arn, "STANDARD", "team-" + i, List.of("acme:team-" + i));
      api.putPolicy("prod", arn, "AmazonEKSViewPolicy", "team-" + i);
    }
  }

  ClusterAccess cluster() {
    return ClusterAccess.builder()
        .clusterName("prod")
        .identities(
            AccessEntries.builder(AccessEntriesBackendTest.client(api, 3), "prod")
                .consistencyRetry(RetryPolicy.of(5, Duration.ZERO, Duration.ofMillis(1)))
                .build())
        .rbac(Fakes.rbac(ClusterState.withDefaultRoles("prod")))
        .build();
  }

  long calls(Runnable r) {
    long before = api.requests().size();
    r.run();
    return api.requests().size() - before;
  }

  @ParameterizedTest(name = "{0} entries")
  @ValueSource(ints = {10, 100, 2_000})
  void aGrantAReplanARevokeAndAnExplanationCostTheSameAtAnySize(int entries) {
    seed(entries);
    ClusterAccess prod = cluster();
    prod.plan(ClusterAccess.grant(DEV).asGroup("warm-up").bind(ClusterRole.VIEW).clusterWide());
    Grant group =
        ClusterAccess.grant(DEV).asGroup("acme:devs").bind(ClusterRole.VIEW).inNamespace("apps");
    Grant policy =
        ClusterAccess.grant(IamRole.of("arn:aws:iam::" + ACCOUNT + ":role/Ops"))
            .asGroup("acme:ops")
            .bind(AccessPolicy.EDIT)
            .inNamespace("ops");

    long grantGroup = calls(() -> prod.plan(group).apply());
    long grantPolicy = calls(() -> prod.plan(policy).apply());
    long replan = calls(() -> assertThat(prod.plan(group, policy).isEmpty()).isTrue());
    long explain =
        calls(
            () ->
                assertThat(
                        prod.explain(
                                Caller.of(
                                    "arn:aws:sts::" + ACCOUNT + ":assumed-role/DevTeamRole/jane"),
                                Request.verb("get").resource("pods").inNamespace("apps"))
                            .allowed())
                    .isTrue());
    long revoke = calls(() -> prod.planRevoke(DEV).apply());

    // describe (404), re-check, create
    assertThat(grantGroup).as("grant with a group").isLessThanOrEqualTo(4);
    // + associate
    assertThat(grantPolicy).as("grant with an access policy").isLessThanOrEqualTo(5);
    // describe + list associated policies, each principal
    assertThat(replan).as("re-plan of both").isLessThanOrEqualTo(4);
    assertThat(explain).as("explain one caller").isLessThanOrEqualTo(2);
    // describe + policies; the last-admin guard does not arise (not an admin); re-check; delete
    assertThat(revoke).as("revoke").isLessThanOrEqualTo(6);
  }

  @ParameterizedTest(name = "{0} entries")
  @ValueSource(ints = {10, 100, 2_000})
  void aPartialRevokeCostsTheSameAtAnySize(int entries) {
    seed(entries);
    ClusterAccess prod = cluster();
    IamRole ops = IamRole.of("arn:aws:iam::" + ACCOUNT + ":role/Ops");
    prod.plan(
            ClusterAccess.grant(ops)
                .asGroup("acme:ops")
                .bind(AccessPolicy.EDIT)
                .inNamespaces("a", "b"),
            ClusterAccess.grant(ops).asGroup("acme:oncall").bind(ClusterRole.VIEW).clusterWide())
        .apply();

    long group = calls(() -> prod.plan(ClusterAccess.revoke(ops).group("acme:oncall")).apply());
    long narrow =
        calls(
            () ->
                prod.plan(
                        ClusterAccess.revoke(ops).accessPolicy(AccessPolicy.EDIT).inNamespace("a"))
                    .apply());
    long drop =
        calls(
            () ->
                prod.plan(ClusterAccess.revoke(ops).accessPolicy(AccessPolicy.EDIT).everywhere())
                    .apply());

    // describe + policies, re-check, update
    assertThat(group).as("a group").isLessThanOrEqualTo(5);
    // describe + policies, re-check, associate with the narrower scope
    assertThat(narrow).as("a namespace of a policy").isLessThanOrEqualTo(5);
    // describe + policies, re-check, disassociate
    assertThat(drop).as("a whole policy").isLessThanOrEqualTo(5);
    assertThat(api.count("ListAccessEntries")).as("no listing of every entry").isZero();
    assertThat(api.count("DisassociateAccessPolicy")).isEqualTo(1);
  }

  @ParameterizedTest(name = "{0} entries")
  @ValueSource(ints = {10, 100, 2_000})
  void revokingAnAdminAsksCheaplyWhetherAnotherStays(int entries) {
    seed(entries);
    String other = "arn:aws:iam::" + ACCOUNT + ":role/Admin2";
    api.putEntry("prod", other, "STANDARD", "admin2", List.of());
    api.putPolicy("prod", other, "AmazonEKSClusterAdminPolicy");
    ClusterAccess prod = cluster();

    long revoke =
        calls(
            () -> {
              var plan = prod.planRevoke(IamRole.of(other));
              assertThat(plan.violations()).isEmpty();
              plan.apply();
            });

    // describe + policies, ListAccessEntries by policy, describe + policies of one other admin,
    // re-check, delete
    assertThat(revoke).isLessThanOrEqualTo(10);
  }
}
