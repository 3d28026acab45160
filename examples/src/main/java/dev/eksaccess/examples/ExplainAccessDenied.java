package dev.eksaccess.examples;

import dev.eksaccess.api.Caller;
import dev.eksaccess.api.ClusterAccess;
import dev.eksaccess.api.Request;
import dev.eksaccess.awsauth.AwsAuth;
import dev.eksaccess.rbac.Rbac;
import dev.eksaccess.testkit.FakeKubeApi;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import java.io.PrintStream;
import java.util.Map;

/**
 * "Access denied, but I am an AWS admin": explain requests across both bouncers with live data. The
 * real aws-auth and RBAC backends read a cluster through the real Kubernetes client; here the
 * cluster is {@link FakeKubeApi} on loopback, so the example runs anywhere. Point the client at
 * your cluster ({@code EksClusters.forCluster(..)}) and the code stays the same.
 *
 * <pre>{@code
 * ./mvnw -q -pl examples -am compile exec:java -Dexec.mainClass=dev.eksaccess.examples.ExplainAccessDenied
 * }</pre>
 */
public final class ExplainAccessDenied {
  private ExplainAccessDenied() {}

  /**
   * Runs the example and prints to standard output.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    run(System.out);
  }

  /**
   * Runs the example, printing to {@code out}.
   *
   * @param out where to print
   */
  public static void run(PrintStream out) {
    try (FakeKubeApi cluster = FakeKubeApi.start()) {
      // What the cluster holds: aws-auth as a platform team wrote it, and RBAC.
      cluster.putConfigMap(
          "kube-system",
          "aws-auth",
          Map.of(
              "mapRoles",
              """
              - rolearn: arn:aws:iam::111122223333:role/DevTeamRole
                username: dev:{{SessionName}}
                groups: [acme:devs]
              - rolearn: arn:aws:iam::111122223333:role/platform/OpsRole
                username: ops:{{SessionName}}
                groups: [acme:ops]
              - rolearn: arn:aws:iam::111122223333:role/AuditorRole
                username: auditor
                groups: [acme:auditors]
              """));
      cluster.putObject(
          "clusterroles",
          "",
          """
          {"metadata":{"name":"view"},
           "rules":[{"apiGroups":[""],"resources":["pods","services"],"verbs":["get","list","watch"]}]}""");
      cluster.putObject(
          "rolebindings",
          "prod-apps",
          """
          {"metadata":{"name":"devs-view","namespace":"prod-apps"},
           "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"},
           "subjects":[{"kind":"Group","apiGroup":"rbac.authorization.k8s.io","name":"acme:devs"}]}""");

      ApiClient client = new ClientBuilder().setBasePath(cluster.baseUrl()).build();
      ClusterAccess prod =
          ClusterAccess.builder()
              .clusterName("prod")
              .identities(AwsAuth.backend(client))
              .rbac(Rbac.backend(client))
              .build();

      explain(
          out, prod, "arn:aws:sts::111122223333:assumed-role/DevTeamRole/jane", "get", "prod-apps");
      explain(
          out,
          prod,
          "arn:aws:sts::111122223333:assumed-role/DevTeamRole/jane",
          "delete",
          "prod-apps");
      explain(
          out, prod, "arn:aws:sts::111122223333:assumed-role/DevTeamRole/jane", "get", "payments");
      explain(out, prod, "arn:aws:sts::111122223333:assumed-role/OpsRole/sam", "get", "prod-apps");
      explain(
          out, prod, "arn:aws:sts::111122223333:assumed-role/AuditorRole/ann", "get", "prod-apps");
      explain(
          out, prod, "arn:aws:sts::111122223333:assumed-role/AdminRole/bob", "get", "prod-apps");
    }
  }

  private static void explain(
      PrintStream out, ClusterAccess prod, String caller, String verb, String namespace) {
    out.println(
        prod.explain(
            Caller.of(caller), Request.verb(verb).resource("pods").inNamespace(namespace)));
    out.println("---");
  }
}
