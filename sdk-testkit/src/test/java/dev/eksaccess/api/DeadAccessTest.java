package dev.eksaccess.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.PolicyAssociation;
import dev.eksaccess.testkit.EksFault;
import dev.eksaccess.testkit.FakeCluster;
import dev.eksaccess.testkit.FakeIam;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Dead access: what IAM knows and EKS does not tell (deleted roles, roles created again). */
class DeadAccessTest {
  static final String ACCOUNT = "111122223333";
  static final IamRole DEV = IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole");
  static final IamRole OPS = IamRole.of("arn:aws:iam::111122223333:role/Ops");
  static final IamRole GONE = IamRole.of("arn:aws:iam::111122223333:role/Gone");
  static final Instant LONG_AGO = Instant.parse("2025-06-01T00:00:00Z");
  static final Grant DEVS =
      ClusterAccess.grant(DEV)
          .asGroup("acme:devs")
          .bind(ClusterRole.VIEW)
          .inNamespace("prod-apps")
          .and()
          .bind(AccessPolicy.VIEW)
          .inNamespace("prod-apps");

  final FakeIam iam =
      FakeIam.forAccount(ACCOUNT)
          .createRole(DEV.arn().value(), LONG_AGO)
          .createRole(OPS.arn().value(), LONG_AGO);

  static ClusterAccess withIam(FakeCluster prod, FakeIam iam) {
    return ClusterAccess.builder()
        .clusterName("prod")
        .identities(prod.identities())
        .rbac(prod.rbac())
        .clock(java.time.Clock.fixed(prod.now(), java.time.ZoneOffset.UTC))
        .iam(iam)
        .build();
  }

  static List<Audit.Finding> findings(ClusterAccess access, Audit.Finding.Code code) {
    return access.audit().findings().stream().filter(f -> f.code() == code).toList();
  }

