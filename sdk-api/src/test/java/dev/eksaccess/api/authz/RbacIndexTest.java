package dev.eksaccess.api.authz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.api.ClusterRole;
import dev.eksaccess.api.Request;
import dev.eksaccess.api.Role;
import dev.eksaccess.api.spi.PolicyRule;
import dev.eksaccess.api.spi.RbacBinding;
import dev.eksaccess.api.spi.RbacRole;
import dev.eksaccess.api.spi.RbacSnapshot;
import dev.eksaccess.api.spi.RbacSubject;
import dev.eksaccess.api.spi.Version;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RbacIndexTest {
  static final RbacRole READER =
      RbacRole.clusterRole(
          "reader",
          List.of(PolicyRule.resources(List.of(""), List.of("pods", "pods/log"), List.of("get"))));
  static final RbacRole WRITER =
      RbacRole.role(
          "team",
          "writer",
          List.of(PolicyRule.resources(List.of(""), List.of("pods"), List.of("*"))));

  static RbacSnapshot snapshot(List<RbacBinding> bindings) {
    return new RbacSnapshot(Version.of("1"), List.of(READER, WRITER), bindings);
  }

  static RbacBinding rb(String name, String ns, dev.eksaccess.api.RoleRef ref, RbacSubject... s) {
    return new RbacBinding(ns, name, ref, List.of(s), java.util.Map.of());
  }

  @Test
  void theSameSnapshotObjectGetsTheSameIndexBack() {
    RbacSnapshot s = snapshot(List.of());

    RbacIndex first = RbacIndex.of(s);

    assertThat(RbacIndex.of(s)).isSameAs(first);
    assertThat(RbacIndex.of(snapshot(List.of())))
        .as("an equal but different snapshot is indexed anew")
        .isNotSameAs(first);
  }

  @Test
  void whoCanListsEveryAllowingBindingInSnapshotOrderAcrossBothScopes() {
    RbacSnapshot s =
        snapshot(
            List.of(
                rb("r1", "team", ClusterRole.named("reader"), RbacSubject.group("devs")),
                rb("c1", "", ClusterRole.named("reader"), RbacSubject.group("oncall")),
                rb("w1", "team", Role.named("writer").inNamespace("team"), RbacSubject.user("al")),
                rb("gone", "team", ClusterRole.named("gone"), RbacSubject.user("ghost")),
                rb("other", "elsewhere", ClusterRole.named("reader"), RbacSubject.user("bo")),
                rb("c2", "", ClusterRole.named("reader"), RbacSubject.user("cy"))));
    RbacIndex index = RbacIndex.of(s);

    assertThat(index.bindingsAllowing(Request.verb("get").resource("pods").inNamespace("team")))
        .extracting(m -> m.binding().name())
        .containsExactly("r1", "c1", "w1", "c2");
    assertThat(index.bindingsAllowing(Request.verb("get").resource("pods")))
        .as("at cluster scope only ClusterRoleBindings count")
        .extracting(m -> m.binding().name())
        .containsExactly("c1", "c2");
    assertThat(index.bindingsAllowing(Request.verb("delete").resource("pods").inNamespace("team")))
        .singleElement()
        .satisfies(m -> assertThat(m.rule().verbs()).containsExactly("*"));
  }

  @Test
  void aDecisionNamesTheFirstBindingOfTheUsersOwnSubjectsThatAllows() {
    RbacSnapshot s =
        snapshot(
            List.of(
                rb("r1", "team", ClusterRole.named("reader"), RbacSubject.group("devs")),
                rb("r2", "team", ClusterRole.named("reader"), RbacSubject.group("devs")),
                rb(
                    "w1",
                    "team",
                    Role.named("writer").inNamespace("team"),
                    RbacSubject.group("devs")),
                rb(
                    "w2",
                    "team",
                    Role.named("writer").inNamespace("team"),
                    RbacSubject.group("devs"))));
    RbacIndex index = RbacIndex.of(s);

    assertThat(
            index.allows(
                "al", List.of("devs"), Request.verb("get").resource("pods").inNamespace("team")))
        .hasValueSatisfying(m -> assertThat(m.binding().name()).isEqualTo("r1"));
    assertThat(
            index.allows(
                "al", List.of("devs"), Request.verb("delete").resource("pods").inNamespace("team")))
        .hasValueSatisfying(m -> assertThat(m.binding().name()).isEqualTo("w1"));
    assertThat(
            index.bindingsFor(
                "al", List.of("devs"), Request.verb("delete").resource("pods").inNamespace("team")))
        .as("near misses still see every binding")
        .extracting(RbacBinding::name)
        .containsExactly("r1", "r2", "w1", "w2");
    assertThat(Arrays.stream(index.roleIdsFor("al", List.of("devs"), "team")).mapToObj(index::role))
        .containsExactly(READER, WRITER);
    assertThat(index.roleIdsFor("al", List.of("devs"), "")).isEmpty();
  }

  static Stream<Arguments> rules() {
    PolicyRule logs = PolicyRule.resources(List.of(""), List.of("pods/log"), List.of("get"));
    PolicyRule scale = PolicyRule.resources(List.of("*"), List.of("*/scale"), List.of("update"));
    PolicyRule dashed = PolicyRule.resources(List.of(""), List.of("pods-log"), List.of("get"));
    PolicyRule urls = PolicyRule.nonResourceUrls(List.of("/healthz*", "/metrics"), List.of("get"));
    Request podLog = Request.verb("get").resource("pods").subresource("log");
    return Stream.of(
        Arguments.of(logs, podLog, true),
        Arguments.of(logs, Request.verb("get").resource("pods"), false),
        Arguments.of(logs, Request.verb("get").resource("pods").subresource("logs"), false),
        Arguments.of(logs, Request.verb("get").resource("pod").subresource("log"), false),
        Arguments.of(dashed, podLog, false),
        Arguments.of(dashed, Request.verb("get").resource("pods-log"), true),
        Arguments.of(
            scale,
            Request.verb("update").resource("deployments").subresource("scale").inApiGroup("apps"),
            true),
        Arguments.of(
            scale, Request.verb("update").resource("deployments").inApiGroup("apps"), false),
        Arguments.of(scale, Request.verb("update").resource("pods").subresource("scales"), false),
        Arguments.of(urls, Request.verb("get").nonResourceUrl("/healthz"), true),
        Arguments.of(urls, Request.verb("get").nonResourceUrl("/healthzfoo"), true),
        Arguments.of(urls, Request.verb("get").nonResourceUrl("/health"), false),
        Arguments.of(urls, Request.verb("get").nonResourceUrl("/metrics"), true),
        Arguments.of(urls, Request.verb("get").nonResourceUrl("/metrics/x"), false));
  }

  @ParameterizedTest(name = "{0} / {1} → {2}")
  @MethodSource("rules")
  void rulesMatchAsKubeApiserverMatchesThem(PolicyRule rule, Request request, boolean expected) {
    assertThat(rule.allows(request)).isEqualTo(expected);
  }

  @Test
  void appliesComparesAServiceAccountByItsWholeUsername() {
    RbacBinding b =
        rb(
            "b",
            "team",
            ClusterRole.named("reader"),
            RbacSubject.serviceAccount("ci", "deployer"),
            RbacSubject.group("devs"));

    assertThat(RbacIndex.applies(b, "system:serviceaccount:ci:deployer", List.of())).isTrue();
    assertThat(RbacIndex.applies(b, "system:serviceaccount:ci:deployer2", List.of())).isFalse();
    assertThat(RbacIndex.applies(b, "system:serviceaccount:cix:deployer", List.of())).isFalse();
    assertThat(RbacIndex.applies(b, "system:serviceaccount:ci:deployer:x", List.of())).isFalse();
    assertThat(RbacIndex.applies(b, "deployer", List.of())).isFalse();
    assertThat(RbacIndex.applies(b, "al", List.of("devs"))).isTrue();
    assertThat(RbacIndex.applies(b, "devs", List.of())).as("a user is not a group").isFalse();
  }
}
