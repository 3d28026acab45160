package dev.eksaccess.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eksaccess.accessentries.AccessEntries;
import dev.eksaccess.accessentries.AccessEntriesBackend;
import dev.eksaccess.accessentries.AccessEntryType;
import dev.eksaccess.accessentries.AuthenticationModes;
import dev.eksaccess.api.AccessPolicy;
import dev.eksaccess.api.ClusterAccess;
import dev.eksaccess.api.ConflictException;
import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.Principal;
import dev.eksaccess.api.Scope;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.PolicyAssociation;
import dev.eksaccess.awsauth.AwsAuth;
import dev.eksaccess.awsauth.AwsAuthBackend;
import dev.eksaccess.testkit.EksFault;
import dev.eksaccess.testkit.FakeEksApi;
import dev.eksaccess.testkit.FakeKubeApi;
import io.kubernetes.client.util.ClientBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;

class MigrationTest {
  /** Written for this test: the shapes a long-lived cluster's aws-auth has. */
  static final String MAP_ROLES =
      """
      - rolearn: arn:aws:iam::111122223333:role/NodeInstanceRole
        username: system:node:{{EC2PrivateDNSName}}
        groups: [system:bootstrappers, system:nodes]
      - rolearn: arn:aws:iam::111122223333:role/WindowsNodeRole
        username: system:node:{{EC2PrivateDNSName}}
        groups: [system:bootstrappers, system:nodes, eks:kube-proxy-windows]
      - rolearn: arn:aws:iam::111122223333:role/FargatePodExecutionRole
        username: system:node:{{SessionName}}
        groups: [system:bootstrappers, system:nodes, system:node-proxier]
      - rolearn: arn:aws:iam::111122223333:role/Admin
        username: admin:{{SessionName}}
        groups: [system:masters, acme:admins]
      - rolearn: arn:aws:iam::111122223333:role/DevTeamRole
        username: dev:{{SessionName}}
        groups: [acme:devs]
      """;

  static final String BLOCKING =
      """
      - rolearn: arn:aws:iam::111122223333:role/Gone
        groups: [acme:old]
      - rolearn: arn:aws:iam::111122223333:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS
        groups: [acme:x]
      - rolearn: arn:aws:iam::111122223333:role/Monitoring
        groups: [system:monitoring]
      """;
  static final String MAP_USERS =
      """
      - userarn: arn:aws:iam::111122223333:user/jane
        username: jane
        groups: [acme:devs]
      """;

  /** IAM as it is: DevTeamRole lives under /teams/, Gone was deleted. */
  static final RoleResolver IAM =
      p ->
          switch (p.name()) {
            case "Gone" -> Optional.empty();
            case "DevTeamRole" ->
                Optional.<Principal>of(
                    IamRole.of("arn:aws:iam::111122223333:role/teams/DevTeamRole"));
            default -> Optional.of(p);
          };

  /**
   * The same IAM for EKS: a create for a principal IAM lacks, such as DevTeamRole without its path,
   * fails as EKS fails it.
   */
  final FakeEksApi eksApi =
      FakeEksApi.start()
          .addCluster("prod", "CONFIG_MAP")
          .addIamPrincipals(
              "arn:aws:iam::111122223333:role/NodeInstanceRole",
              "arn:aws:iam::111122223333:role/WindowsNodeRole",
              "arn:aws:iam::111122223333:role/FargatePodExecutionRole",
              "arn:aws:iam::111122223333:role/Admin",
              "arn:aws:iam::111122223333:role/teams/DevTeamRole",
              "arn:aws:iam::111122223333:role/Monitoring",
              "arn:aws:iam::111122223333:role/Dev",
              "arn:aws:iam::111122223333:role/NewNodes",
              "arn:aws:iam::111122223333:role/BreakGlass",
              "arn:aws:iam::111122223333:user/jane");

