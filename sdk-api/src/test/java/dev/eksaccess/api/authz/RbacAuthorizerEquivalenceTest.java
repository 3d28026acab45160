package dev.eksaccess.api.authz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.api.ClusterRole;
import dev.eksaccess.api.Request;
import dev.eksaccess.api.Role;
import dev.eksaccess.api.RoleRef;
import dev.eksaccess.api.spi.PolicyRule;
import dev.eksaccess.api.spi.RbacBinding;
import dev.eksaccess.api.spi.RbacRole;
import dev.eksaccess.api.spi.RbacSnapshot;
import dev.eksaccess.api.spi.RbacSubject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The indexed authorizer against the linear evaluator that reads every binding as kube-apiserver's
 * rule resolver does, on seeded random snapshots full of the awkward cases: wildcards, subresources
 * and {@code *}{@code /sub}, resourceNames, non-resource URLs, bindings to missing roles, a subject
 * named twice, ServiceAccounts and their groups, the same role bound many times and from both
 * binding kinds. Decisions, who-can and access matrices must agree cell for cell.
 */
class RbacAuthorizerEquivalenceTest {
  static final List<String> NAMESPACES = List.of("a", "b", "c");
  static final List<String> VERBS =
      List.of("get", "list", "watch", "create", "update", "delete", "escalate", "*");
  static final List<String> GROUPS = List.of("", "apps", "batch", "*");
  static final List<String> RESOURCES =
      List.of(
          "pods",
          "pods/log",
          "*/scale",
          "deployments",
          "deployments/scale",
          "secrets",
          "jobs",
          "widgets",
          "widgets.",
          "nodes",
          "namespaces",
          "*");
  static final List<String> URLS = List.of("/healthz", "/api/*", "/logs/**", "*");

  static IntStream seeds() {
    return IntStream.range(1, 41);
  }

  record World(RbacSnapshot snapshot, List<KubernetesUser> users, List<Request> requests) {}

