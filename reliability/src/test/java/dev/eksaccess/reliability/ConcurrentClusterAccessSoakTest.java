package dev.eksaccess.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.api.ClusterAccess;
import dev.eksaccess.api.ClusterRole;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.RbacBinding;
import dev.eksaccess.awsauth.AwsAuth;
import dev.eksaccess.rbac.Rbac;
import dev.eksaccess.rbac.RbacSnapshot;
import dev.eksaccess.testkit.FakeKubeApi;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;

/**
 * 32 services, each with its own {@link ClusterAccess}, grant a different role at once through the
 * aws-auth and RBAC backends and the real Kubernetes client, then revoke them all at once. Half the
 * roles share one group (so their grants and revokes meet on one RoleBinding), half have a group
 * each. Every grant and every revoke must land, no binding may be left without the mapping that
 * uses it, and the entries the services did not touch stay.
 *
 * <p>The same rounds run against a real kube-apiserver in the integration tier.
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

  final FakeKubeApi api = FakeKubeApi.start().addNamespace("apps");

  @AfterEach
  void stop() {
    api.close();
  }

  static IamRole role(int i) {
    return IamRole.of("arn:aws:iam::111122223333:role/Service" + i);
  }

  static String group(int i) {
    return i % 2 == 0 ? "acme:shared" : "acme:team" + i;
  }

  ClusterAccess cluster() {
    ApiClient client = new ClientBuilder().setBasePath(api.baseUrl()).build();
    return ClusterAccess.builder()
        .clusterName("prod")
        .identities(AwsAuth.backend(client))
        .rbac(Rbac.backend(client))
        .build();
  }

  @RepeatedTest(3)
  void everyGrantAndEveryRevokeLandsAndNothingIsLeftBehind() throws Exception {
    api.putConfigMap("kube-system", "aws-auth", Map.of("mapRoles", FOREIGN));
    api.putObject(
        "clusterroles",
        "",
        """
        {"metadata":{"name":"view"},
         "rules":[{"apiGroups":[""],"resources":["pods"],"verbs":["get","list","watch"]}]}""");

    List<Throwable> grantFailures =
        all(
            i ->
                () ->
                    cluster()
                        .plan(
                            ClusterAccess.grant(role(i))
                                .asGroup(group(i))
                                .bind(ClusterRole.VIEW)
                                .inNamespace("apps"))
                        .apply());
    assertThat(grantFailures).as("grants that gave up").isEmpty();
    List<IdentityMapping> mapped = mappings();
    for (int i = 0; i < SERVICES; i++) {
      int n = i;
      assertThat(mapped)
          .as("mapping of service " + i)
          .anyMatch(m -> m.principal().equals(role(n)) && m.groups().equals(List.of(group(n))));
    }
    List<RbacBinding> bindings = bindings();
    assertThat(bindings).as("one binding per group").hasSize(SERVICES / 2 + 1);

    List<Throwable> revokeFailures = all(i -> () -> cluster().planRevoke(role(i)).apply());
    assertThat(revokeFailures).as("revokes that gave up").isEmpty();
    assertThat(mappings())
        .as("only the entries the services did not touch are left")
        .extracting(m -> m.principal().name())
        .containsExactly("NodeInstanceRole", "Admin");
    assertThat(bindings()).as("bindings left behind").isEmpty();
  }

  List<Throwable> all(java.util.function.IntFunction<Callable<?>> job) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(SERVICES);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int i = 0; i < SERVICES; i++) {
      Callable<?> c = job.apply(i);
      done.add(
          pool.submit(
              () -> {
                start.await();
                return c.call();
              }));
    }
    start.countDown();
    List<Throwable> failures = new ArrayList<>();
    for (Future<?> f : done) {
      try {
        f.get(3, TimeUnit.MINUTES);
      } catch (java.util.concurrent.ExecutionException e) {
        failures.add(e.getCause());
      }
    }
    pool.shutdown();
    return failures;
  }

  List<IdentityMapping> mappings() {
    return AwsAuth.backend(new ClientBuilder().setBasePath(api.baseUrl()).build())
        .read()
        .mappings();
  }

  List<RbacBinding> bindings() {
    Supplier<ApiClient> client = () -> new ClientBuilder().setBasePath(api.baseUrl()).build();
    return RbacSnapshot.read(client.get()).bindings();
  }
}
