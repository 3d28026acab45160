package dev.eksaccess.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.accessentries.AccessEntries;
import dev.eksaccess.api.Caller;
import dev.eksaccess.api.ClusterAccess;
import dev.eksaccess.api.ClusterRole;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.IamUser;
import dev.eksaccess.api.Plan;
import dev.eksaccess.api.Principal;
import dev.eksaccess.api.RetryPolicy;
import dev.eksaccess.api.spi.IdentityBackend;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.RbacBackend;
import dev.eksaccess.api.support.PrincipalKeys;
import dev.eksaccess.awsauth.AwsAuth;
import dev.eksaccess.rbac.Rbac;
import dev.eksaccess.testkit.FakeCluster;
import dev.eksaccess.testkit.FakeEksApi;
import dev.eksaccess.testkit.FakeKubeApi;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;

/**
 * Grant-then-revoke leaves nothing, whichever form names the principal: a role with its IAM path or
 * without, in another case, or as a caller's assumed-role session; a user with its path. Each
 * backend keys a principal one way for every operation (aws-auth: the role's ARN without its path,
 * ignoring case; Access Entries: the IAM principal whatever its path), so a revoke never misses a
 * grant and reports success while access stays. Seeded: a failure names its seed and case.
 */
class PrincipalFormsPropertyTest {
  static final long SEED = Long.getLong("eks-access.seed", 20261207L);
  static final int CASES = Integer.getInteger("eks-access.principal-cases", 40);
  static final String VIEW =
      """
      {"metadata":{"name":"view"},
       "rules":[{"apiGroups":[""],"resources":["pods"],"verbs":["get","list","watch"]}]}""";
  static final String ADMIN =
      """
      - rolearn: arn:aws:iam::111122223333:role/Admin
        username: admin
        groups: [system:masters]
      """;

  final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  /** A backend under test: how to connect, and how to read what is left. */
  record Setup(
      String name,
      boolean keysByName,
      Supplier<ClusterAccess> connect,
      IdentityBackend identities,
      RbacBackend rbac) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> backends() {
    return Stream.of(
        Arguments.of("in-memory aws-auth"),
        Arguments.of("in-memory access-entries"),
        Arguments.of("aws-auth over the wire"),
        Arguments.of("access-entries over the wire"));
  }

  Setup setup(String name) {
    switch (name) {
      case "in-memory aws-auth", "in-memory access-entries" -> {
        FakeCluster c =
            name.contains("aws-auth")
                ? FakeCluster.awsAuth("prod")
                : FakeCluster.accessEntries("prod");
        c.seed(
            IdentityMapping.of(IamRole.of("arn:aws:iam::111122223333:role/Admin"))
                .withGroups(List.of("platform")));
        return new Setup(
            name, !name.contains("aws-auth"), c::clusterAccess, c.identities(), c.rbac());
      }
      default -> {
        FakeKubeApi kube = FakeKubeApi.start().addNamespace("apps");
        open.add(kube);
        kube.putObject("clusterroles", "", VIEW);
        Supplier<ApiClient> client = () -> new ClientBuilder().setBasePath(kube.baseUrl()).build();
        if (name.contains("aws-auth")) {
          kube.putConfigMap("kube-system", "aws-auth", Map.of("mapRoles", ADMIN));
          return new Setup(
              name,
              false,
              () ->
                  ClusterAccess.builder()
                      .clusterName("prod")
                      .identities(AwsAuth.backend(client.get()))
                      .rbac(Rbac.backend(client.get()))
                      .build(),
              AwsAuth.backend(client.get()),
              Rbac.backend(client.get()));
        }
        FakeEksApi eks = FakeEksApi.start().addCluster("prod", "API_AND_CONFIG_MAP");
        open.add(eks);
        Supplier<EksClient> eksClient =
            () ->
                EksClient.builder()
                    .endpointOverride(URI.create(eks.baseUrl()))
                    .region(Region.US_WEST_2)
                    .credentialsProvider(
                        StaticCredentialsProvider.create(
                            AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                    .build();
        return new Setup(
            name,
            true,
            () ->
                ClusterAccess.builder()
                    .clusterName("prod")
                    .identities(
                        AccessEntries.builder(eksClient.get(), "prod")
                            .consistencyRetry(
                                RetryPolicy.of(3, Duration.ZERO, Duration.ofMillis(1)))
                            .build())
                    .rbac(Rbac.backend(client.get()))
                    .build(),
            AccessEntries.backend(eksClient.get(), "prod"),
            Rbac.backend(client.get()));
      }
    }
  }

  /** One principal and the forms that name it. */
  record Subject(Principal canonical, List<Principal> forms) {}

  static Subject subject(Random r, int i) {
    String account = "111122223333";
    String name = (r.nextBoolean() ? "Team" : "svc-") + i + (r.nextBoolean() ? "Role" : "_x");
    String path = r.nextBoolean() ? "/" : "/" + (r.nextBoolean() ? "teams" : "a/b") + "/";
    if (r.nextInt(4) == 0) {
      Principal user = IamUser.of("arn:aws:iam::" + account + ":user" + path + name);
      return new Subject(user, List.of(user));
    }
    IamRole withPath = IamRole.of("arn:aws:iam::" + account + ":role" + path + name);
    List<Principal> forms = new ArrayList<>();
    forms.add(withPath);
    forms.add(withPath.withoutPath());
    forms.add(
        IamRole.of("arn:aws:iam::" + account + ":role" + path + name.toUpperCase(Locale.ROOT)));
    forms.add(
        Caller.of("arn:aws:sts::" + account + ":assumed-role/" + name + "/session-" + i)
            .principal()
            .orElseThrow());
    return new Subject(withPath, forms);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void grantThenRevokeLeavesNothingWhateverFormNamesThePrincipal(String backend) {
    Setup s = setup(backend);
    Random r = new Random(SEED ^ backend.hashCode());
    for (int i = 0; i < CASES; i++) {
      Subject who = subject(r, i);
      // Access Entries needs the role as IAM has it, with its path; aws-auth takes any form
      Principal granted =
          s.keysByName() ? who.canonical() : who.forms().get(r.nextInt(who.forms().size()));
      Principal revoked = who.forms().get(r.nextInt(who.forms().size()));
      String group = "acme:g" + i;
      String where = "seed " + SEED + ", case " + i + ": grant " + granted + ", revoke " + revoked;

      s.connect()
          .get()
          .plan(
              ClusterAccess.grant(granted)
                  .asGroup(group)
                  .bind(ClusterRole.VIEW)
                  .inNamespace("apps"))
          .apply();
      Plan revoke = s.connect().get().planRevoke(revoked);
      assertThat(revoke.isEmpty()).as(where + ": the revoke found the grant").isFalse();
      revoke.apply();

      String key = PrincipalKeys.iamPrincipal(who.canonical());
      assertThat(s.identities().read().mappings())
          .as(where + ": no mapping left")
          .noneMatch(m -> PrincipalKeys.iamPrincipal(m.principal()).equals(key));
      assertThat(s.rbac().read().bindings())
          .as(where + ": no binding left")
          .noneMatch(b -> b.subjects().stream().anyMatch(x -> x.name().equals(group)));
    }
  }
}
