package dev.eksaccess.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eksaccess.accessentries.AccessEntries;
import dev.eksaccess.accessentries.AccessEntriesBackend;
import dev.eksaccess.accessentries.AccessPolicies;
import dev.eksaccess.accessentries.AuthenticationMode;
import dev.eksaccess.accessentries.AuthenticationModes;
import dev.eksaccess.accessentries.IamRoles;
import dev.eksaccess.api.AccessPolicy;
import dev.eksaccess.api.AllowedPrincipal;
import dev.eksaccess.api.Audit;
import dev.eksaccess.api.BreakGlass;
import dev.eksaccess.api.Caller;
import dev.eksaccess.api.ClusterAccess;
import dev.eksaccess.api.ClusterRole;
import dev.eksaccess.api.DeadAccessRepair;
import dev.eksaccess.api.Decision;
import dev.eksaccess.api.Fleet;
import dev.eksaccess.api.FleetPlan;
import dev.eksaccess.api.Grant;
import dev.eksaccess.api.Guard;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.Plan;
import dev.eksaccess.api.Request;
import dev.eksaccess.api.SsoPermissionSet;
import dev.eksaccess.api.UnsafeChangeException;
import dev.eksaccess.api.authz.KubernetesUser;
import dev.eksaccess.api.authz.RbacAuthorizer;
import dev.eksaccess.api.spi.IamDirectory;
import dev.eksaccess.api.spi.IdentityChange;
import dev.eksaccess.api.spi.IdentityChanges;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.RbacBackend;
import dev.eksaccess.awsauth.AwsAuth;
import dev.eksaccess.awsauth.AwsAuthBackend;
import dev.eksaccess.awsauth.AwsAuthDocument;
import dev.eksaccess.awsauth.AwsAuthRepair;
import dev.eksaccess.awsauth.Finding;
import dev.eksaccess.awsauth.IdentityMappingTable;
import dev.eksaccess.awsauth.MalformedAwsAuthException;
import dev.eksaccess.micrometer.MicrometerListener;
import dev.eksaccess.migration.Migration;
import dev.eksaccess.migration.MigrationPlan;
import dev.eksaccess.migration.RoleResolver;
import dev.eksaccess.rbac.Rbac;
import dev.eksaccess.testkit.ClusterState;
import dev.eksaccess.testkit.FakeCluster;
import dev.eksaccess.testkit.FakeEksApi;
import dev.eksaccess.testkit.FakeIam;
import dev.eksaccess.testkit.FakeIamApi;
import dev.eksaccess.testkit.FakeKubeApi;
import dev.eksaccess.testkit.Fakes;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * Every {@code java} block of README.md, compiled and run. {@link ReadmeExamplesTest} checks that
 * each block appears here verbatim (ignoring whitespace).
 */
class ReadmeExamples {

