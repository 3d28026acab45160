package dev.eksaccess.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.RetryPolicy;
import dev.eksaccess.api.spi.IdentityChange;
import dev.eksaccess.api.spi.IdentityChanges;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.awsauth.AwsAuth;
import dev.eksaccess.awsauth.AwsAuthBackend;
import dev.eksaccess.awsauth.AwsAuthDocument;
import dev.eksaccess.awsauth.AwsAuthEntry;
import dev.eksaccess.testkit.FakeKubeApi;
import dev.eksaccess.testkit.KubeFault;
import io.kubernetes.client.util.ClientBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * 32 writers edit one aws-auth at once through the real Kubernetes client, against the wire-level
 * fake API server, while it answers with lost races, outages, outages after the write landed and
 * dropped connections: the ConfigMap ends with exactly every writer's changes and every entry that
 * was there before, text and comments included.
 */
class ConcurrentWritersSoakTest {
  static final int WRITERS = 32;
  static final String HEADER =
      """
      # managed by the platform team; do not hand-edit
      - rolearn: arn:aws:iam::111122223333:role/NodeInstanceRole
        username: system:node:{{EC2PrivateDNSName}}
        groups:
          - system:bootstrappers   # nodes join with this
          - system:nodes
      - rolearn: arn:aws:iam::111122223333:role/Admin
        username: admin
        x-owner: platform          # a field eks-access does not model
        groups: [system:masters]
      """;

  final FakeKubeApi api = FakeKubeApi.start();

  @AfterEach
  void stop() {
    api.close();
  }

  static IamRole role(String name) {
    return IamRole.of("arn:aws:iam::111122223333:role/" + name);
  }

  @Test
  void everyWritersChangesAndEveryEarlierEntryLand() throws Exception {
    StringBuilder roles = new StringBuilder(HEADER);
    for (int i = 0; i < WRITERS; i++) {
      roles.append("- rolearn: ").append(role("Leaver" + i).arn().value()).append('\n');
      roles.append("  username: leaver").append(i).append('\n');
      roles.append("- rolearn: ").append(role("Keeper" + i).arn().value()).append('\n');
      roles.append("  username: keeper").append(i).append("   # keep me\n");
    }
    api.putConfigMap(
        "kube-system",
        "aws-auth",
        Map.of("mapRoles", roles.toString(), "mapUsers", "[]\n", "x-notes", "kept as is\n"));
    for (int i = 0; i < 8; i++) {
      api.inject("PUT", KubeFault.status(503))
          .inject("PUT", KubeFault.afterCommit(500))
          .inject("PUT", KubeFault.droppedAfterCommit())
          .inject("GET", KubeFault.status(500));
    }

    ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int i = 0; i < WRITERS; i++) {
      int w = i;
      done.add(
          pool.submit(
              () -> {
                AwsAuthBackend ids =
                    AwsAuth.builder(new ClientBuilder().setBasePath(api.baseUrl()).build())
                        .retryPolicy(
                            RetryPolicy.of(200, Duration.ofMillis(1), Duration.ofMillis(50)))
                        .build();
                start.await();
                ids.update(
                    IdentityChanges.of(
                        List.of(
                            new IdentityChange.Put(
                                IdentityMapping.of(role("Writer" + w + "a"))
                                    .withUsername("w" + w)
                                    .withGroups(List.of("acme:w" + w))),
                            new IdentityChange.Put(
                                IdentityMapping.of(role("Writer" + w + "b"))
                                    .withUsername("w" + w + "b")),
                            new IdentityChange.Remove(role("Leaver" + w)))));
                return null;
              }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get(2, TimeUnit.MINUTES);
    }
    pool.shutdown();

    Map<String, String> data = api.configMapData("kube-system", "aws-auth").orElseThrow();
    String text = data.get("mapRoles");
    assertThat(text).startsWith(HEADER);
    assertThat(data).containsEntry("x-notes", "kept as is\n");
    List<String> arns =
        AwsAuthDocument.parse(data).roleMappings().stream().map(AwsAuthEntry::arn).toList();
    List<String> want = new ArrayList<>();
    want.add(role("NodeInstanceRole").arn().value());
    want.add(role("Admin").arn().value());
    for (int i = 0; i < WRITERS; i++) {
      want.add(role("Keeper" + i).arn().value());
      want.add(role("Writer" + i + "a").arn().value());
      want.add(role("Writer" + i + "b").arn().value());
      assertThat(text).contains("  username: keeper" + i + "   # keep me\n");
    }
    assertThat(arns).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(want);
    assertThat(api.count("PUT")).as("the faults and the races were met").isGreaterThan(WRITERS);
  }
}
