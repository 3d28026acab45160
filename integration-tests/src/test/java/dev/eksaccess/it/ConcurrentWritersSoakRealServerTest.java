package dev.eksaccess.it;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The 32-writer aws-auth soak of {@code reliability}'s {@code ConcurrentWritersSoakTest}, against a
 * real kube-apiserver (its races are real; no injected faults): each writer, with its own client
 * and backend, adds two mappings and removes one; the ConfigMap ends with exactly every writer's
 * changes and every entry that was there before, text and comments included.
 */
class ConcurrentWritersSoakRealServerTest {
  @RegisterExtension static final RealKubeApi KUBE = new RealKubeApi();

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
    KUBE.putAwsAuth(
        Map.of("mapRoles", roles.toString(), "mapUsers", "[]\n", "x-notes", "kept as is\n"));

    ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int i = 0; i < WRITERS; i++) {
      int w = i;
      done.add(
          pool.submit(
              () -> {
                AwsAuthBackend ids =
                    AwsAuth.builder(KUBE.client())
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
    long began = System.nanoTime();
    start.countDown();
    try {
      for (Future<?> f : done) {
        f.get(3, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);

    Map<String, String> data = KUBE.awsAuthData();
    assertThat(data).isNotNull();
    String text = data.get("mapRoles");
    assertThat(text).startsWith(HEADER);
    assertThat(data).containsEntry("x-notes", "kept as is\n").containsEntry("mapUsers", "[]\n");
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
    assertThat(KUBE.writes())
        .as("one landed write per writer, and more for lost races")
        .isGreaterThanOrEqualTo(WRITERS);
    // test output, for the record of a run: how many writes the races cost
    System.err.printf(
        "[eks-access] aws-auth soak on a real server: %d writers landed with %d writes in %d ms%n",
        WRITERS, KUBE.writes(), millis);
  }
}