  @Test
  void metrics() {
    MeterRegistry meters =
        new SimpleMeterRegistry(); // or your Prometheus, OTLP, CloudWatch registry
    ClusterAccess observed =
        FakeCluster.awsAuth("prod") // or ClusterAccess.builder() with the real backends
            .clusterAccessBuilder()
            .listener(MicrometerListener.of(meters))
            .build();
    observed
        .plan(
            ClusterAccess.grant(IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole"))
                .asGroup("acme:devs")
                .bind(ClusterRole.VIEW)
                .inNamespace("prod-apps"))
        .apply();
    Timer applies =
        meters.get("eks.access.operation").tags("operation", "apply", "outcome", "success").timer();
    System.out.println(applies.count()); // 1

    assertThat(applies.count()).isEqualTo(1);
    assertThat(meters.get("eks.access.operation").tags("operation", "plan").timer().count())
        .isEqualTo(1);
  }

  @Test
  void quickstart() {
    FakeCluster cluster = FakeCluster.awsAuth("prod"); // an in-memory EKS cluster
    ClusterAccess prod = cluster.clusterAccess();

    Grant devs =
        ClusterAccess.grant(IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole"))
            .asGroup("acme:devs")
            .bind(ClusterRole.VIEW)
            .inNamespace("prod-apps");

    Plan plan = prod.plan(devs); // nothing is written yet
    System.out.println(plan); // + mapping ..., + RoleBinding prod-apps/...
    plan.apply();
    System.out.println(prod.plan(devs).isEmpty()); // true: applying again changes nothing

    Decision d =
        prod.explain(
            Caller.of("arn:aws:sts::111122223333:assumed-role/DevTeamRole/jane"),
            Request.verb("delete").resource("pods").inNamespace("prod-apps"));
    System.out.println(
        d); // DENIED: ... ClusterRole view: its rules allow [get, list, watch] on pods, not delete.

    assertThat(prod.plan(devs).isEmpty()).isTrue();
    assertThat(d.allowed()).isFalse();
  }

  @Test
  void manageAwsAuthOnACluster(@TempDir Path home) throws Exception {
    String userHome = System.getProperty("user.home");
    try (FakeKubeApi api = FakeKubeApi.start()) {
      api.putConfigMap(
          "kube-system",
          "aws-auth",
          Map.of("mapRoles", "- rolearn: [\n", "mapUsers", "- userarn: [\n"));
      Files.createDirectories(home.resolve(".kube"));
      Files.writeString(
          home.resolve(".kube").resolve("config"),
          """
          apiVersion: v1
          kind: Config
          clusters: [{name: prod, cluster: {server: "%s"}}]
          users: [{name: me, user: {token: t}}]
          contexts: [{name: prod, context: {cluster: prod, user: me}}]
          """
              .formatted(api.baseUrl()));
      System.setProperty("user.home", home.toString());
      ClusterState world = ClusterState.withDefaultRoles("prod");
      RbacBackend rbac = Fakes.rbac(world);
      Grant devs =
          ClusterAccess.grant(IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole"))
              .asGroup("acme:devs")
              .bind(ClusterRole.VIEW)
              .inNamespace("prod-apps");
      // an aws-auth EKS cannot read is never overwritten: repair it first (last lines below)
      AwsAuthBackend broken =
          AwsAuth.backend(
              AwsAuth.apiClient(
                  Path.of(System.getProperty("user.home"), ".kube", "config"), "prod"));
      assertThatThrownBy(
              () ->
                  broken.update(
                      IdentityChanges.of(
                          List.of(
                              new IdentityChange.Put(
                                  IdentityMapping.of(
                                      IamRole.of("arn:aws:iam::111122223333:role/Ops")))))))
          .isInstanceOf(MalformedAwsAuthException.class);
      AwsAuthRepair first = broken.repair();
      first.confirmDropping(first.dropped());

      ApiClient client =
          AwsAuth.apiClient(Path.of(System.getProperty("user.home"), ".kube", "config"), "prod");
      AwsAuthBackend ids = AwsAuth.backend(client);
      ClusterAccess prod =
          ClusterAccess.builder().clusterName("prod").identities(ids).rbac(rbac).build();

      prod.plan(devs).apply(); // or check it with the API server first: identities(ids.dryRun())
      System.out.println(
          ids.identityMappings()); // ARN  USERNAME  GROUPS  ACCOUNT, as eksctl lists them
      ids.createIdentityMapping(
          IdentityMapping.of(IamRole.of("arn:aws:iam::111122223333:role/Ops"))
              .withUsername("ops")
              .withGroups(List.of("acme:ops"))); // identical: no-op; mapped differently: an error
      ids.deleteIdentityMapping(IamRole.of("arn:aws:iam::111122223333:role/Ops"), true);

      AwsAuthRepair repair = ids.repair(); // for an aws-auth EKS cannot read
      System.out.println(repair); // which sections are broken, which mappings a repair drops
      repair.confirmDropping(
          repair.dropped()); // pass the list you reviewed; nothing is written until then

      assertThat(prod.plan(devs).isEmpty()).isTrue();
      assertThat(ids.identityMappings().rows())
          .extracting(IdentityMappingTable.Row::arn)
          .containsExactly("arn:aws:iam::111122223333:role/DevTeamRole");
      assertThat(repair.isNeeded()).isFalse();
    } finally {
      System.setProperty("user.home", userHome);
    }
  }

  static EksClient eksClient(FakeEksApi api) {
    return EksClient.builder()
        .endpointOverride(URI.create(api.baseUrl()))
        .region(Region.US_WEST_2)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "x")))
        .build();
  }

