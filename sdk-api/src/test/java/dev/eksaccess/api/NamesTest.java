package dev.eksaccess.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {
  private static final IamRole DEV = IamRole.of("arn:aws:iam::111122223333:role/Dev");

  @ParameterizedTest
  @ValueSource(strings = {"acme:devs", "Dev Team", "dev-{{SessionName}}"})
  void goodGroups(String group) {
    assertThatNoException().isThrownBy(() -> ClusterAccess.grant(DEV).asGroup(group));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " acme:devs", "acme:devs ", "acme\ndevs", "acme:devs\n", "a\u0000b"})
  void badGroupsFailAtTheStepThatReceivedThem(String group) {
    var e =
        catchThrowableOfType(
            InvalidInputException.class, () -> ClusterAccess.grant(DEV).asGroup(group));
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_GROUP);
    assertThat(e.problems())
        .singleElement()
        .satisfies(p -> assertThat(p.location()).isEqualTo("groups[0]"));
  }

  @Test
  void everyBadGroupIsReportedWithItsIndex() {
    var e =
        catchThrowableOfType(
            InvalidInputException.class,
            () -> ClusterAccess.grant(DEV).asUser("dev").inGroups("ok", " lead", "ok2", "tail "));
    assertThat(e.problems())
        .extracting(InvalidInputException.Problem::location)
        .containsExactly("groups[1]", "groups[3]");
    assertThat(e.getMessage()).contains("\" lead\"").contains("remove it");
  }

  @Test
  void aMisspelledPlaceholderIsRefused() {
    var e =
        catchThrowableOfType(
            InvalidInputException.class,
            () -> ClusterAccess.grant(DEV).asUser("dev:{{SesionName}}"));
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_USERNAME);
    assertThat(e.getMessage()).contains("{{SesionName}}").contains("{{SessionName}}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " jane", "jane\n", "ja\tne"})
  void badUsernames(String username) {
    var e =
        catchThrowableOfType(
            InvalidInputException.class, () -> ClusterAccess.grant(DEV).asUser(username));
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_USERNAME);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "prod",
        "prod-apps",
        "a",
        "a1-b2",
        "x23456789012345678901234567890123456789012345678901234567890123"
      })
  void goodNamespaces(String ns) {
    assertThat(Scope.namespaces(ns).namespaces()).containsExactly(ns);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "Prod",
        "prod_apps",
        "-prod",
        "prod-",
        "prod.apps",
        "x234567890123456789012345678901234567890123456789012345678901234"
      })
  void badNamespaces(String ns) {
    var e =
        catchThrowableOfType(
            InvalidInputException.class,
            () -> ClusterAccess.grant(DEV).asGroup("g").bind(ClusterRole.VIEW).inNamespace(ns));
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_NAMESPACE);
    assertThat(e.getMessage()).contains("DNS-1123 label");
  }

  @Test
  void everyBadNamespaceIsReported() {
    var e =
        catchThrowableOfType(
            InvalidInputException.class, () -> Scope.namespaces("ok", "Bad", "also_bad"));
    assertThat(e.problems())
        .extracting(InvalidInputException.Problem::location)
        .containsExactly("namespaces[1]", "namespaces[2]");
  }

  @Test
  void anAccessPolicyScopeMayEndInAStarButABindingMayNot() {
    Scope dev = Scope.namespaces("dev-*");

    assertThat(dev.hasWildcard()).isTrue();
    assertThat(dev.covers("dev-payments")).isTrue();
    assertThat(dev.covers("prod")).isFalse();
    assertThat(dev.covers("")).isFalse();
    assertThat(Scope.namespaces("dev").covers("dev-payments")).isFalse();
    assertThat(
            catchThrowableOfType(InvalidInputException.class, () -> Scope.namespaces("Dev-*"))
                .problems())
        .singleElement()
        .satisfies(p -> assertThat(p.value()).isEqualTo("Dev-*"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"view", "system:discovery", "system:aggregate-to-view", "my.role"})
  void roleNamesFollowTheApiServerNotDns(String name) {
    assertThat(ClusterRole.named(name).name()).isEqualTo(name);
    assertThat(Role.named(name).inNamespace("prod").name()).isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".", "..", "a/b", "a%2f", " view", "view\n"})
  void badRoleNames(String name) {
    var e = catchThrowableOfType(InvalidInputException.class, () -> ClusterRole.named(name));
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_NAME);
  }

  @Test
  void aRoleIsNamespacedByConstruction() {
    Grant g =
        ClusterAccess.grant(DEV).asGroup("g").bind(Role.named("deployer").inNamespace("prod"));
    assertThat(g.bindings())
        .singleElement()
        .satisfies(b -> assertThat(b.scope().namespaces()).containsExactly("prod"));
    var e =
        catchThrowableOfType(
            InvalidInputException.class,
            () -> new Binding(Role.named("deployer").inNamespace("prod"), Scope.cluster()));
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_GRANT);
  }

  @Test
  void requestsRefuseMalformedParts() {
    assertThat(
            catchThrowableOfType(
                    InvalidInputException.class, () -> Request.verb("get").resource("pods/log"))
                .getMessage())
        .contains("subresource(\"log\")");
    assertThat(
            catchThrowableOfType(
                    InvalidInputException.class,
                    () -> Request.verb("get").nonResourceUrl("healthz"))
                .code())
        .isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(
            catchThrowableOfType(
                    InvalidInputException.class,
                    () -> Request.verb("get").nonResourceUrl("/healthz").inNamespace("a"))
                .code())
        .isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(catchThrowableOfType(InvalidInputException.class, () -> Request.verb(" get")).code())
        .isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(
            Request.verb("create")
                .resource("pods")
                .subresource("exec")
                .named("web-0")
                .inApiGroup("")
                .inNamespace("prod"))
        .hasToString("create pods/exec \"web-0\" in namespace prod");
    assertThat(List.of(Request.verb("get").nonResourceUrl("/healthz").toString()))
        .containsExactly("get /healthz");
  }
}
