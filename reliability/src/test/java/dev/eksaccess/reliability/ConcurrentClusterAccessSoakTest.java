package dev.eksaccess.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.accessentries.AccessEntries;
import dev.eksaccess.api.ClusterAccess;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.RetryPolicy;
import dev.eksaccess.api.spi.IdentityBackend;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.awsauth.AwsAuth;
import dev.eksaccess.rbac.Rbac;
import dev.eksaccess.testkit.ConcurrencySoak;
import dev.eksaccess.testkit.FakeCluster;
import dev.eksaccess.testkit.FakeEksApi;
import dev.eksaccess.testkit.FakeKubeApi;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;

/**
 * 32 services, each with its own {@link ClusterAccess} and its own clients, grant a different role
 * at once and then revoke them all at once ({@link ConcurrencySoak}), through the real Kubernetes
 * client and the real EKS client against the wire-level fakes, with and without latency, and
 * through the in-memory fakes: every grant and every revoke lands with the default retry policy, no
 * binding is left without the mapping that uses it, and the entries nobody touched stay. The
 * integration tier runs the same rounds against a real kube-apiserver.
 */
class ConcurrentClusterAccessSoakTest {
  static final int SERVICES = 32;
  static final String FOREIGN =
      """
      - rolearn: arn:aws:iam::111122223333:role/NodeInstanceRole
        username: system:node:{{EC2PrivateDNSName}}
        groups:
          - system:bootstrappers
          - system:nodes
      - rolearn: arn:aws:iam::111122223333:role/Admin
        username: admin
        groups: [system:masters]
      """;
  static final String VIEW =
      """
      {"metadata":{"name":"view"},
       "rules":[{"apiGroups":[""],"resources":["pods"],"verbs":["get","list","watch"]}]}""";

  final FakeKubeApi kube = FakeKubeApi.start().addNamespace("apps");
  final FakeEksApi eks = FakeEksApi.start().addCluster("prod", "API_AND_CONFIG_MAP");

  @AfterEach
  void stop() {
    kube.close();
    eks.close();
  }

  static IamRole role(int i) {
    return IamRole.of("arn:aws:iam::111122223333:role/Service" + i);
  }

  ApiClient kubeClient() {
    return new ClientBuilder().setBasePath(kube.baseUrl()).build();
  }

  EksClient eksClient() {
    return EksClient.builder()
        .endpointOverride(URI.create(eks.baseUrl()))
        .region(Region.US_WEST_2)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
        .build();
  }

  void seedKube() {
    kube.putConfigMap("kube-system", "aws-auth", Map.of("mapRoles", FOREIGN));
    kube.putObject("clusterroles", "", VIEW);
  }

  ConcurrencySoak.Report awsAuthRound() throws InterruptedException {
    Supplier<ClusterAccess> connect =
        () -> {
          ApiClient client = kubeClient();
          return ClusterAccess.builder()
              .clusterName("prod")
              .identities(AwsAuth.backend(client))
              .rbac(Rbac.backend(client))
              .build();
        };
    return ConcurrencySoak.run(
        SERVICES,
        connect,
        AwsAuth.backend(kubeClient()),
        Rbac.backend(kubeClient()),
        "apps",
        ConcurrentClusterAccessSoakTest::role);
  }

  ConcurrencySoak.Report accessEntriesRound() throws InterruptedException {
    eks.putEntry(
        "prod",
        "arn:aws:iam::111122223333:role/Admin",
        "STANDARD",
        "admin",
        List.of("platform-admins"));
    Supplier<ClusterAccess> connect =
        () ->
            ClusterAccess.builder()
                .clusterName("prod")
                .identities(
                    AccessEntries.builder(eksClient(), "prod")
                        .consistencyRetry(RetryPolicy.of(5, Duration.ZERO, Duration.ofMillis(1)))
                        .build())
                .rbac(Rbac.backend(kubeClient()))
                .build();
    IdentityBackend inspect = AccessEntries.backend(eksClient(), "prod");
    return ConcurrencySoak.run(
        SERVICES,
        connect,
        inspect,
        Rbac.backend(kubeClient()),
        "apps",
        ConcurrentClusterAccessSoakTest::role);
  }

  @RepeatedTest(3)
  void awsAuthOverTheWireFake() throws Exception {
    seedKube();
    ConcurrencySoak.Report r = awsAuthRound();
    assertThat(r.isClean()).as(r.toString()).isTrue();
  }

  @Test
  void awsAuthOverTheWireFakeWithLatency() throws Exception {
    seedKube();
    kube.latency(Duration.ofMillis(20));
    ConcurrencySoak.Report r = awsAuthRound();
    assertThat(r.isClean()).as(r.toString()).isTrue();
  }

  @RepeatedTest(2)
  void accessEntriesOverTheWireFakes() throws Exception {
    seedKube();
    ConcurrencySoak.Report r = accessEntriesRound();
    assertThat(r.isClean()).as(r.toString()).isTrue();
  }

  @Test
  void accessEntriesOverTheWireFakesWithLatency() throws Exception {
    seedKube();
    kube.latency(Duration.ofMillis(20));
    eks.latency(Duration.ofMillis(20));
    ConcurrencySoak.Report r = accessEntriesRound();
    assertThat(r.isClean()).as(r.toString()).isTrue();
  }

  @RepeatedTest(5)
  void theInMemoryFakes() throws Exception {
    for (FakeCluster cluster :
        List.of(FakeCluster.awsAuth("prod"), FakeCluster.accessEntries("prod"))) {
      cluster.seed(
          IdentityMapping.of(IamRole.of("arn:aws:iam::111122223333:role/Admin"))
              .withGroups(List.of("platform-admins")));
      ConcurrencySoak.Report r =
          ConcurrencySoak.run(
              SERVICES,
              cluster::clusterAccess,
              cluster.identities(),
              cluster.rbac(),
              "apps",
              ConcurrentClusterAccessSoakTest::role);
      assertThat(r.isClean()).as(cluster + ": " + r).isTrue();
    }
  }
}
