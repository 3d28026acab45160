package dev.eksaccess.api.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.api.BreakGlass;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.InvalidInputException.Problem;
import dev.eksaccess.api.spi.BreakGlassMark;
import dev.eksaccess.api.spi.IdentityMapping;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What an aws-auth write may hold of the names Kubernetes and EKS keep: the shared rule. */
class AwsAuthReservedNamesTest {
  private static final IamRole NODES =
      IamRole.of("arn:aws:iam::111122223333:role/NodeInstanceRole");
  private static final String EC2_NODE = "system:node:{{EC2PrivateDNSName}}";
  private static final BreakGlassMark MARK =
      new BreakGlassMark("INC-1", Instant.EPOCH, Instant.EPOCH.plusSeconds(3600), Optional.empty());

  private static List<Problem> problems(IdentityMapping m) {
    return ReservedNames.awsAuthProblems(m, null, "mapRoles");
  }

  @Test
  void nodeRoleMappingsOfEveryKindMayBeWritten() {
    assertThat(
            problems(
                IdentityMapping.of(NODES)
                    .withUsername(EC2_NODE)
                    .withGroups(List.of("system:bootstrappers", "system:nodes"))))
        .isEmpty();
    assertThat(
            problems(
                IdentityMapping.of(NODES)
                    .withUsername(EC2_NODE)
                    .withGroups(
                        List.of("eks:kube-proxy-windows", "system:bootstrappers", "system:nodes"))))
        .as("Windows")
        .isEmpty();
    assertThat(
            problems(
                IdentityMapping.of(NODES)
                    .withUsername("system:node:{{SessionName}}")
                    .withGroups(
                        List.of("system:bootstrappers", "system:nodes", "system:node-proxier"))))
        .as("Fargate")
        .isEmpty();
  }

  @Test
  void theBreakGlassMappingMayHoldSystemMastersOnlyWithItsRecord() {
    IdentityMapping breakGlass =
        IdentityMapping.of(NODES)
            .withUsername(BreakGlass.AWS_AUTH_USERNAME)
            .withGroups(List.of("system:masters"));

    assertThat(problems(breakGlass.withBreakGlass(Optional.of(MARK)))).isEmpty();
    assertThat(problems(breakGlass))
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.message())
                    .contains("ClusterAccess.breakGlass(role)")
                    .contains("ClusterRole.CLUSTER_ADMIN"));
    assertThat(
            problems(
                IdentityMapping.of(NODES)
                    .withUsername("ops")
                    .withGroups(List.of("system:masters"))
                    .withBreakGlass(Optional.of(MARK))))
        .as("a record does not make any username a break-glass one")
        .hasSize(1);
  }

  @Test
  void nodeGroupsNeedANodeUsername() {
    assertThat(
            problems(
                IdentityMapping.of(NODES).withUsername("jane").withGroups(List.of("system:nodes"))))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.location()).isEqualTo("mapRoles groups[0]");
              assertThat(p.message()).contains("system:node:{{EC2PrivateDNSName}}");
            });
  }

  @Test
  void aNodeUsernameDoesNotCarryOtherReservedGroups() {
    assertThat(
            problems(
                IdentityMapping.of(NODES)
                    .withUsername(EC2_NODE)
                    .withGroups(List.of("system:nodes", "system:masters", "eks:x"))))
        .extracting(Problem::location)
        .containsExactly("mapRoles groups[1]", "mapRoles groups[2]");
  }

  @Test
  void templatesThatCanBecomeReservedAreRefused() {
    assertThat(
            problems(
                IdentityMapping.of(NODES)
                    .withUsername("{{SessionName}}:admin")
                    .withGroups(List.of("system:{{SessionName}}", "{{SessionNameRaw}}:masters"))))
        .extracting(Problem::location)
        .containsExactly("mapRoles username", "mapRoles groups[0]", "mapRoles groups[1]");
  }

  @Test
  void namesTheEntryAlreadyHoldsMayStay() {
    IdentityMapping existing =
        IdentityMapping.of(NODES).withUsername("admin").withGroups(List.of("system:masters"));
    IdentityMapping more =
        existing.withGroups(List.of("system:masters", "acme:ops", "system:viewers"));

    assertThat(ReservedNames.awsAuthProblems(more, existing, "mapRoles"))
        .as("only the reserved name the write adds")
        .extracting(Problem::value)
        .containsExactly("system:viewers");
  }

  @Test
  void ordinaryMappingsHaveNoProblems() {
    assertThat(
            problems(
                IdentityMapping.of(NODES)
                    .withUsername("dev:{{SessionName}}")
                    .withGroups(List.of("acme:devs"))))
        .isEmpty();
    assertThat(problems(IdentityMapping.of(NODES).withGroups(List.of("acme:devs")))).isEmpty();
  }
}
