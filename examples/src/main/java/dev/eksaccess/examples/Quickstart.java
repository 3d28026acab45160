package dev.eksaccess.examples;

import dev.eksaccess.api.ApplyResult;
import dev.eksaccess.api.Caller;
import dev.eksaccess.api.ClusterAccess;
import dev.eksaccess.api.ClusterRole;
import dev.eksaccess.api.Grant;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.Plan;
import dev.eksaccess.api.Request;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.testkit.FakeCluster;
import java.io.PrintStream;
import java.util.List;

/**
 * The quickstart: on an in-memory cluster (no AWS account, no Kubernetes), plan a grant, apply it,
 * show that planning again finds nothing to do, and explain one allowed and one denied request.
 *
 * <pre>{@code
 * ./mvnw -q -pl examples -am compile exec:java
 * }</pre>
 */
public final class Quickstart {
  private Quickstart() {}

  /**
   * Runs the quickstart and prints to standard output.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    run(System.out);
  }

  /**
   * Runs the quickstart, printing to {@code out}.
   *
   * @param out where to print
   */
  public static void run(PrintStream out) {
    // An in-memory cluster whose identities live in aws-auth, with a node role already mapped.
    FakeCluster cluster = FakeCluster.awsAuth("prod");
    cluster.seed(
        IdentityMapping.of(IamRole.of("arn:aws:iam::111122223333:role/NodeInstanceRole"))
            .withUsername("system:node:{{EC2PrivateDNSName}}")
            .withGroups(List.of("system:bootstrappers", "system:nodes")));
    ClusterAccess prod = cluster.clusterAccess();

    Grant devs =
        ClusterAccess.grant(IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole"))
            .asGroup("acme:devs")
            .bind(ClusterRole.VIEW)
            .inNamespace("prod-apps");

    Plan plan = prod.plan(devs);
    out.println(plan);

    ApplyResult applied = plan.apply();
    out.println(
        "Applied " + applied.applied().size() + " changes with " + applied.writes() + " writes.");
    out.println();

    out.println("Planning the same grant again:");
    out.println(prod.plan(devs));

    Caller jane = Caller.of("arn:aws:sts::111122223333:assumed-role/DevTeamRole/jane@example.com");
    out.println(prod.explain(jane, Request.verb("get").resource("pods").inNamespace("prod-apps")));
    out.println(
        prod.explain(jane, Request.verb("delete").resource("pods").inNamespace("prod-apps")));
  }
}