  @Test
  void accessEntriesAndTheAuthenticationMode() {
    try (FakeEksApi api = FakeEksApi.start().addCluster("prod", "API_AND_CONFIG_MAP");
        EksClient eks = eksClient(api)) {
      RbacBackend rbac = Fakes.rbac(ClusterState.withDefaultRoles("prod"));

      AccessEntriesBackend ids = AccessEntries.backend(eks, "prod");
      ClusterAccess prod =
          ClusterAccess.builder().clusterName("prod").identities(ids).rbac(rbac).build();

      prod.plan(
              ClusterAccess.grant(IamRole.of("arn:aws:iam::111122223333:role/teams/DevTeamRole"))
                  .asGroup("acme:devs")
                  .bind(AccessPolicy.VIEW)
                  .inNamespace("prod-apps"))
          .apply(); // CreateAccessEntry and AssociateAccessPolicy; applying it again calls nothing
      System.out.println(AccessPolicies.list(eks)); // every access policy EKS offers today

      AuthenticationModes modes = AuthenticationModes.of(eks, "prod");
      System.out.println(modes.current()); // CONFIG_MAP, API_AND_CONFIG_MAP or API

      assertThat(api.writes()).isEqualTo(2);
      assertThat(modes.current()).isEqualTo(AuthenticationMode.API_AND_CONFIG_MAP);
      prod.plan(
              ClusterAccess.grant(IamRole.of("arn:aws:iam::111122223333:role/teams/DevTeamRole"))
                  .asGroup("acme:devs")
                  .bind(AccessPolicy.VIEW)
                  .inNamespace("prod-apps"))
          .apply();
      assertThat(api.writes()).isEqualTo(2);
    }
  }

  @Test
  void migrateFromAwsAuth() {
    try (FakeEksApi api = FakeEksApi.start().addCluster("prod", "CONFIG_MAP");
        EksClient eks = eksClient(api);
        FakeKubeApi kube = FakeKubeApi.start()) {
      api.pollsPerUpdate(0);
      kube.putConfigMap(
          "kube-system",
          "aws-auth",
          Map.of(
              "mapRoles",
              """
              - rolearn: arn:aws:iam::111122223333:role/Admin
                username: admin:{{SessionName}}
                groups: [system:masters]
              - rolearn: arn:aws:iam::111122223333:role/NodeInstanceRole
                username: system:node:{{EC2PrivateDNSName}}
                groups: [system:bootstrappers, system:nodes]
              """));
      AwsAuthBackend awsAuth =
          AwsAuth.backend(new ClientBuilder().setBasePath(kube.baseUrl()).build());
      AccessEntriesBackend ids = AccessEntries.backend(eks, "prod");
      AuthenticationModes modes = AuthenticationModes.of(eks, "prod");

      MigrationPlan migration =
          Migration.fromAwsAuth(awsAuth.document(), ids, RoleResolver.asWritten());
      System.out.println(
          migration); // entries to create, entries skipped, what blocks the switch to API
      migration.switchToApiAndConfigMap(modes); // each step is its own call: review, then confirm
      migration.createEntries(ids);
      System.out.println(
          migration.verify(ids)); // does every principal map as it did through aws-auth?
      migration.switchToApi(modes, ids, awsAuth); // refused while anything blocks or differs
      migration.removeAwsAuth(
          modes, awsAuth, awsAuth.read().version()); // only once the mode is API

      assertThat(api.authenticationMode("prod")).isEqualTo("API");
      assertThat(api.principals("prod")).hasSize(2);
      assertThat(kube.configMapData("kube-system", "aws-auth")).isEmpty();
    }
  }

  @Test
  void decideRbacOffline() {
    RbacAuthorizer rbac =
        RbacAuthorizer.of(
            Rbac.fromYaml(
                """
                kind: RoleBinding
                apiVersion: rbac.authorization.k8s.io/v1
                metadata: {name: devs, namespace: payments}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-reader}
                subjects: [{kind: Group, name: acme:devs}]
                ---
                kind: ClusterRole
                apiVersion: rbac.authorization.k8s.io/v1
                metadata: {name: pod-reader}
                rules: [{apiGroups: [""], resources: [pods], verbs: [get, list, watch]}]
                """));
    KubernetesUser bob = KubernetesUser.of("bob", "acme:devs");
    System.out.println(
        rbac.decide(bob, Request.verb("get").resource("pods").inNamespace("orders")));
    // DENIED: ... grants this in namespace payments; the request is in namespace orders.
    System.out.println(rbac.whoCan(Request.verb("list").resource("pods").inNamespace("payments")));
    System.out.println(rbac.accessMatrix(bob, "payments")); // NAME  GET  LIST  WATCH  CREATE ...

    assertThat(
            rbac.decide(bob, Request.verb("get").resource("pods").inNamespace("orders")).toString())
        .startsWith("DENIED: ")
        .contains("RoleBinding payments/devs")
        .contains("grants this in namespace payments; the request is in namespace orders.");
    assertThat(rbac.accessMatrix(bob, "payments").allows("pods", "list")).isTrue();
  }

