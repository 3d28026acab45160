package dev.eksaccess.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.PolicyAssociation;
import dev.eksaccess.testkit.FakeCluster;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Entries EKS and AWS services make are recognised, marked, and left alone unless forced. */
class ManagedEntryTest {
  static final IamRole NODE = IamRole.of("arn:aws:iam::111122223333:role/NodeRole");
  static final IamRole ARGO = IamRole.of("arn:aws:iam::111122223333:role/ArgoCapabilityRole");
  static final IamRole DEV = IamRole.of("arn:aws:iam::111122223333:role/Dev");

  private static Optional<ManagedEntry.Kind> kind(IdentityMapping m) {
    return ManagedEntry.kindOf(m);
  }

  private static IdentityMapping withPolicy(IamRole role, String policy) {
    return IdentityMapping.of(role)
        .withPolicy(new PolicyAssociation(AccessPolicy.named(policy), Scope.cluster()));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"EC2_LINUX", "EC2_WINDOWS", "FARGATE_LINUX", "HYBRID_LINUX", "HYPERPOD_LINUX"})
  void everyNodeEntryTypeIsANode(String type) {
    assertThat(kind(IdentityMapping.of(NODE).withEntryType(type))).contains(ManagedEntry.Kind.NODE);
  }

  @Test
  void recognisesEachKindByWhatEksRecords() {
    assertThat(kind(IdentityMapping.of(NODE).withEntryType("EC2")))
        .contains(ManagedEntry.Kind.AUTO_MODE_NODE);
    assertThat(kind(withPolicy(NODE, "AmazonEKSAutoNodePolicy")))
        .contains(ManagedEntry.Kind.AUTO_MODE_NODE);
    assertThat(kind(withPolicy(DEV, "AmazonEKSComputeClusterPolicy")))
        .contains(ManagedEntry.Kind.AUTO_MODE_CLUSTER_ROLE);
    assertThat(kind(withPolicy(ARGO, "AmazonEKSArgoCDClusterPolicy")))
        .contains(ManagedEntry.Kind.CAPABILITY);
    assertThat(kind(withPolicy(ARGO, "AmazonEKSKROPolicy"))).contains(ManagedEntry.Kind.CAPABILITY);
    assertThat(
            kind(
                IdentityMapping.of(
                    IamRole.of(
                        "arn:aws:iam::111122223333:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS"))))
        .contains(ManagedEntry.Kind.SERVICE_LINKED_ROLE);
    assertThat(
            kind(
                IdentityMapping.of(NODE)
                    .withUsername("system:node:{{EC2PrivateDNSName}}")
                    .withGroups(List.of("system:bootstrappers", "system:nodes"))))
        .contains(ManagedEntry.Kind.NODE);
    IdentityMapping creator = withPolicy(DEV, "AmazonEKSClusterAdminPolicy");
    assertThat(kind(creator)).isEmpty();
    assertThat(ManagedEntry.kindOf(creator, DEV)).contains(ManagedEntry.Kind.CLUSTER_CREATOR);
    assertThat(kind(IdentityMapping.of(DEV).withEntryType("STANDARD"))).isEmpty();
  }

  @Test
  void standardIsTheDefaultSpellingAndTypesAreCaseSensitive() {
    assertThat(IdentityMapping.of(DEV).withEntryType("STANDARD"))
        .isEqualTo(IdentityMapping.of(DEV));
    InvalidInputException e =
        catchThrowableOfType(
            InvalidInputException.class, () -> IdentityMapping.of(NODE).withEntryType("Ec2_Linux"));
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    assertThat(e.problems().get(0).location()).isEqualTo("entryType");
  }

  private static FakeCluster cluster() {
    FakeCluster prod = FakeCluster.accessEntries("prod");
    prod.seedAccessEntry(withPolicy(ARGO, "AmazonEKSArgoCDClusterPolicy"));
    prod.seedAccessEntry(
        IdentityMapping.of(NODE)
            .withEntryType("EC2")
            .withPolicy(
                new PolicyAssociation(
                    AccessPolicy.named("AmazonEKSAutoNodePolicy"), Scope.cluster())));
    prod.seedAccessEntry(withPolicy(DEV, "AmazonEKSClusterAdminPolicy"));
    return prod;
  }

  @Test
  void auditMarksThemInTableAndJson() throws Exception {
    Audit audit = cluster().clusterAccess().audit();

    assertThat(audit.rows())
        .extracting(r -> r.principal() + " " + r.awsManaged().map(Enum::name).orElse("-"))
        .containsExactlyInAnyOrder(
            ARGO.arn().value() + " CAPABILITY",
            NODE.arn().value() + " AUTO_MODE_NODE",
            DEV.arn().value() + " -");
    assertThat(audit.toTable()).contains("AWS-MANAGED").contains("CAPABILITY");
    assertThat(new ObjectMapper().readTree(audit.toJson()).path("principals"))
        .extracting(n -> n.path("awsManaged").asText())
        .contains("CAPABILITY", "AUTO_MODE_NODE", "null");
  }

  @Test
  void aRevokeOfOneIsRefusedUnlessForcedByName() {
    FakeCluster prod = cluster();
    ClusterAccess ca = prod.clusterAccess();
    int before = prod.requests().size();

    UnsafeChangeException e =
        catchThrowableOfType(UnsafeChangeException.class, () -> ca.planRevoke(ARGO).apply());

    assertThat(e.code()).isEqualTo(ErrorCode.AWS_MANAGED_ENTRY);
    assertThat(e.violations())
        .extracting(Violation::guard)
        .containsExactly(Guard.AWS_MANAGED_ENTRY);
    assertThat(e.getMessage())
        .contains("an EKS capability")
        .contains(".force(Guard.AWS_MANAGED_ENTRY)");
    assertThat(prod.requests().subList(before, prod.requests().size()))
        .noneMatch(dev.eksaccess.testkit.RecordedRequest::isWrite);

    ca.planRevoke(ARGO).force(Guard.AWS_MANAGED_ENTRY).apply();
    assertThat(ca.audit().rows())
        .extracting(Audit.Row::principal)
        .doesNotContain(ARGO.arn().value());
  }

  @Test
  void aGrantThatWouldChangeOneIsRefusedToo() {
    ClusterAccess ca = cluster().clusterAccess();

    UnsafeChangeException e =
        catchThrowableOfType(
            UnsafeChangeException.class,
            () ->
                ca.plan(
                        ClusterAccess.grant(NODE)
                            .asGroup("acme:devs")
                            .bind(ClusterRole.VIEW)
                            .inNamespace("apps"))
                    .apply());

    assertThat(e.violations()).extracting(Violation::guard).contains(Guard.AWS_MANAGED_ENTRY);
    assertThat(e.getMessage()).contains("Refusing to change").contains("EKS Auto Mode");
  }

  @Test
  void anEntryPeopleMadeIsRevokedWithoutForce() {
    ClusterAccess ca = cluster().clusterAccess();
    ca.planRevoke(DEV).force(Guard.LAST_ADMIN).apply();
    assertThat(ca.audit().rows())
        .extracting(Audit.Row::principal)
        .doesNotContain(DEV.arn().value());
  }
}
