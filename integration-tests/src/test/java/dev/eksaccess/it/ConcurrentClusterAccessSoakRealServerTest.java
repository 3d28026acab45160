package dev.eksaccess.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.api.ClusterAccess;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.awsauth.AwsAuth;
import dev.eksaccess.rbac.Rbac;
import dev.eksaccess.testkit.ConcurrencySoak;
import java.util.Map;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The concurrency soak of {@code reliability}'s {@code ConcurrentClusterAccessSoakTest} on a real
 * kube-apiserver: 32 services, each with its own {@link ClusterAccess} and client, grant a role
 * each at once (half into one shared group) and then revoke them all at once, with the default
 * retry policy. Every grant and every revoke must land, no binding may be left without its mapping,
 * and the mappings nobody touched stay.
 */
class ConcurrentClusterAccessSoakRealServerTest {
  @RegisterExtension static final RealKubeApi KUBE = new RealKubeApi();

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

  @RepeatedTest(3)
  void everyGrantAndEveryRevokeLandsAndNothingIsLeftBehind() throws Exception {
    KUBE.putAwsAuth(Map.of("mapRoles", FOREIGN));
    String ns = KUBE.namespace();
    String suffix = KUBE.suffix();

    ConcurrencySoak.Report r =
        ConcurrencySoak.run(
            SERVICES,
            () ->
                ClusterAccess.builder()
                    .clusterName("real")
                    .identities(AwsAuth.backend(KUBE.client()))
                    .rbac(Rbac.backend(KUBE.client()))
                    .build(),
            AwsAuth.backend(KUBE.client()),
            Rbac.backend(KUBE.client()),
            ns,
            i -> IamRole.of("arn:aws:iam::111122223333:role/Service" + i + "-" + suffix));

    System.err.println("real kube-apiserver, " + SERVICES + " services: " + r);
    assertThat(r.isClean()).as(r.toString()).isTrue();
  }
}
