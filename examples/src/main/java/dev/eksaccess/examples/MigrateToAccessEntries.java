package dev.eksaccess.examples;

import dev.eksaccess.accessentries.AccessEntries;
import dev.eksaccess.accessentries.AccessEntriesBackend;
import dev.eksaccess.accessentries.AuthenticationModes;
import dev.eksaccess.awsauth.AwsAuth;
import dev.eksaccess.awsauth.AwsAuthBackend;
import dev.eksaccess.migration.Migration;
import dev.eksaccess.migration.MigrationPlan;
import dev.eksaccess.migration.RoleResolver;
import dev.eksaccess.testkit.FakeEksApi;
import dev.eksaccess.testkit.FakeKubeApi;
import io.kubernetes.client.util.ClientBuilder;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;

/**
 * A cluster moved from aws-auth to Access Entries, step by step: plan, move to API_AND_CONFIG_MAP,
 * create the entries, verify that every principal maps as it did, move to API, and only then remove
 * aws-auth. The real backends and the real {@code EksClient} and Kubernetes client work against
 * {@link FakeEksApi} and {@link FakeKubeApi} on loopback.
 *
 * <pre>{@code
 * ./mvnw -q -pl examples -am compile exec:java -Dexec.mainClass=dev.eksaccess.examples.MigrateToAccessEntries
 * }</pre>
 */
public final class MigrateToAccessEntries {
  private MigrateToAccessEntries() {}

  /**
   * Runs the migration and prints to standard output.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    run(System.out);
  }

  /**
   * Runs the migration, printing to {@code out}.
   *
   * @param out where to print
   */
  public static void run(PrintStream out) {
    try (FakeEksApi eksApi = FakeEksApi.start().addCluster("prod", "CONFIG_MAP");
        FakeKubeApi kubeApi = FakeKubeApi.start();
        EksClient eks =
            EksClient.builder()
                .endpointOverride(URI.create(eksApi.baseUrl()))
                .region(Region.US_WEST_2)
                .credentialsProvider(
                    StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIDEXAMPLE", "example")))
                .build()) {
      kubeApi.putConfigMap(
          "kube-system",
          "aws-auth",
          Map.of(
              "mapRoles",
              """
              - rolearn: arn:aws:iam::111122223333:role/NodeInstanceRole
                username: system:node:{{EC2PrivateDNSName}}
                groups: [system:bootstrappers, system:nodes]
              - rolearn: arn:aws:iam::111122223333:role/Admin
                username: admin:{{SessionName}}
                groups: [system:masters]
              - rolearn: arn:aws:iam::111122223333:role/DevTeamRole
                username: dev:{{SessionName}}
                groups: [acme:devs]
              """));
      AwsAuthBackend awsAuth =
          AwsAuth.backend(new ClientBuilder().setBasePath(kubeApi.baseUrl()).build());
      AccessEntriesBackend entries = AccessEntries.backend(eks, "prod");
      AuthenticationModes modes =
          AuthenticationModes.builder(eks, "prod").pollInterval(Duration.ofMillis(10)).build();

      MigrationPlan plan =
          Migration.fromAwsAuth(awsAuth.document(), entries, RoleResolver.asWritten());
      out.println(plan);
      out.println("moved to API_AND_CONFIG_MAP: " + plan.switchToApiAndConfigMap(modes));
      out.println("writes to EKS: " + plan.createEntries(entries));
      out.println(plan.verify(entries));
      plan.switchToApi(modes, entries, awsAuth);
      out.println("authentication mode: " + modes.current());
      out.println(
          "aws-auth removed: " + plan.removeAwsAuth(modes, awsAuth, awsAuth.read().version()));
      entries
          .read()
          .mappings()
          .forEach(
              m ->
                  out.println(
                      "  entry "
                          + m.principal()
                          + " groups "
                          + m.groups()
                          + " policies "
                          + m.policies()));
    }
  }
}