  static World world(long seed) {
    Random rnd = new Random(seed);
    List<RbacRole> roles = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      roles.add(RbacRole.clusterRole("cr" + i, rules(rnd)));
    }
    for (String ns : NAMESPACES) {
      for (int i = 0; i < 2; i++) {
        roles.add(RbacRole.role(ns, "r" + i, rules(rnd)));
      }
    }
    if (rnd.nextBoolean()) { // a second ClusterRole of a name: the first one counts
      roles.add(RbacRole.clusterRole("cr0", rules(rnd)));
    }
    List<RbacBinding> bindings = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String ns = rnd.nextInt(3) == 0 ? "" : pick(rnd, NAMESPACES);
      RoleRef ref =
          ns.isEmpty() || rnd.nextBoolean()
              ? ClusterRole.named(rnd.nextInt(8) == 0 ? "gone" : "cr" + rnd.nextInt(6))
              : Role.named(rnd.nextInt(8) == 0 ? "gone" : "r" + rnd.nextInt(2)).inNamespace(ns);
      List<RbacSubject> subjects = new ArrayList<>();
      int n = 1 + rnd.nextInt(3);
      for (int s = 0; s < n; s++) {
        subjects.add(subject(rnd));
      }
      if (rnd.nextInt(5) == 0) {
        subjects.add(subjects.get(0)); // named twice
      }
      bindings.add(new RbacBinding(ns, "b" + i, ref, subjects, Map.of()));
    }
    List<KubernetesUser> users = new ArrayList<>();
    for (int u = 0; u < 4; u++) {
      List<String> groups = new ArrayList<>();
      for (int g = 0; g < 4; g++) {
        if (rnd.nextBoolean()) {
          groups.add("g" + g);
        }
      }
      users.add(new KubernetesUser("u" + u, groups));
    }
    users.add(KubernetesUser.serviceAccount("a", "s0"));
    users.add(KubernetesUser.serviceAccount("b", "s1"));
    users.add(KubernetesUser.of("system:anonymous"));
    users.add(KubernetesUser.of("root", "system:masters"));
    List<Request> requests = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      requests.add(request(rnd));
    }
    return new World(RbacSnapshot.of(roles, bindings), users, requests);
  }

  static List<PolicyRule> rules(Random rnd) {
    List<PolicyRule> rules = new ArrayList<>();
    int n = 1 + rnd.nextInt(3);
    for (int i = 0; i < n; i++) {
      List<String> verbs = some(rnd, VERBS, 1 + rnd.nextInt(2));
      if (rnd.nextInt(6) == 0) {
        rules.add(PolicyRule.nonResourceUrls(some(rnd, URLS, 1 + rnd.nextInt(2)), verbs));
        continue;
      }
      PolicyRule r =
          PolicyRule.resources(
              some(rnd, GROUPS, 1 + rnd.nextInt(2)),
              some(rnd, RESOURCES, 1 + rnd.nextInt(3)),
              verbs);
      rules.add(rnd.nextInt(5) == 0 ? r.withResourceNames(List.of("x")) : r);
    }
    return rules;
  }

  static RbacSubject subject(Random rnd) {
    return switch (rnd.nextInt(6)) {
      case 0 -> RbacSubject.user("u" + rnd.nextInt(4));
      case 1 -> RbacSubject.serviceAccount(pick(rnd, NAMESPACES), "s" + rnd.nextInt(2));
      case 2 ->
          RbacSubject.group(
              pick(
                  rnd,
                  List.of(
                      "system:authenticated",
                      "system:unauthenticated",
                      "system:serviceaccounts",
                      "system:serviceaccounts:a")));
      default -> RbacSubject.group("g" + rnd.nextInt(4));
    };
  }

  static Request request(Random rnd) {
    String verb = pick(rnd, List.of("get", "list", "create", "update", "delete", "escalate"));
    if (rnd.nextInt(8) == 0) {
      return Request.verb(verb)
          .nonResourceUrl(pick(rnd, List.of("/healthz", "/api", "/api/v1", "/logs/x", "/other")));
    }
    Request r =
        Request.verb(verb)
            .resource(pick(rnd, List.of("pods", "deployments", "secrets", "widgets", "nodes")));
    if (rnd.nextInt(3) == 0) {
      r = r.subresource(pick(rnd, List.of("log", "scale", "status")));
    }
    String group = pick(rnd, GROUPS);
    if (!group.isEmpty() && !group.equals("*")) {
      r = r.inApiGroup(group);
    }
    if (rnd.nextInt(4) == 0) {
      r = r.named(pick(rnd, List.of("x", "y")));
    }
    if (rnd.nextInt(4) != 0) {
      r = r.inNamespace(pick(rnd, NAMESPACES));
    }
    return r;
  }

  static <T> T pick(Random rnd, List<T> from) {
    return from.get(rnd.nextInt(from.size()));
  }

  static <T> List<T> some(Random rnd, List<T> from, int n) {
    Set<T> out = new LinkedHashSet<>();
    while (out.size() < n) {
      out.add(pick(rnd, from));
    }
    return List.copyOf(out);
  }

  /** kube-apiserver: system:masters first, then every binding read in turn. */
  static boolean linear(World w, KubernetesUser user, Request request) {
    return user.effectiveGroups().contains("system:masters")
        || LinearEvaluator.allows(w.snapshot(), user.name(), user.effectiveGroups(), request)
            .isPresent();
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void decisionsAgreeWithTheLinearEvaluator(int seed) {
    World w = world(seed);
    RbacAuthorizer rbac = RbacAuthorizer.of(w.snapshot());

    for (KubernetesUser user : w.users()) {
      for (Request request : w.requests()) {
        RbacDecision d = rbac.decide(user, request);
        assertThat(d.allowed()).as("%s: %s", user, request).isEqualTo(linear(w, user, request));
        if (d.allowed() && d.binding().isPresent()) {
          assertThat(d.rule().orElseThrow().allows(request)).isTrue();
          assertThat(d.binding().get().subjects())
              .anySatisfy(s -> assertThat(s).isIn(subjectsOf(user)));
        }
        if (!d.allowed()) {
          assertThat(d.nearMisses()).isNotEmpty().isEqualTo(List.copyOf(d.nearMisses()));
        }
      }
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void whoCanAgreesWithReadingEveryBinding(int seed) {
    World w = world(seed);
    RbacAuthorizer rbac = RbacAuthorizer.of(w.snapshot());
    var spi = w.snapshot();

    for (Request request : w.requests()) {
      List<String> expected = new ArrayList<>();
      expected.add(RbacSubject.group("system:masters") + "||");
      boolean roleBindingsCount = !request.namespace().isEmpty() && !request.isNonResource();
      for (RbacBinding b : w.snapshot().bindings()) {
        if (!b.isClusterRoleBinding()
            && !(roleBindingsCount && b.namespace().equals(request.namespace()))) {
          continue;
        }
        Optional<RbacRole> role = LinearEvaluator.roleOf(spi, b);
        Optional<PolicyRule> rule =
            role.flatMap(r -> r.rules().stream().filter(x -> x.allows(request)).findFirst());
        if (rule.isPresent()) {
          for (RbacSubject s : b.subjects()) {
            expected.add(s + "|" + b.name() + "|" + rule.get());
          }
        }
      }

      assertThat(rbac.whoCan(request))
          .extracting(
              a ->
                  a.subject()
                      + "|"
                      + a.binding().map(RbacBinding::name).orElse("")
                      + "|"
                      + a.rule().map(PolicyRule::toString).orElse(""))
          .as("%s", request)
          .containsExactlyElementsOf(expected);
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void everyMatrixCellIsTheDecisionOnThatCell(int seed) {
    World w = world(seed);
    RbacAuthorizer rbac = RbacAuthorizer.of(w.snapshot());
    List<String> scopes = new ArrayList<>(NAMESPACES);
    scopes.add("");

    for (KubernetesUser user : w.users()) {
      for (String scope : scopes) {
        AccessMatrix m = rbac.accessMatrix(user, scope);

        assertThat(List.copyOf(m.allowed().keySet()))
            .isSorted()
            .containsAll(namedResources(w, scope));
        m.allowed()
            .forEach(
                (name, verbs) -> {
                  int dot = name.indexOf('.');
                  for (String verb : RbacAuthorizer.MATRIX_VERBS) {
                    Request r =
                        Request.verb(verb).resource(dot < 0 ? name : name.substring(0, dot));
                    if (dot >= 0 && dot < name.length() - 1) {
                      r = r.inApiGroup(name.substring(dot + 1));
                    }
                    if (!scope.isEmpty()) {
                      r = r.inNamespace(scope);
                    }
                    assertThat(verbs.contains(verb))
                        .as(
                            "%s in %s: %s %s",
                            user, scope.isEmpty() ? "cluster" : scope, verb, name)
                        .isEqualTo(linear(w, user, r));
                  }
                });
      }
    }
  }

  /** The resources a matrix lists beyond the built-in ones, as a matrix has always named them. */
  static Set<String> namedResources(World w, String scope) {
    Set<String> out = new LinkedHashSet<>();
    for (RbacRole r : w.snapshot().roles()) {
      for (PolicyRule rule : r.rules()) {
        for (String res : rule.resources()) {
          for (String g : rule.apiGroups()) {
            if (!res.contains("*") && !res.contains("/") && !g.equals("*")) {
              String name = g.isEmpty() ? res : res + "." + g;
              if (!scope.isEmpty() && (name.equals("nodes") || name.equals("namespaces"))) {
                continue; // cluster-scoped built-ins appear at cluster scope only
              }
              out.add(name);
            }
          }
        }
      }
    }
    return out;
  }

  static Set<RbacSubject> subjectsOf(KubernetesUser user) {
    Set<RbacSubject> out = new LinkedHashSet<>();
    out.add(RbacSubject.user(user.name()));
    user.effectiveGroups().forEach(g -> out.add(RbacSubject.group(g)));
    String prefix = "system:serviceaccount:";
    if (user.name().startsWith(prefix)) {
      String rest = user.name().substring(prefix.length());
      int colon = rest.indexOf(':');
      out.add(RbacSubject.serviceAccount(rest.substring(0, colon), rest.substring(colon + 1)));
    }
    return out;
  }
}