  @Test
  void anEntryOlderThanItsRoleIsDeadAndTheRepairRecreatesItWithTheSameAccess() {
    FakeCluster prod = FakeCluster.accessEntries("prod");
    prod.clusterAccess().plan(DEVS).apply(); // the entry is created at the cluster's clock: START
    ClusterAccess access = withIam(prod, iam);
    assertThat(findings(access, Audit.Finding.Code.DEAD_ENTRY_ROLE_RECREATED)).isEmpty();
    assertThat(access.planRepairDeadAccess().isEmpty()).isTrue();
    IdentityMapping before = prod.identities().read().mappings().get(0);

    // someone deletes the role and creates it again: same name, new unique id
    iam.deleteRole("DevTeamRole")
        .createRole(DEV.arn().value(), FakeCluster.START.plusSeconds(3600));

    List<Audit.Finding> dead = findings(access, Audit.Finding.Code.DEAD_ENTRY_ROLE_RECREATED);
    assertThat(dead)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.object()).isEqualTo("access entry " + DEV);
              assertThat(f.detail())
                  .contains("was created at " + FakeCluster.START)
                  .contains("planRepairDeadAccess");
            });
    assertThat(access.audit().toJson()).contains("\"code\":\"DEAD_ENTRY_ROLE_RECREATED\"");

    DeadAccessRepair repair = access.planRepairDeadAccess();
    assertThat(repair.changes())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.action()).isEqualTo(Change.Action.REPLACE);
              assertThat(c.object()).isEqualTo("access entry " + DEV);
              assertThat(c.details())
                  .contains(
                      "groups acme:devs", "policy AmazonEKSViewPolicy in namespaces prod-apps");
            });
    assertThat(repair.toString())
        .startsWith("Repair of dead access in cluster prod: 1 entry to recreate\n-/+ access entry");
    int writesBefore = prod.requests().stream().filter(r -> r.isWrite()).toList().size();

    prod.advanceClock(Duration.ofDays(1));
    ApplyResult result = repair.apply();

    assertThat(result.applied()).containsExactlyElementsOf(repair.changes());
    assertThat(prod.requests().stream().filter(r -> r.isWrite()).count())
        .isEqualTo(writesBefore + 2); // delete, then create
    assertThat(prod.identities().read().mappings()).containsExactly(before);
    assertThat(findings(access, Audit.Finding.Code.DEAD_ENTRY_ROLE_RECREATED)).isEmpty();
  }

  @Test
  void aRoleIamNoLongerHasIsReportedOnBothBackendsEachInItsOwnTerms() {
    FakeCluster awsAuth = FakeCluster.awsAuth("prod");
    awsAuth.seed(IdentityMapping.of(GONE).withUsername("gone").withGroups(List.of("acme:old")));
    FakeCluster entries = FakeCluster.accessEntries("prod");
    entries.seedAccessEntry(IdentityMapping.of(GONE).withGroups(List.of("acme:old")));

    assertThat(findings(withIam(awsAuth, iam), Audit.Finding.Code.MAPPING_TO_MISSING_ROLE))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.object()).isEqualTo("mapping " + GONE);
              assertThat(f.detail()).contains("aws-auth compares ARNs as text");
            });
    assertThat(findings(withIam(entries, iam), Audit.Finding.Code.MAPPING_TO_MISSING_ROLE))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.object()).isEqualTo("access entry " + GONE);
              assertThat(f.detail()).contains("will not match it either");
            });
    // nothing to recreate: the repair says what to do instead
    DeadAccessRepair awsAuthRepair = withIam(awsAuth, iam).planRepairDeadAccess();
    assertThat(awsAuthRepair.isEmpty()).isTrue();
    assertThat(awsAuthRepair.notes())
        .singleElement()
        .asString()
        .contains("MAPPING_TO_MISSING_ROLE");
    assertThat(awsAuthRepair.apply().applied()).isEmpty();
  }

  @Test
  void anEntryNamingTheRoleUnderAnOldPathIsDead() {
    FakeCluster prod = FakeCluster.accessEntries("prod");
    prod.seedAccessEntry(
        IdentityMapping.of(IamRole.of("arn:aws:iam::111122223333:role/old/Ops"))
            .withGroups(List.of("acme:ops")));

    assertThat(findings(withIam(prod, iam), Audit.Finding.Code.MAPPING_TO_MISSING_ROLE))
        .singleElement()
        .satisfies(f -> assertThat(f.detail()).contains("under path /old/").contains(" under /"));
  }

  @Test
  void iamIsAskedOncePerDistinctRoleAndNeverAboutOtherAccounts() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    prod.seed(IdentityMapping.of(DEV).withGroups(List.of("acme:a")));
    prod.seed(
        IdentityMapping.of(DEV).withGroups(List.of("acme:b"))); // a duplicate, as aws-auth allows
    prod.seed(IdentityMapping.of(IamRole.of("arn:aws:iam::444455556666:role/Auditor")));
    prod.seed(IdentityMapping.of(IamUser.of("arn:aws:iam::111122223333:user/jane")));

    Audit audit = withIam(prod, iam).audit();

    assertThat(iam.requests()).containsExactly("GetRole DevTeamRole");
    assertThat(audit.findings())
        .noneMatch(f -> f.code() == Audit.Finding.Code.MAPPING_TO_MISSING_ROLE)
        .noneMatch(f -> f.code() == Audit.Finding.Code.IAM_LOOKUP_FAILED);
  }

  @Test
  void aRefusalFromIamBecomesFindingsAndStopsTheLookups() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    prod.seed(IdentityMapping.of(DEV).withGroups(List.of("acme:devs")));
    prod.seed(IdentityMapping.of(OPS).withGroups(List.of("acme:ops")));
    prod.seed(IdentityMapping.of(GONE).withGroups(List.of("acme:old")));
    iam.failNext(EksFault.accessDenied());

    Audit audit = withIam(prod, iam).audit();

    assertThat(iam.requests()).containsExactly("GetRole DevTeamRole");
    assertThat(audit.findings())
        .filteredOn(f -> f.code() == Audit.Finding.Code.IAM_LOOKUP_FAILED)
        .extracting(Audit.Finding::object)
        .containsExactly("mapping " + DEV, "aws-auth");
    assertThat(audit.findings())
        .filteredOn(f -> f.object().equals("aws-auth"))
        .singleElement()
        .satisfies(f -> assertThat(f.detail()).startsWith("2 role mapping(s) were not checked"));
  }

  @Test
  void throttlingLeavesOneRoleUnknownAndTheOthersChecked() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    prod.seed(IdentityMapping.of(DEV).withGroups(List.of("acme:devs")));
    prod.seed(IdentityMapping.of(GONE).withGroups(List.of("acme:old")));
    iam.failNext(EksFault.throttling());

    Audit audit = withIam(prod, iam).audit();

    assertThat(iam.requests()).containsExactly("GetRole DevTeamRole", "GetRole Gone");
    assertThat(audit.findings())
        .extracting(Audit.Finding::code, Audit.Finding::object)
        .contains(
            org.assertj.core.groups.Tuple.tuple(
                Audit.Finding.Code.IAM_LOOKUP_FAILED, "mapping " + DEV),
            org.assertj.core.groups.Tuple.tuple(
                Audit.Finding.Code.MAPPING_TO_MISSING_ROLE, "mapping " + GONE));
  }

  @Test
  void withoutIamNothingAsksItAndTheRepairIsRefused() {
    FakeCluster prod = FakeCluster.accessEntries("prod");
    prod.seedAccessEntry(IdentityMapping.of(GONE).withGroups(List.of("acme:old")));

    assertThat(prod.clusterAccess().audit().findings())
        .noneMatch(f -> f.code() == Audit.Finding.Code.MAPPING_TO_MISSING_ROLE);
    InvalidInputException e =
        catchThrowableOfType(
            InvalidInputException.class, () -> prod.clusterAccess().planRepairDeadAccess());
    assertThat(e.code()).isEqualTo(ErrorCode.IAM_NOT_CONFIGURED);
    assertThat(e.getMessage()).contains(".iam(");
    assertThat(prod.requests()).noneMatch(r -> r.isWrite());
  }

  @Test
  void aRepairOfAnEntryChangedSincePlannedWritesNothing() {
    FakeCluster prod = FakeCluster.accessEntries("prod");
    prod.clusterAccess().plan(DEVS).apply();
    iam.deleteRole("DevTeamRole").createRole(DEV.arn().value(), FakeCluster.START.plusSeconds(60));
    ClusterAccess access = withIam(prod, iam);
    DeadAccessRepair repair = access.planRepairDeadAccess();
    // another writer changes the entry in between
    prod.clusterAccess()
        .plan(ClusterAccess.grant(DEV).asGroup("acme:more").bind(ClusterRole.VIEW).clusterWide())
        .apply();
    long writes = prod.requests().stream().filter(r -> r.isWrite()).count();

    ConflictException e = catchThrowableOfType(ConflictException.class, repair::apply);

    assertThat(e.getMessage()).contains("changed since the repair was planned");
    assertThat(prod.requests().stream().filter(r -> r.isWrite()).count()).isEqualTo(writes);
  }

  @Test
  void nodeEntriesAreNotRecreatedButNamed() {
    FakeCluster prod = FakeCluster.accessEntries("prod");
    IamRole nodes = IamRole.of("arn:aws:iam::111122223333:role/NodeInstanceRole");
    prod.seedNodeEntry(nodes, "EC2_LINUX");
    iam.createRole(nodes.arn().value(), FakeCluster.START.plusSeconds(60));

    DeadAccessRepair repair = withIam(prod, iam).planRepairDeadAccess();

    assertThat(repair.isEmpty()).isTrue();
    assertThat(repair.notes())
        .singleElement()
        .asString()
        .contains("node entry")
        .contains(nodes.toString());
  }

  @Test
  void aPolicyOnlyEntryIsRecreatedWithItsPolicy() {
    FakeCluster prod = FakeCluster.accessEntries("prod");
    prod.seedAccessEntry(
        IdentityMapping.of(OPS)
            .withPolicy(new PolicyAssociation(AccessPolicy.EDIT, Scope.cluster())));
    iam.deleteRole("Ops").createRole(OPS.arn().value(), FakeCluster.START.plusSeconds(60));
    ClusterAccess access = withIam(prod, iam);
    prod.advanceClock(Duration.ofMinutes(5));

    access.planRepairDeadAccess().apply();

    assertThat(prod.identities().read().mappings())
        .singleElement()
        .satisfies(
            m ->
                assertThat(m.policies())
                    .extracting(p -> p.policy())
                    .containsExactly(AccessPolicy.EDIT));
    assertThat(findings(access, Audit.Finding.Code.DEAD_ENTRY_ROLE_RECREATED)).isEmpty();
  }

  @Test
  void anAuditAsksIamAboutAtMostAThousandRolesAndSaysHowManyItLeftUnchecked() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    for (int i = 0; i < 1002; i++) {
      IamRole r = IamRole.of("arn:aws:iam::111122223333:role/Team" + i);
      iam.createRole(r.arn().value(), LONG_AGO);
      prod.seed(IdentityMapping.of(r).withGroups(List.of("acme:team")));
    }

    Audit audit = withIam(prod, iam).audit();

    assertThat(iam.requests()).hasSize(1000);
    assertThat(audit.findings())
        .filteredOn(f -> f.code() == Audit.Finding.Code.IAM_LOOKUP_FAILED)
        .singleElement()
        .satisfies(
            f ->
                assertThat(f.detail())
                    .isEqualTo(
                        "2 role mapping(s) were not checked against IAM: an audit asks IAM about"
                            + " at most 1000 roles."));
  }
}
