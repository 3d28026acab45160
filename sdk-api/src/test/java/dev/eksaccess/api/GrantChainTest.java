package dev.eksaccess.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

class GrantChainTest {
  private static final IamRole DEV = IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole");

  @Test
  void theIssueExampleBuildsAGrant() {
    Grant devs =
        ClusterAccess.grant(DEV)
            .asGroup("acme:devs")
            .bind(ClusterRole.VIEW)
            .inNamespace("prod-apps");
    assertThat(devs.principal()).isEqualTo(DEV);
    assertThat(devs.subject().groups()).containsExactly("acme:devs");
    assertThat(devs.subject().username()).isEmpty();
    assertThat(devs.bindings())
        .containsExactly(new Binding(ClusterRole.VIEW, Scope.namespaces("prod-apps")));
  }

  @Test
  void severalBindingsPerGrantWithAnd() {
    Grant g =
        ClusterAccess.grant(DEV)
            .asUser("dev:{{SessionName}}")
            .inGroups("acme:devs", "acme:readers")
            .bind(ClusterRole.VIEW)
            .inNamespaces("a", "b")
            .and()
            .bind(ClusterRole.EDIT)
            .inNamespace("dev")
            .and()
            .bind(AccessPolicy.VIEW)
            .clusterWide();
    assertThat(g.bindings())
        .containsExactly(
            new Binding(ClusterRole.VIEW, Scope.namespaces("a", "b")),
            new Binding(ClusterRole.EDIT, Scope.namespaces("dev")),
            new Binding(AccessPolicy.VIEW, Scope.cluster()));
    assertThat(g.subject().username()).contains("dev:{{SessionName}}");
  }

  @Test
  void partialChainsAreImmutableAndReusable() {
    Grant.BindStep devs = ClusterAccess.grant(DEV).asGroup("acme:devs");
    Grant view = devs.bind(ClusterRole.VIEW).inNamespace("a");
    Grant edit = devs.bind(ClusterRole.EDIT).inNamespace("b");
    assertThat(view.bindings()).hasSize(1);
    assertThat(edit.bindings()).hasSize(1);
    assertThat(view).isNotEqualTo(edit);
    assertThat(devs.bind(ClusterRole.VIEW).inNamespace("a"))
        .isEqualTo(view)
        .hasSameHashCodeAs(view);
  }

  @Test
  void aTemplatedUsernameAloneCannotBeBoundByRbac() {
    var e =
        catchThrowableOfType(
            InvalidInputException.class,
            () -> ClusterAccess.grant(DEV).asUser("dev:{{SessionName}}").bind(ClusterRole.VIEW));
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_GRANT);
    assertThat(e.getMessage()).contains(".inGroups(..)");
    // a plain username can be bound, and an access policy needs no RBAC subject
    assertThat(
            ClusterAccess.grant(DEV).asUser("jane").bind(ClusterRole.VIEW).clusterWide().bindings())
        .hasSize(1);
    assertThat(
            ClusterAccess.grant(DEV)
                .asUser("dev:{{SessionName}}")
                .bind(AccessPolicy.VIEW)
                .clusterWide()
                .bindings())
        .hasSize(1);
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose
  void nullsAreNamed() {
    var e = catchThrowableOfType(NullPointerException.class, () -> ClusterAccess.grant(null));
    assertThat(e).hasMessage("principal");
  }
}
