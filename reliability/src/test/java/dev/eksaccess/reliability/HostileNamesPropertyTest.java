package dev.eksaccess.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.accessentries.AccessEntries;
import dev.eksaccess.api.ClusterAccess;
import dev.eksaccess.api.ClusterRole;
import dev.eksaccess.api.EksAccessException;
import dev.eksaccess.api.Grant;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.Plan;
import dev.eksaccess.api.spi.RbacBinding;
import dev.eksaccess.api.spi.RbacSubject;
import dev.eksaccess.awsauth.AwsAuth;
import dev.eksaccess.rbac.Rbac;
import dev.eksaccess.testkit.FakeEksApi;
import dev.eksaccess.testkit.FakeKubeApi;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.AccessEntry;

/**
 * Hostile names through the public API, as a platform service that passes a requester's values into
 * a grant would: strings from every Unicode category, YAML indicators, template braces and reserved
 * prefixes, as a group, a username and a second group, on aws-auth (the real Kubernetes client
 * against {@link FakeKubeApi}) and on Access Entries (the real {@code EksClient} against {@link
 * FakeEksApi}). Each is either refused with an SDK exception and nothing written, or stored and
 * read back, by a YAML 1.1 reader (as EKS's aws-iam-authenticator) and by a YAML 1.2 reader, as
 * exactly the intended value; a stored group is a RoleBinding subject exactly. A fixed seed per
 * case, so a failure names the seed that reproduces it. Each case costs two real plans and writes
 * over HTTP, so there are 60 here; {@link HostileNamesOfflinePropertyTest} checks 5,000 more
 * without a cluster.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileNamesPropertyTest {
  static final int SEEDS = 60;

  /** Where the hostile string goes in the grant. */
  enum Position {
    GROUP,
    USERNAME,
    SECOND_GROUP
  }

  /** How an attempt ended. */
  enum Outcome {
    STORED,
    REFUSED_AT_CHAIN,
    REFUSED_AT_PLAN,
    REFUSED_AT_APPLY
  }

  final Map<Outcome, AtomicInteger> outcomes = new EnumMap<>(Outcome.class);
  final List<String> appliedThenRefused = new ArrayList<>();
  final Map<String, String> boundOnAwsAuth = new LinkedHashMap<>();
  final Map<String, String> boundOnAccessEntries = new LinkedHashMap<>();

  FakeKubeApi awsAuthKube;
  ApiClient awsAuthClient;
  ClusterAccess awsAuth;
  FakeKubeApi accessEntriesKube;
  ApiClient accessEntriesClient;
  FakeEksApi eksApi;
  EksClient eks;
  ClusterAccess accessEntries;

  @BeforeAll
  void start() {
    for (Outcome o : Outcome.values()) {
      outcomes.put(o, new AtomicInteger());
    }
    awsAuthKube = cluster();
    awsAuthClient = new ClientBuilder().setBasePath(awsAuthKube.baseUrl()).build();
    awsAuth =
        ClusterAccess.builder()
            .clusterName("prod")
            .identities(AwsAuth.backend(awsAuthClient))
            .rbac(Rbac.backend(awsAuthClient))
            .build();
    accessEntriesKube = cluster();
    accessEntriesClient = new ClientBuilder().setBasePath(accessEntriesKube.baseUrl()).build();
    eksApi = FakeEksApi.start().addCluster("prod", "API_AND_CONFIG_MAP");
    eks =
        EksClient.builder()
            .endpointOverride(URI.create(eksApi.baseUrl()))
            .region(Region.US_WEST_2)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
            .build();
    accessEntries =
        ClusterAccess.builder()
            .clusterName("prod")
            .identities(AccessEntries.backend(eks, "prod"))
            .rbac(Rbac.backend(accessEntriesClient))
            .build();
  }

  /** A fake API server as a cluster has it: the namespace the grants bind in, and {@code view}. */
  static FakeKubeApi cluster() {
    FakeKubeApi api = FakeKubeApi.start().addNamespace("apps");
    api.putObject(
        "clusterroles",
        "",
        "{\"metadata\":{\"name\":\"view\"},\"rules\":[{\"apiGroups\":[\"\"],"
            + "\"resources\":[\"pods\"],\"verbs\":[\"get\"]}]}");
    return api;
  }

  @AfterAll
  void stop() {
    assertBound(awsAuthClient, boundOnAwsAuth);
    assertBound(accessEntriesClient, boundOnAccessEntries);
    eks.close();
    eksApi.close();
    accessEntriesKube.close();
    awsAuthKube.close();
    // both outcomes happened often, and no refusal came after a write
    assertThat(outcomes.get(Outcome.STORED).get()).as("stored").isGreaterThan(SEEDS / 2);
    assertThat(outcomes.get(Outcome.REFUSED_AT_CHAIN).get()).as("refused").isGreaterThan(SEEDS / 2);
    assertThat(appliedThenRefused).as("refused only once applying").isEmpty();
  }

  static LongStream seeds() {
    return LongStream.range(0, SEEDS);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void aHostileNameIsRefusedWithNothingWrittenOrStoredExactly(long seed) {
    String hostile = HostileStrings.generate(new Random(seed), seed);
    // the chain step refuses first, whatever the backend; the rest go to both backends together
    Map<Position, Grant> grants = new EnumMap<>(Position.class);
    for (Position position : Position.values()) {
      IamRole role =
          IamRole.of(
              "arn:aws:iam::111122223333:role/P"
                  + seed
                  + "-"
                  + position.name().toLowerCase(Locale.ROOT));
      try {
        grants.put(position, grant(role, position, hostile));
      } catch (EksAccessException refused) {
        outcomes.get(Outcome.REFUSED_AT_CHAIN).incrementAndGet();
        assertThat(refused.getMessage()).isNotBlank();
      }
    }
    for (boolean onAwsAuth : new boolean[] {true, false}) {
      applyTogether(onAwsAuth, seed, grants, hostile);
    }
  }

  /**
   * Plans and applies the grants in one plan (one read, one write), as a service granting several
   * at once would; if the plan is refused, each grant alone, to see which one and that the refusal
   * wrote nothing.
   */
  private void applyTogether(
      boolean onAwsAuth, long seed, Map<Position, Grant> grants, String hostile) {
    if (grants.isEmpty()) {
      return;
    }
    String where = "seed " + seed + " " + (onAwsAuth ? "aws-auth " : "access entries ");
    long identityBefore = identityWrites(onAwsAuth);
    long rbacBefore = rbacWrites(onAwsAuth);
    Plan plan;
    try {
      plan = (onAwsAuth ? awsAuth : accessEntries).plan(grants.values().toArray(Grant[]::new));
    } catch (EksAccessException refused) {
      assertThat(identityWrites(onAwsAuth))
          .as(where + "identity written")
          .isEqualTo(identityBefore);
      assertThat(rbacWrites(onAwsAuth)).as(where + "RBAC written").isEqualTo(rbacBefore);
      if (grants.size() == 1) {
        outcomes.get(Outcome.REFUSED_AT_PLAN).incrementAndGet();
      } else {
        grants.forEach(
            (position, grant) -> applyTogether(onAwsAuth, seed, Map.of(position, grant), hostile));
      }
      return;
    }
    try {
      plan.apply();
    } catch (EksAccessException refused) {
      outcomes.get(Outcome.REFUSED_AT_APPLY).incrementAndGet();
      appliedThenRefused.add(where + grants.keySet() + " " + escaped(hostile) + ": " + refused);
      assertThat(identityWrites(onAwsAuth))
          .as(where + "identity written")
          .isEqualTo(identityBefore);
      return;
    }
    outcomes.get(Outcome.STORED).addAndGet(grants.size());
    for (Map.Entry<Position, Grant> e : grants.entrySet()) {
      Position position = e.getKey();
      IamRole role = (IamRole) e.getValue().principal();
      String at = where + position + " " + escaped(hostile);
      List<String> groups = expectedGroups(position, hostile);
      String username =
          position == Position.USERNAME
              ? hostile
              : position == Position.SECOND_GROUP ? "acme:u" : null;
      if (onAwsAuth) {
        assertStoredInAwsAuth(at, role, username, groups);
      } else {
        assertStoredInAccessEntries(at, role, username, groups);
      }
      (onAwsAuth ? boundOnAwsAuth : boundOnAccessEntries).put(groups.get(groups.size() - 1), at);
    }
  }

  static Grant grant(IamRole role, Position position, String hostile) {
    return switch (position) {
      case GROUP ->
          ClusterAccess.grant(role).asGroup(hostile).bind(ClusterRole.VIEW).inNamespace("apps");
      case USERNAME ->
          ClusterAccess.grant(role)
              .asUser(hostile)
              .inGroups("acme:g")
              .bind(ClusterRole.VIEW)
              .inNamespace("apps");
      case SECOND_GROUP ->
          ClusterAccess.grant(role)
              .asUser("acme:u")
              .inGroups("acme:g", hostile)
              .bind(ClusterRole.VIEW)
              .inNamespace("apps");
    };
  }

  static List<String> expectedGroups(Position position, String hostile) {
    return switch (position) {
      case GROUP -> List.of(hostile);
      case USERNAME -> List.of("acme:g");
      case SECOND_GROUP -> List.copyOf(new LinkedHashSet<>(List.of("acme:g", hostile)));
    };
  }

  /** mapRoles read by a YAML 1.1 reader and by a YAML 1.2 reader: the entry, exactly. */
  @SuppressWarnings("unchecked")
  private void assertStoredInAwsAuth(
      String where, IamRole role, String username, List<String> groups) {
    String mapRoles =
        awsAuthKube.configMapData("kube-system", "aws-auth").orElseThrow().get("mapRoles");
    Object yaml11 = new Yaml(new SafeConstructor(new LoaderOptions())).load(mapRoles);
    Object yaml12 = new Load(LoadSettings.builder().build()).loadFromString(mapRoles);
    for (Object read : List.of(yaml11, yaml12)) {
      String reader = read == yaml11 ? " (YAML 1.1)" : " (YAML 1.2)";
      Map<String, Object> entry = null;
      for (Object o : (List<Object>) read) {
        Map<String, Object> m = (Map<String, Object>) o;
        if (role.arn().value().equals(m.get("rolearn"))) {
          entry = m; // the last one is the one EKS uses
        }
      }
      assertThat(entry).as(where + reader + ": the entry").isNotNull();
      Map<String, Object> e = Objects.requireNonNull(entry);
      if (username != null) {
        assertThat(e.get("username")).as(where + reader + ": username").isEqualTo(username);
      }
      assertThat(e.get("groups")).as(where + reader + ": groups").isEqualTo(groups);
    }
  }

  private void assertStoredInAccessEntries(
      String where, IamRole role, String username, List<String> groups) {
    AccessEntry entry =
        eks.describeAccessEntry(r -> r.clusterName("prod").principalArn(role.arn().value()))
            .accessEntry();
    if (username != null) {
      assertThat(entry.username()).as(where + ": username").isEqualTo(username);
    }
    assertThat(entry.kubernetesGroups()).as(where + ": groups").isEqualTo(groups);
  }

  /** Every stored group is a RoleBinding subject exactly, as read back from the API server. */
  private static void assertBound(ApiClient client, Map<String, String> groups) {
    List<RbacBinding> bindings = Rbac.read(client).bindings();
    groups.forEach(
        (group, where) ->
            assertThat(bindings)
                .as(where + ": a RoleBinding names the group")
                .anySatisfy(b -> assertThat(b.subjects()).contains(RbacSubject.group(group))));
  }

  private long identityWrites(boolean onAwsAuth) {
    return onAwsAuth
        ? awsAuthKube.requests().stream()
            .filter(r -> !r.startsWith("GET ") && r.contains("/configmaps"))
            .count()
        : eksApi.writes();
  }

  private long rbacWrites(boolean onAwsAuth) {
    return (onAwsAuth ? awsAuthKube : accessEntriesKube)
        .requests().stream()
            .filter(r -> !r.startsWith("GET ") && r.contains("rbac.authorization.k8s.io"))
            .count();
  }

  static String escaped(String s) {
    StringBuilder out = new StringBuilder("\"");
    s.chars()
        .forEach(
            c ->
                out.append(
                    c >= 0x20 && c < 0x7f
                        ? String.valueOf((char) c)
                        : String.format("\\u%04x", c)));
    return out.append('"').toString();
  }
}
