package dev.eksaccess.examples;

import dev.eksaccess.api.BreakGlass;
import dev.eksaccess.api.Caller;
import dev.eksaccess.api.ClusterAccess;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.Plan;
import dev.eksaccess.api.Request;
import dev.eksaccess.awsauth.AwsAuth;
import dev.eksaccess.rbac.Rbac;
import dev.eksaccess.testkit.FakeKubeApi;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * A break-glass drill: an on-call engineer gets cluster-admin for two hours for an incident, the
 * plan and the audit show who, why and until when, and the expiry sweep takes it back, and nothing
 * else. The real aws-auth and RBAC backends work through the real Kubernetes client against {@link
 * FakeKubeApi} on loopback; the clock is fixed, and "two hours later" is a clock two hours ahead.
 *
 * <pre>{@code
 * ./mvnw -q -pl examples -am compile exec:java -Dexec.mainClass=dev.eksaccess.examples.BreakGlassDrill
 * }</pre>
 */
public final class BreakGlassDrill {
  private BreakGlassDrill() {}

  /**
   * Runs the drill and prints to standard output.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    run(System.out);
  }

  /**
   * Runs the drill, printing to {@code out}.
   *
   * @param out where to print
   */
  public static void run(PrintStream out) {
    try (FakeKubeApi cluster = FakeKubeApi.start()) {
      cluster.putConfigMap(
          "kube-system",
          "aws-auth",
          Map.of(
              "mapRoles",
              """
              - rolearn: arn:aws:iam::111122223333:role/NodeInstanceRole
                username: system:node:{{EC2PrivateDNSName}}
                groups:
                  - system:bootstrappers
                  - system:nodes
              """));
      ApiClient client = new ClientBuilder().setBasePath(cluster.baseUrl()).build();
      Caller jane = Caller.of("arn:aws:sts::111122223333:assumed-role/BreakGlass/jane");
      Request drainNode = Request.verb("delete").resource("nodes");

      Instant start = Instant.parse("2026-11-23T10:00:00Z"); // fixed, so the output is the same
      ClusterAccess now = prod(client, Clock.fixed(start, ZoneOffset.UTC));
      BreakGlass incident =
          ClusterAccess.breakGlass(IamRole.of("arn:aws:iam::111122223333:role/BreakGlass"))
              .forDuration(Duration.ofHours(2))
              .because("INC-123");
      Plan plan = now.plan(incident);
      out.println(plan);
      plan.apply();
      out.println("jane may delete nodes: " + now.explain(jane, drainNode).allowed());
      out.println(now.audit().breakGlass().get(0));
      out.println("swept now: " + now.expireBreakGlass().applied().size() + " removed");

      ClusterAccess later =
          prod(client, Clock.fixed(start.plus(Duration.ofHours(2)), ZoneOffset.UTC));
      out.println(later.planExpireBreakGlass());
      out.println(
          "swept two hours later: " + later.expireBreakGlass().applied().size() + " removed");
      out.println("jane may delete nodes: " + later.explain(jane, drainNode).allowed());
      out.println("mappings left: " + later.audit().rows().size() + " (the node role)");
    }
  }

  private static ClusterAccess prod(ApiClient client, Clock clock) {
    return ClusterAccess.builder()
        .clusterName("prod")
        .identities(AwsAuth.backend(client))
        .rbac(Rbac.backend(client))
        .actingAs(Caller.of("arn:aws:sts::111122223333:assumed-role/OnCall/sam"))
        .clock(clock)
        .build();
  }
}