  final FakeKubeApi kubeApi = FakeKubeApi.start();
  final EksClient eks =
      EksClient.builder()
          .endpointOverride(URI.create(eksApi.baseUrl()))
          .region(Region.US_WEST_2)
          .credentialsProvider(
              StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "x")))
          .build();
  final AccessEntriesBackend entries = AccessEntries.backend(eks, "prod");
  final AuthenticationModes modes =
      AuthenticationModes.builder(eks, "prod").pollInterval(Duration.ofMillis(1)).build();
  final AwsAuthBackend awsAuth =
      AwsAuth.backend(new ClientBuilder().setBasePath(kubeApi.baseUrl()).build());

  @AfterEach
  void stop() {
    eks.close();
    eksApi.close();
    kubeApi.close();
  }

  @Test
  void aRealisticAwsAuthMigratesStepByStepAndTheSwitchWaitsForEveryBlocker() {
    kubeApi.putConfigMap(
        "kube-system",
        "aws-auth",
        Map.of(
            "mapRoles",
            MAP_ROLES + BLOCKING,
            "mapUsers",
            MAP_USERS,
            "mapAccounts",
            "- \"444455556666\"\n"));
    MigrationPlan plan = Migration.fromAwsAuth(awsAuth.document(), List.of(), IAM);

    assertThat(plan.entries())
        .extracting(e -> e.principal().name(), MigratedEntry::type)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("NodeInstanceRole", AccessEntryType.EC2_LINUX),
            org.assertj.core.groups.Tuple.tuple("WindowsNodeRole", AccessEntryType.EC2_WINDOWS),
            org.assertj.core.groups.Tuple.tuple(
                "FargatePodExecutionRole", AccessEntryType.FARGATE_LINUX),
            org.assertj.core.groups.Tuple.tuple("Admin", AccessEntryType.STANDARD),
            org.assertj.core.groups.Tuple.tuple("DevTeamRole", AccessEntryType.STANDARD),
            org.assertj.core.groups.Tuple.tuple("jane", AccessEntryType.STANDARD));
    MigratedEntry admin = plan.entries().get(3);
    assertThat(admin.mapping().groups()).containsExactly("acme:admins");
    assertThat(admin.mapping().policies())
        .containsExactly(new PolicyAssociation(AccessPolicy.CLUSTER_ADMIN, Scope.cluster()));
    assertThat(admin.username()).contains("admin:{{SessionName}}");
    assertThat(plan.entries().get(4).principal().arn().value())
        .isEqualTo("arn:aws:iam::111122223333:role/teams/DevTeamRole");
    assertThat(plan.blockers())
        .hasSize(4)
        .anySatisfy(b -> assertThat(b).contains("Gone").contains("IAM no longer has"))
        .anySatisfy(b -> assertThat(b).contains("service-linked"))
        .anySatisfy(b -> assertThat(b).contains("system:monitoring"))
        .anySatisfy(b -> assertThat(b).contains("mapAccounts 444455556666"));
    assertThat(plan.toString()).contains("6 entries to create").contains("4 blocking");

    // nothing has happened yet
    assertThat(eksApi.requests()).allMatch(r -> !r.startsWith("Create") && !r.startsWith("Update"));

    assertThat(plan.switchToApiAndConfigMap(modes)).isTrue();
    assertThat(plan.createEntries(entries)).isEqualTo(6 + 1); // six entries and Admin's policy
    assertThat(plan.createEntries(entries)).as("a repeated step writes nothing").isZero();
    MigrationPlan.Verification v = plan.verify(entries);
    assertThat(v.isComplete()).isTrue();
    assertThat(v.matching()).isEqualTo(6);

    var blocked =
        catchThrowableOfType(
            InvalidInputException.class, () -> plan.switchToApi(modes, entries, awsAuth));
    assertThat(blocked.code()).isEqualTo(ErrorCode.LOCKOUT_AUTH_MODE);
    assertThat(blocked.getMessage()).contains("system:monitoring");
    assertThat(eksApi.authenticationMode("prod")).isEqualTo("API_AND_CONFIG_MAP");
    var early =
        catchThrowableOfType(
            InvalidInputException.class,
            () -> plan.removeAwsAuth(modes, awsAuth, awsAuth.read().version()));
    assertThat(early.getMessage()).contains("still counts aws-auth");
    assertThat(kubeApi.configMapData("kube-system", "aws-auth")).isPresent();
  }

  @Test
  void thePlanAndItsVerificationReadBackAsJsonWithReasonCodes() throws Exception {
    kubeApi.putConfigMap(
        "kube-system",
        "aws-auth",
        Map.of("mapRoles", MAP_ROLES + BLOCKING, "mapAccounts", "- \"444455556666\"\n"));
    MigrationPlan plan = Migration.fromAwsAuth(awsAuth.document(), List.of(), IAM);

    JsonNode json = new ObjectMapper().readTree(plan.toJson());

    assertThat(json.get("schema").asText()).isEqualTo("eks-access/migration-plan/v1");
    assertThat(json.get("blocked").asBoolean()).isTrue();
    assertThat(json.get("entries")).hasSize(plan.entries().size());
    JsonNode admin = json.get("entries").get(3);
    assertThat(admin.get("principal").asText()).endsWith("role/Admin");
    assertThat(admin.get("type").asText()).isEqualTo("STANDARD");
    assertThat(admin.get("source").get("section").asText()).isEqualTo("mapRoles");
    assertThat(admin.get("source").get("index").asInt()).isEqualTo(3);
    assertThat(admin.get("username").asText()).isEqualTo("admin:{{SessionName}}");
    assertThat(admin.get("groups")).extracting(JsonNode::asText).containsExactly("acme:admins");
    assertThat(admin.at("/policies/0/policy").asText()).isEqualTo("AmazonEKSClusterAdminPolicy");
    assertThat(admin.at("/policies/0/namespaces")).isEmpty();
    assertThat(admin.get("notes")).isNotEmpty();
    assertThat(json.get("blockers"))
        .extracting(b -> b.get("reason").asText())
        .containsExactlyInAnyOrder(
            "ACCOUNT_MAPPING", "PRINCIPAL_NOT_IN_IAM", "SERVICE_LINKED_ROLE", "SYSTEM_GROUP");
    assertThat(plan.blockerDetails())
        .extracting(MigrationPlan.Blocker::message)
        .containsExactlyElementsOf(plan.blockers());

    plan.switchToApiAndConfigMap(modes);
    MigrationPlan.Verification v = plan.verify(entries); // nothing created yet
    JsonNode verified = new ObjectMapper().readTree(v.toJson());
    assertThat(verified.get("schema").asText()).isEqualTo("eks-access/migration-verification/v1");
    assertThat(verified.get("complete").asBoolean()).isFalse();
    assertThat(verified.get("matching").asInt()).isEqualTo(v.matching());
    assertThat(verified.get("mismatches")).hasSize(plan.entries().size());
    assertThat(verified.at("/mismatches/0").asText()).endsWith("no access entry.");
  }

  @Test
  void withNothingBlockingTheClusterEndsOnAccessEntriesAloneAndAwsAuthGoes() {
    kubeApi.putConfigMap(
        "kube-system", "aws-auth", Map.of("mapRoles", MAP_ROLES, "mapUsers", MAP_USERS));
    // EKS created the managed node group's entry itself
    eksApi.addCluster("prod", "API_AND_CONFIG_MAP");
    eksApi.putEntry(
        "prod",
        "arn:aws:iam::111122223333:role/NodeInstanceRole",
        "EC2_LINUX",
        "system:node:{{EC2PrivateDNSName}}",
        List.of("system:nodes"));

    MigrationPlan plan = Migration.fromAwsAuth(awsAuth.document(), entries, IAM);
    assertThat(plan.skipped()).singleElement().asString().contains("NodeInstanceRole");
    assertThat(plan.blockers()).isEmpty();

    assertThat(plan.switchToApiAndConfigMap(modes)).isFalse();
    plan.createEntries(entries);
    plan.switchToApi(modes, entries, awsAuth);
    assertThat(eksApi.authenticationMode("prod")).isEqualTo("API");
    assertThat(plan.removeAwsAuth(modes, awsAuth, awsAuth.read().version())).isEqualTo(1);
    assertThat(kubeApi.configMapData("kube-system", "aws-auth")).isEmpty();
  }

  @Test
  void aBreakGlassMappingBlocksTheMigrationInsteadOfBecomingAPermanentAdmin() {
    ClusterAccess.builder()
        .clusterName("prod")
        .identities(awsAuth)
        .build()
        .plan(
            ClusterAccess.breakGlass(IamRole.of("arn:aws:iam::111122223333:role/BreakGlass"))
                .forDuration(Duration.ofHours(1))
                .because("INC-7"))
        .apply();

    MigrationPlan plan = Migration.fromAwsAuth(awsAuth.document(), List.of(), IAM);

    assertThat(plan.entries()).isEmpty();
    assertThat(plan.blockers())
        .singleElement()
        .asString()
        .contains("role/BreakGlass for break-glass")
        .contains("expireBreakGlass()");
  }

  @Test
  void aVerificationNamesWhatDiffers() {
    kubeApi.putConfigMap("kube-system", "aws-auth", Map.of("mapUsers", MAP_USERS));
    eksApi.addCluster("prod", "API_AND_CONFIG_MAP");
    MigrationPlan plan = Migration.fromAwsAuth(awsAuth.document(), List.of(), IAM);
    eksApi.putEntry(
        "prod", "arn:aws:iam::111122223333:user/jane", "STANDARD", "jane", List.of("other"));

    MigrationPlan.Verification v = plan.verify(entries);

    assertThat(v.isComplete()).isFalse();
    assertThat(v.mismatches())
        .singleElement()
        .asString()
        .contains("groups [other], aws-auth gave [acme:devs]");
  }

  static final String ADMIN_ONLY =
      """
      - rolearn: arn:aws:iam::111122223333:role/Admin
        username: admin
        groups: [system:masters]
      """;

  @Test
  void aFailedPolicyAssociationLeavesNoHalfEntryAndARepeatFinishes() {
    kubeApi.putConfigMap("kube-system", "aws-auth", Map.of("mapRoles", ADMIN_ONLY));
    eksApi.addCluster("prod", "API_AND_CONFIG_MAP");
    MigrationPlan plan = Migration.fromAwsAuth(awsAuth.document(), entries, IAM);
    eksApi.inject("AssociateAccessPolicy", EksFault.expiredCredentials());

    assertThat(catchThrowable(() -> plan.createEntries(entries)))
        .hasMessageContaining("was deleted again");
    String admin = "arn:aws:iam::111122223333:role/Admin";
    assertThat(eksApi.entry("prod", admin)).as("no entry without its policy").isEmpty();

    assertThat(plan.createEntries(entries)).isEqualTo(2);
    assertThat(eksApi.entry("prod", admin).orElseThrow()).contains("AmazonEKSClusterAdminPolicy");
    assertThat(plan.verify(entries).isComplete()).isTrue();
    assertThat(plan.createEntries(entries)).as("once finished, a repeat writes nothing").isZero();
  }

  @Test
  void anEntryCreatedWhileTheStepRunsIsNeverOverwritten() {
    kubeApi.putConfigMap(
        "kube-system",
        "aws-auth",
        Map.of(
            "mapRoles", "- rolearn: arn:aws:iam::111122223333:role/Dev\n  groups: [acme:devs]\n"));
    eksApi.addCluster("prod", "API_AND_CONFIG_MAP");
    MigrationPlan plan = Migration.fromAwsAuth(awsAuth.document(), entries, IAM);
    String dev = "arn:aws:iam::111122223333:role/Dev";
    eksApi.beforeNext("ListAccessEntries", () -> {}); // the step's own read
    eksApi.beforeNext(
        "ListAccessEntries", // the backend's check before writing: someone got there first
        () -> eksApi.putEntry("prod", dev, "STANDARD", "them", List.of("platform:oncall")));

    var e = catchThrowable(() -> plan.createEntries(entries));

    assertThat(e).isInstanceOf(ConflictException.class);
    assertThat(eksApi.entry("prod", dev).orElseThrow()).contains("platform:oncall");
    assertThat(plan.createEntries(entries)).as("theirs differs: left for verify").isZero();
    assertThat(plan.verify(entries).mismatches()).singleElement().asString().contains("groups");
  }

  @Test
  void aNodeRoleWithGroupsBeyondTheNodeGroupsBlocks() {
    kubeApi.putConfigMap(
        "kube-system",
        "aws-auth",
        Map.of(
            "mapRoles",
            """
            - rolearn: arn:aws:iam::111122223333:role/NodeInstanceRole
              username: system:node:{{EC2PrivateDNSName}}
              groups: [system:bootstrappers, system:nodes, acme:log-shippers]
            """));

    MigrationPlan plan = Migration.fromAwsAuth(awsAuth.document(), List.of(), IAM);

    assertThat(plan.entries()).isEmpty();
    assertThat(plan.blockers())
        .singleElement()
        .asString()
        .contains("[acme:log-shippers]")
        .contains("cannot carry them");
  }

  @Test
  void theSwitchToApiIsRefusedWhenAwsAuthChangedSinceThePlan() {
    kubeApi.putConfigMap("kube-system", "aws-auth", Map.of("mapRoles", ADMIN_ONLY));
    eksApi.addCluster("prod", "API_AND_CONFIG_MAP");
    MigrationPlan plan = Migration.fromAwsAuth(awsAuth.document(), entries, IAM);
    plan.createEntries(entries);
    assertThat(plan.verify(entries).isComplete()).isTrue();
    // a self-managed node group joins through aws-auth after the plan
    kubeApi.putConfigMap(
        "kube-system",
        "aws-auth",
        Map.of(
            "mapRoles",
            ADMIN_ONLY
                + "- rolearn: arn:aws:iam::111122223333:role/NewNodes\n"
                + "  username: system:node:{{EC2PrivateDNSName}}\n"
                + "  groups: [system:bootstrappers, system:nodes]\n"));

    var e =
        catchThrowableOfType(
            InvalidInputException.class, () -> plan.switchToApi(modes, entries, awsAuth));

    assertThat(e.getMessage()).contains("changed since this migration was planned");
    assertThat(eksApi.authenticationMode("prod")).isEqualTo("API_AND_CONFIG_MAP");
    MigrationPlan again = Migration.fromAwsAuth(awsAuth.document(), entries, IAM);
    again.createEntries(entries);
    again.switchToApi(modes, entries, awsAuth);
    assertThat(eksApi.authenticationMode("prod")).isEqualTo("API");
  }

  @Test
  void anEntryWithANameNoAccessEntryCanCarryBlocksTheMigrationInsteadOfFailingIt() {
    // found by fuzzing: the offline plan threw InvalidInputException for such an entry
    dev.eksaccess.awsauth.AwsAuthDocument doc =
        dev.eksaccess.awsauth.AwsAuthDocument.parse(
            Map.of(
                "mapRoles",
                """
                - rolearn: arn:aws:iam::111122223333:role/Ops
                  username: ops:{{SesionName}}
                - rolearn: arn:aws:iam::111122223333:role/Dev
                  username: dev
                  groups: ["acme:\\tdevs"]
                - rolearn: arn:aws:iam::111122223333:role/Fine
                  username: fine
                """));

    MigrationPlan plan = Migration.fromAwsAuth(doc, List.of(), RoleResolver.asWritten());

    assertThat(plan.blockers())
        .anySatisfy(b -> assertThat(b).contains("role/Ops").contains("{{SesionName}}"))
        .anySatisfy(b -> assertThat(b).contains("role/Dev").contains("U+0009"));
    assertThat(plan.entries())
        .singleElement()
        .satisfies(e -> assertThat(e.principal().name()).isEqualTo("Fine"));
  }

  @Test
  void aRoleMappedUnderMapUsersMigratesAsTheRolesEntry() {
    kubeApi.putConfigMap(
        "kube-system",
        "aws-auth",
        Map.of(
            "mapUsers",
            """
            - userarn: arn:aws:iam::111122223333:role/OpsRole
              username: ops
              groups: [acme:ops]
            """));

    MigrationPlan plan = Migration.fromAwsAuth(awsAuth.document(), List.of(), IAM);

    assertThat(plan.blockers()).isEmpty();
    assertThat(plan.entries())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.principal()).isInstanceOf(IamRole.class);
              assertThat(e.principal().name()).isEqualTo("OpsRole");
            });
  }

  @Test
  void aNodeRoleThatAlreadyHasAnAwsManagedEntryIsSkippedWithTheReason() {
    dev.eksaccess.awsauth.AwsAuthDocument doc =
        dev.eksaccess.awsauth.AwsAuthDocument.parse(
            Map.of(
                "mapRoles",
                """
                - rolearn: arn:aws:iam::111122223333:role/NodeRole
                  username: system:node:{{EC2PrivateDNSName}}
                  groups: [system:bootstrappers, system:nodes]
                """));
    IdentityMapping nodeEntry =
        IdentityMapping.of(dev.eksaccess.api.IamRole.of("arn:aws:iam::111122223333:role/NodeRole"))
            .withEntryType("EC2_LINUX");

    MigrationPlan plan = Migration.fromAwsAuth(doc, List.of(nodeEntry), RoleResolver.asWritten());

    assertThat(plan.entries()).isEmpty();
    assertThat(plan.blockers()).isEmpty();
    assertThat(plan.skipped())
        .singleElement()
        .asString()
        .contains("role/NodeRole")
        .contains("AWS-managed access entry (NODE)");
  }
}