  @Test
  void explainOffline(@TempDir Path dump) throws Exception {
    Files.writeString(
        dump.resolve("aws-auth.yaml"),
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: aws-auth, namespace: kube-system, resourceVersion: "4711"}
        data:
          mapRoles: |
            - rolearn: arn:aws:iam::111122223333:role/DevTeamRole
              username: dev:{{SessionName}}
              groups: [acme:devs]
        """);
    Files.writeString(
        dump.resolve("rbac.yaml"),
        """
        kind: RoleBinding
        apiVersion: rbac.authorization.k8s.io/v1
        metadata: {name: devs, namespace: payments}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-reader}
        subjects: [{kind: Group, name: acme:devs}]
        ---
        kind: ClusterRole
        apiVersion: rbac.authorization.k8s.io/v1
        metadata: {name: pod-reader}
        rules: [{apiGroups: [""], resources: [pods], verbs: [get, list, watch]}]
        """);

    ClusterAccess saved =
        ClusterAccess.builder()
            .clusterName("prod (saved)")
            .identities(AwsAuth.offline(dump.resolve("aws-auth.yaml")))
            .rbac(Rbac.offline(Rbac.fromYaml(dump.resolve("rbac.yaml"))))
            .build();
    Caller jane = Caller.of("arn:aws:sts::111122223333:assumed-role/DevTeamRole/jane");
    System.out.println(
        saved.explain(jane, Request.verb("get").resource("pods").inNamespace("orders")));
    // DENIED: … aws-auth mapRoles[0] (line 1) … grants this in namespace payments

    Decision denied =
        saved.explain(jane, Request.verb("get").resource("pods").inNamespace("orders"));
    assertThat(denied.allowed()).isFalse();
    assertThat(denied.toString())
        .contains("mapRoles[0]")
        .contains("dev:jane")
        .contains("grants this in namespace payments; the request is in namespace orders");
    assertThat(
            saved
                .explain(jane, Request.verb("list").resource("pods").inNamespace("payments"))
                .allowed())
        .isTrue();
    Grant more =
        ClusterAccess.grant(IamRole.of("arn:aws:iam::111122223333:role/OpsRole"))
            .asGroup("acme:ops")
            .bind(ClusterRole.named("pod-reader"))
            .inNamespace("payments");
    Plan offlinePlan = saved.plan(more);
    assertThat(offlinePlan.changes()).hasSize(2);
    assertThatThrownBy(offlinePlan::apply)
        .isInstanceOf(dev.eksaccess.api.UnsupportedGrantException.class)
        .hasMessageContaining("read-only")
        .hasMessageContaining("Nothing was written");
  }

  @Test
  void wiring() {
    ClusterState world = ClusterState.withDefaultRoles("prod");
    ClusterAccess prod =
        ClusterAccess.builder()
            .clusterName("prod")
            .identities(Fakes.accessEntries(world)) // or a real backend (see "Status")
            .rbac(Fakes.rbac(world))
            .build();

    assertThat(prod.clusterName()).isEqualTo("prod");
  }

  @Test
  void guards() {
    FakeCluster cluster = FakeCluster.awsAuth("prod");
    cluster.seed(
        IdentityMapping.of(IamRole.of("arn:aws:iam::111122223333:role/Admin"))
            .withGroups(List.of("system:masters")));
    ClusterAccess prod = cluster.clusterAccess();
    assertThatThrownBy(
            () -> {
              Plan revoke = prod.planRevoke(IamRole.of("arn:aws:iam::111122223333:role/Admin"));
              System.out.println(
                  revoke); // ! refused LAST_ADMIN: ... would lock every administrator out
              revoke.apply(); // throws UnsafeChangeException; nothing is written
              revoke.force(Guard.LAST_ADMIN).apply(); // only when you really mean it
            })
        .isInstanceOf(UnsafeChangeException.class);
    assertThat(cluster).hasNoWrites();
  }

  @Test
  void partialRevoke() {
    FakeCluster cluster = FakeCluster.awsAuth("prod");
    ClusterAccess prod = cluster.clusterAccess();
    Grant devs =
        ClusterAccess.grant(IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole"))
            .asGroup("acme:devs")
            .bind(ClusterRole.VIEW)
            .inNamespace("prod-apps");
    prod.plan(
            devs,
            ClusterAccess.grant(IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole"))
                .asGroup("acme:oncall")
                .bind(ClusterRole.EDIT)
                .inNamespace("prod-apps"))
        .apply();

    IamRole dev = IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole");
    Plan narrower =
        prod.plan(
            ClusterAccess.revoke(dev).group("acme:oncall"), // and the bindings granted for it
            ClusterAccess.revoke(dev).binding(ClusterRole.EDIT).inNamespace("prod-apps"));
    System.out.println(narrower); // ~ mapping .../DevTeamRole  groups - acme:oncall ...
    narrower.apply(); // the mapping stays; planRevoke(dev) would remove it

    assertThat(narrower.toString()).contains("groups - acme:oncall");
    assertThat(cluster.state().mappings())
        .singleElement()
        .satisfies(m -> assertThat(m.groups()).containsExactly("acme:devs"));
    assertThat(cluster).hasGrant(devs);
    assertThat(cluster.state().bindings()).noneMatch(b -> b.roleRef().equals(ClusterRole.EDIT));
  }

  @Test
  void onboardingGrantsViewInTheTeamNamespace() {
    FakeCluster prod = FakeCluster.accessEntries("prod");

    new TeamOnboarding(prod.clusterAccess()).onboard("payments", "Payments");

    assertThat(prod)
        .hasGrant(
            ClusterAccess.grant(IamRole.of("arn:aws:iam::111122223333:role/Payments"))
                .asGroup("acme:payments")
                .bind(ClusterRole.VIEW)
                .inNamespace("payments"));
  }

  @Test
  void readAndLintAwsAuth() {
    AwsAuthDocument doc =
        AwsAuthDocument.parse(
            Map.of(
                "mapRoles",
                """
                - rolearn: arn:aws:iam::111122223333:role/teams/DevTeamRole
                  username: dev
                  groups: system:masters
                """));
    doc.findings().forEach(System.out::println);
    // ERROR ROLE_PATH mapRoles line 1 column 12: ... Write arn:...:role/DevTeamRole.
    // ERROR GROUPS_NOT_A_LIST mapRoles line 3 column 11: ... no groups at all ...
    Caller jane = Caller.of("arn:aws:sts::111122223333:assumed-role/DevTeamRole/jane");
    System.out.println(doc.resolve(jane)); // Optional.empty: EKS denies jane
    System.out.println(doc.nearMisses(jane)); // [... names the role with its path ...]

    assertThat(doc.findings())
        .extracting(f -> f.code())
        .containsExactly(Finding.Code.ROLE_PATH, Finding.Code.GROUPS_NOT_A_LIST);
    assertThat(doc.resolve(jane)).isEmpty();
    assertThat(doc.nearMisses(jane)).singleElement().asString().contains("with its path");
  }

  /** The platform code under test in the README's testing example. */
  static final class TeamOnboarding {
    private final ClusterAccess cluster;

    TeamOnboarding(ClusterAccess cluster) {
      this.cluster = cluster;
    }

    void onboard(String team, String roleName) {
      IamRole role = IamRole.of("arn:aws:iam::111122223333:role/" + roleName);
      cluster
          .plan(
              ClusterAccess.grant(role)
                  .asGroup("acme:" + team)
                  .bind(ClusterRole.VIEW)
                  .inNamespace(team))
          .apply();
    }
  }

  @Test
  void deadlines() {
    FakeCluster cluster = FakeCluster.awsAuth("prod");
    ClusterAccess prod = cluster.clusterAccess();
    Caller jane = Caller.of("arn:aws:sts::111122223333:assumed-role/DevTeamRole/jane");

    ClusterAccess bounded = prod.withTimeout(Duration.ofSeconds(5));
    Decision d =
        bounded.explain(jane, Request.verb("get").resource("pods").inNamespace("payments"));
    System.out.println(bounded); // ClusterAccess[prod: ..., timeout PT5S]

    assertThat(d.verdict()).isEqualTo(Decision.Verdict.DENIED);
    assertThat(bounded.timeout()).contains(Duration.ofSeconds(5));
    assertThat(prod.timeout()).isEmpty();
    assertThat(bounded.toString()).endsWith("timeout PT5S]");
  }

  @Test
  void whoCanAndAudit() {
    FakeCluster cluster = FakeCluster.awsAuth("prod");
    ClusterAccess prod = cluster.clusterAccess();
    Grant devs =
        ClusterAccess.grant(IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole"))
            .asGroup("acme:devs")
            .bind(ClusterRole.VIEW)
            .inNamespace("prod-apps");
    prod.plan(devs).apply();

    Grant ops =
        ClusterAccess.grant(IamRole.of("arn:aws:iam::111122223333:role/OpsRole"))
            .asGroup("acme:ops")
            .bind(ClusterRole.EDIT)
            .inNamespace("prod-apps");
    for (AllowedPrincipal p :
        prod.whoCan(Request.verb("delete").resource("pods").inNamespace("prod-apps"))) {
      System.out.println(p); // the IAM principal, and the binding or access policy that lets it
    }
    Audit audit =
        prod.audit(List.of(devs, ops)); // every principal, then the drift from these grants
    System.out.println(audit); // a table; audit.toJson() for tools

    assertThat(prod.whoCan(Request.verb("get").resource("pods").inNamespace("prod-apps")))
        .extracting(AllowedPrincipal::principal)
        .containsExactly(IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole"));
    assertThat(audit.drift()).extracting(Audit.Drift::kind).containsOnly(Audit.Drift.Kind.MISSING);
  }

  @Test
  void deadAccessAndIamIdentityCenter() {
    FakeIam roles =
        FakeIam.forAccount("111122223333")
            .createRole(
                "arn:aws:iam::111122223333:role/DevTeamRole", Instant.parse("2025-01-01T00:00:00Z"))
            .createRole(
                "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/"
                    + "AWSReservedSSO_Admin_0123456789abcdef",
                Instant.parse("2025-01-01T00:00:00Z"));
    try (FakeEksApi api = FakeEksApi.start().addCluster("prod", "API_AND_CONFIG_MAP");
        EksClient eks = eksClient(api);
        FakeIamApi iamApi = FakeIamApi.start(roles);
        IamClient iamClient =
            IamClient.builder()
                .endpointOverride(URI.create(iamApi.baseUrl()))
                .region(Region.AWS_GLOBAL)
                .credentialsProvider(
                    StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIDEXAMPLE", "x")))
                .build()) {
      RbacBackend rbac = Fakes.rbac(ClusterState.withDefaultRoles("prod"));
      AccessEntriesBackend ids = AccessEntries.backend(eks, "prod");
      ClusterAccess.builder()
          .clusterName("prod")
          .identities(ids)
          .build()
          .plan(
              ClusterAccess.grant(IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole"))
                  .asGroup("acme:devs")
                  .bind(AccessPolicy.VIEW)
                  .clusterWide())
          .apply();
      // someone deletes DevTeamRole and creates it again, after its entry was made
      Instant entryMade = ids.read().createdAtOf(ids.read().mappings().get(0)).orElseThrow();
      roles
          .deleteRole("DevTeamRole")
          .createRole("arn:aws:iam::111122223333:role/DevTeamRole", entryMade.plusMillis(1));

      IamDirectory iam = IamRoles.directory(iamClient, "111122223333"); // the credentials' account
      ClusterAccess prod =
          ClusterAccess.builder().clusterName("prod").identities(ids).rbac(rbac).iam(iam).build();
      prod.audit().findings().forEach(System.out::println);
      // DEAD_ENTRY_ROLE_RECREATED access entry arn:...:role/DevTeamRole: was created at ...
      DeadAccessRepair repair = prod.planRepairDeadAccess();
      System.out.println(repair); // -/+ access entry ..., with its groups and policies
      repair.apply();

      IamRole admins = SsoPermissionSet.named("Admin").roleIn("111122223333", iam);
      prod.plan(
              ClusterAccess.grant(admins)
                  .asGroup("acme:admins")
                  .bind(ClusterRole.VIEW)
                  .clusterWide())
          .apply(); // role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_...

      assertThat(api.requests())
          .contains("DeleteAccessEntry arn:aws:iam::111122223333:role/DevTeamRole");
      assertThat(prod.audit().findings())
          .noneMatch(f -> f.code() == Audit.Finding.Code.DEAD_ENTRY_ROLE_RECREATED);
      assertThat(ids.read().mappings())
          .extracting(m -> m.principal().arn().value())
          .contains(
              "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/"
                  + "AWSReservedSSO_Admin_0123456789abcdef");
    }
  }

  @Test
  void manyClusters() {
    FakeCluster eu = FakeCluster.awsAuth("prod-eu");
    FakeCluster us = FakeCluster.accessEntries("prod-us");
    ClusterAccess prodEu = eu.clusterAccess();
    ClusterAccess prodUs = us.clusterAccess();
    Grant devs =
        ClusterAccess.grant(IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole"))
            .asGroup("acme:devs")
            .bind(ClusterRole.VIEW)
            .inNamespace("prod-apps");

    Fleet fleet =
        Fleet.builder()
            .cluster(
                "prod-eu", () -> prodEu) // connected when its turn comes, with its own credentials
            .cluster("prod-us", () -> prodUs)
            .concurrency(4)
            .progress(
                Fleet.Progress.console(System.err)) // [1/2] prod-eu: applied 2 changes (2 writes)
            .build();
    Fleet.Result result = fleet.apply(devs);
    System.out.println(result); // one line a cluster; a failure on one never stops the others

    assertThat(result.allSucceeded()).isTrue();
    assertThat(eu).hasGrant(devs);
    assertThat(us).hasGrant(devs);
  }

  @Test
  void manyClustersPlannedThenApplied() {
    FakeCluster eu = FakeCluster.awsAuth("prod-eu");
    FakeCluster us = FakeCluster.accessEntries("prod-us");
    Fleet fleet =
        Fleet.builder()
            .cluster("prod-eu", eu::clusterAccess)
            .cluster("prod-us", us::clusterAccess)
            .build();
    Grant devs =
        ClusterAccess.grant(IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole"))
            .asGroup("acme:devs")
            .bind(ClusterRole.VIEW)
            .inNamespace("prod-apps");

    FleetPlan review = fleet.plan(devs); // plans everywhere, writes nothing
    String forTheTicket = review.toJson(); // every cluster's plan, or why it has none
    Fleet.Result applied = fleet.apply(review); // only what was reviewed, cluster by cluster
    String report = applied.toJson(); // status APPLIED / UNCHANGED / REFUSED / FAILED per cluster

    assertThat(forTheTicket).contains("\"status\":\"CHANGES\"");
    assertThat(report).contains("\"status\":\"APPLIED\"");
    assertThat(applied.allSucceeded()).isTrue();
    assertThat(eu).hasGrant(devs);
    assertThat(us).hasGrant(devs);
  }

  @Test
  void breakGlass() {
    FakeCluster cluster = FakeCluster.awsAuth("prod");
    ClusterAccess prod = cluster.clusterAccess();

    BreakGlass incident =
        ClusterAccess.breakGlass(IamRole.of("arn:aws:iam::111122223333:role/BreakGlass"))
            .forDuration(Duration.ofHours(2)) // one minute to 24 hours
            .because("INC-123"); // recorded with the grant
    Plan glass = prod.plan(incident);
    System.out.println(glass); // + mapping …role/BreakGlass … break-glass until …(INC-123)
    glass.apply();
    System.out.println(prod.audit().breakGlass()); // [… INC-123, until … (2h 0m left)]
    prod.expireBreakGlass(); // later, on a schedule: removes what has expired, nothing else

    assertThat(prod.audit().breakGlass()).hasSize(1);
    cluster.advanceClock(Duration.ofHours(2));
    prod.expireBreakGlass();
    assertThat(prod.audit().breakGlass()).isEmpty();
  }
}
