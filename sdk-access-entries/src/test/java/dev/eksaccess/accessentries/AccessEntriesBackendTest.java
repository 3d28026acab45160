package dev.eksaccess.accessentries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.eksaccess.api.AccessPolicy;
import dev.eksaccess.api.BackendException;
import dev.eksaccess.api.ClusterAccess;
import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.Guard;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.IamUser;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.RetryPolicy;
import dev.eksaccess.api.Scope;
import dev.eksaccess.api.UnsafeChangeException;
import dev.eksaccess.api.spi.IdentityChange;
import dev.eksaccess.api.spi.IdentityChanges;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.PolicyAssociation;
import dev.eksaccess.testkit.EksFault;
import dev.eksaccess.testkit.FakeEksApi;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.eks.EksAsyncClient;
import software.amazon.awssdk.services.eks.EksClient;

class AccessEntriesBackendTest {
  static final IamRole DEV = IamRole.of("arn:aws:iam::111122223333:role/teams/DevTeamRole");
  static final IamRole OPS = IamRole.of("arn:aws:iam::111122223333:role/Ops");
  static final IamRole NODES = IamRole.of("arn:aws:iam::111122223333:role/NodeInstanceRole");
  static final RetryPolicy FAST = RetryPolicy.of(5, Duration.ZERO, Duration.ofMillis(1));

  final FakeEksApi api = FakeEksApi.start().addCluster("prod", "API_AND_CONFIG_MAP");

  @AfterEach
  void stop() {
    api.close();
  }

  /** The real async client, pointed at the fake, with the AWS SDK's default retries. */
  static EksAsyncClient asyncClient(FakeEksApi api) {
    return EksAsyncClient.builder()
        .endpointOverride(URI.create(api.baseUrl()))
        .region(Region.US_WEST_2)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
        .build();
  }

  /** The real client, pointed at the fake; the AWS SDK's own retries without waiting. */
  static EksClient client(FakeEksApi api, int attempts) {
    return EksClient.builder()
        .endpointOverride(URI.create(api.baseUrl()))
        .region(Region.US_WEST_2)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
        .overrideConfiguration(
            o ->
                o.retryStrategy(
                    AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(attempts)
                        .backoffStrategy(BackoffStrategy.retryImmediately())
                        .throttlingBackoffStrategy(BackoffStrategy.retryImmediately())
                        .circuitBreakerEnabled(false)
                        .build()))
        .build();
  }

  AccessEntriesBackend backend() {
    return AccessEntries.builder(client(api, 3), "prod").consistencyRetry(FAST).build();
  }

  static IdentityChanges put(IdentityMapping... m) {
    List<IdentityChange> c = new ArrayList<>();
    for (IdentityMapping x : m) {
      c.add(new IdentityChange.Put(x));
    }
    return IdentityChanges.of(c);
  }

  static IdentityMapping dev(String... groups) {
    return IdentityMapping.of(DEV).withGroups(List.of(groups));
  }

  @Test
  void aGrantBecomesAnEntryWithItsPolicyAndReappliesWithNoWrite() {
    AccessEntriesBackend ids = backend();
    IdentityMapping want =
        dev("acme:devs")
            .withPolicy(new PolicyAssociation(AccessPolicy.VIEW, Scope.namespaces("apps")));

    assertThat(ids.write(put(want), ids.read().version()).writes()).isEqualTo(2);

    assertThat(api.principals("prod")).containsExactly(DEV.arn().value());
    assertThat(api.entry("prod", DEV.arn().value()).orElseThrow())
        .contains("\"type\":\"STANDARD\"")
        .contains("\"kubernetesGroups\":[\"acme:devs\"]")
        .contains("assumed-role/DevTeamRole/{{SessionName}}")
        .contains("cluster-access-policy/AmazonEKSViewPolicy")
        .contains("\"namespaces\":[\"apps\"]");
    IdentityMapping read = ids.read().mappings().get(0);
    assertThat(read.principal()).isEqualTo(DEV);
    assertThat(read.policies()).isEqualTo(want.policies());
    long before = api.writes();
    assertThat(ids.write(put(read), ids.read().version()).writes()).isZero();
    assertThat(api.writes()).isEqualTo(before);
    assertThat(api.requests()).filteredOn(r -> r.startsWith("CreateAccessEntry")).hasSize(1);
  }

  @Test
  void groupsAreReplacedWholeAndAScopeChangeIsOneAssociateCall() {
    AccessEntriesBackend ids = backend();
    ids.write(
        put(
            dev("a", "b")
                .withPolicy(new PolicyAssociation(AccessPolicy.EDIT, Scope.namespaces("x")))
                .withPolicy(new PolicyAssociation(AccessPolicy.VIEW, Scope.cluster()))),
        ids.read().version());
    long associates = api.count("AssociateAccessPolicy");

    ids.write(
        put(
            dev("b", "c")
                .withPolicy(new PolicyAssociation(AccessPolicy.EDIT, Scope.namespaces("x", "y")))),
        ids.read().version());

    IdentityMapping now = ids.read().mappings().get(0);
    assertThat(now.groups()).containsExactly("b", "c");
    assertThat(now.policies())
        .containsExactly(new PolicyAssociation(AccessPolicy.EDIT, Scope.namespaces("x", "y")));
    assertThat(api.count("AssociateAccessPolicy") - associates).isEqualTo(1);
    assertThat(api.count("DisassociateAccessPolicy")).isEqualTo(1);
    assertThat(api.count("UpdateAccessEntry")).isEqualTo(1);
  }

  @Test
  void everyEksRuleIsCheckedBeforeAnyCall() {
    AccessEntriesBackend ids = backend();
    var version = ids.read().version();
    long calls = api.requests().size();

    var e =
        catchThrowableOfType(
            InvalidInputException.class,
            () ->
                ids.write(
                    put(
                        dev("system:masters"),
                        IdentityMapping.of(OPS).withUsername("eks:ops"),
                        IdentityMapping.of(IamUser.of("arn:aws:iam::111122223333:user/jane"))
                            .withUsername("jane{{SessionName}}"),
                        IdentityMapping.of(
                            IamRole.of(
                                "arn:aws:iam::111122223333:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS"))),
                    version));

    assertThat(
            catchThrowableOfType(
                    InvalidInputException.class,
                    () ->
                        ids.write(
                            IdentityChanges.of(
                                List.of(
                                    new IdentityChange.Put(dev("a")),
                                    new IdentityChange.Remove(
                                        IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole")))),
                            version))
                .getMessage())
        .contains("changes the same access entry as changes[0]");
    assertThat(e.problems())
        .extracting(InvalidInputException.Problem::message)
        .anySatisfy(m -> assertThat(m).contains("starts with system:"))
        .anySatisfy(m -> assertThat(m).contains("must not begin with eks:"))
        .anySatisfy(m -> assertThat(m).contains("needs a colon before {{SessionName}}"))
        .anySatisfy(m -> assertThat(m).contains("service-linked role"));
    assertThat(api.requests()).hasSize((int) calls);
    assertThat(
            catchThrowableOfType(
                    InvalidInputException.class,
                    () -> IamRole.of("arn:aws:sts::111122223333:assumed-role/DevTeamRole/jane"))
                .getMessage())
        .contains("role/DevTeamRole");
    assertThat(
            catchThrowableOfType(InvalidInputException.class, () -> AccessEntryType.of("Standard"))
                .getMessage())
        .contains("spelt STANDARD");
  }

  @Test
  void readsFollowEveryPage() {
    for (int i = 0; i < 230; i++) {
      api.putEntry(
          "prod",
          "arn:aws:iam::111122223333:role/team-" + i,
          "STANDARD",
          "team-" + i,
          List.of("t" + i));
    }

    assertThat(backend().read().mappings()).hasSize(230);
    assertThat(api.count("ListAccessEntries")).isEqualTo(3);
    assertThat(api.count("DescribeAccessEntry")).isEqualTo(230);
  }

  @Test
  void bothEventualConsistencySignaturesAreRetriedAndNothingElseIs() {
    AccessEntriesBackend ids = backend();
    api.invalidPrincipalFor(DEV.arn().value(), 2).entriesInvisibleToAssociateFor(2);

    ids.write(
        put(dev("acme:devs").withPolicy(new PolicyAssociation(AccessPolicy.VIEW, Scope.cluster()))),
        ids.read().version());

    assertThat(api.count("CreateAccessEntry")).isEqualTo(3);
    assertThat(api.count("AssociateAccessPolicy")).isEqualTo(3);
    assertThat(ids.read().mappings().get(0).policies()).hasSize(1);

    // a policy EKS does not know: a 404 of another kind, not retried
    api.entriesInvisibleToAssociateFor(0);
    long before = api.count("AssociateAccessPolicy");
    var e =
        catchThrowableOfType(
            BackendException.class,
            () ->
                ids.write(
                    put(
                        IdentityMapping.of(OPS)
                            .withPolicy(
                                new PolicyAssociation(
                                    AccessPolicy.named("AmazonEKSMadeUpPolicy"), Scope.cluster()))),
                    ids.read().version()));
    assertThat(api.count("AssociateAccessPolicy") - before).isEqualTo(1);
    assertThat(e.getMessage())
        .contains("AssociateAccessPolicy")
        .contains("AmazonEKSMadeUpPolicy")
        .contains("ResourceNotFoundException (HTTP 404)")
        .contains("The specified policyArn could not be found.");
  }

  @Test
  void throttlingIsLeftToTheAwsSdkRetries() {
    AccessEntriesBackend ids = backend();
    api.inject("CreateAccessEntry", EksFault.throttling());

    ids.write(put(dev("acme:devs")), ids.read().version());

    assertThat(api.count("CreateAccessEntry")).isEqualTo(2);
    assertThat(api.principals("prod")).containsExactly(DEV.arn().value());
  }

  @Test
  void aDroppedConnectionAfterACreateIsRetriedIdempotently() {
    AccessEntriesBackend ids = backend();
    api.inject("CreateAccessEntry", EksFault.droppedAfterCommit());

    ids.write(put(dev("acme:devs")), ids.read().version());

    assertThat(api.count("CreateAccessEntry")).isEqualTo(2); // same clientRequestToken
    assertThat(api.principals("prod")).containsExactly(DEV.arn().value());
  }

  @Test
  void aBatchThatFailsHalfWaySaysWhatLandedAndAReapplyFinishes() {
    AccessEntriesBackend ids =
        AccessEntries.builder(client(api, 1), "prod").concurrency(1).consistencyRetry(FAST).build();
    IdentityMapping dev = dev("acme:devs");
    IdentityMapping ops =
        IdentityMapping.of(OPS)
            .withGroups(List.of("acme:ops"))
            .withPolicy(new PolicyAssociation(AccessPolicy.ADMIN, Scope.namespaces("ops")));
    api.inject("AssociateAccessPolicy", EksFault.serverError());

    var e =
        catchThrowableOfType(
            PartialWriteException.class, () -> ids.write(put(dev, ops), ids.read().version()));

    assertThat(e.applied()).containsExactly(new IdentityChange.Put(dev));
    assertThat(e.failed()).containsOnlyKeys(new IdentityChange.Put(ops));
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage())
        .contains("1 change(s) applied, 1 not")
        .contains("ServerException (HTTP 500)");

    ids.write(put(dev, ops), ids.read().version());
    assertThat(ids.read().mappings())
        .filteredOn(m -> m.principal().equals(OPS))
        .singleElement()
        .satisfies(m -> assertThat(m.policies()).hasSize(1));
  }

  @Test
  void nodeEntriesReadAsNodesAndAreNeitherChangedNorLost() {
    api.putEntry(
        "prod",
        NODES.arn().value(),
        "EC2_LINUX",
        "system:node:{{EC2PrivateDNSName}}",
        List.of("system:nodes"));
    api.putEntry("prod", OPS.arn().value(), "STANDARD", "ops", List.of("acme:ops"));
    api.putPolicy("prod", OPS.arn().value(), "AmazonEKSClusterAdminPolicy");
    AccessEntriesBackend ids = backend();

    // EKS lists entries in no documented order: find the node's mapping by its principal
    IdentityMapping node =
        ids.read().mappings().stream()
            .filter(m -> m.principal().equals(NODES))
            .findFirst()
            .orElseThrow();
    assertThat(node.groups()).containsExactly("system:nodes");
    assertThat(node.username()).contains("system:node:{{EC2PrivateDNSName}}");
    assertThat(ids.entryTypes()).containsEntry(NODES.arn().value(), AccessEntryType.EC2_LINUX);

    var changed =
        catchThrowableOfType(
            InvalidInputException.class,
            () ->
                ids.write(
                    IdentityChanges.of(
                        List.of(
                            new IdentityChange.Put(
                                IdentityMapping.of(NODES).withGroups(List.of("acme:x"))))),
                    ids.read().version()));
    assertThat(changed.code()).isEqualTo(ErrorCode.INVALID_GRANT);
    assertThat(changed.getMessage()).contains("type EC2_LINUX").contains("a type cannot change");

    ClusterAccess prod = ClusterAccess.builder().clusterName("prod").identities(ids).build();
    assertThat(prod.planRevoke(NODES).violations())
        .extracting(v -> v.guard())
        .contains(Guard.NODE_ROLES);
    var unsafe = catchThrowableOfType(UnsafeChangeException.class, prod.planRevoke(OPS)::apply);
    assertThat(unsafe.getMessage()).contains("admin");
    assertThat(api.principals("prod")).hasSize(2);
  }

  @Test
  void nodeEntriesAreCreatedByTypeAndAutoModeNodesGetTheirPolicy() {
    AccessEntriesBackend ids = backend();
    IamRole auto = IamRole.of("arn:aws:iam::111122223333:role/AutoModeNodes");

    assertThat(ids.createNodeEntry(NODES, AccessEntryType.EC2_LINUX)).isEqualTo(1);
    assertThat(ids.createNodeEntry(NODES, AccessEntryType.EC2_LINUX)).isZero();
    assertThat(ids.createNodeEntry(auto, AccessEntryType.EC2)).isEqualTo(2);

    assertThat(api.entry("prod", NODES.arn().value()).orElseThrow())
        .contains("\"type\":\"EC2_LINUX\"")
        .contains("system:node:{{EC2PrivateDNSName}}");
    assertThat(api.entry("prod", auto.arn().value()).orElseThrow())
        .contains("cluster-access-policy/AmazonEKSAutoNodePolicy");
    assertThat(
            catchThrowableOfType(
                    InvalidInputException.class,
                    () -> ids.createNodeEntry(NODES, AccessEntryType.EC2_WINDOWS))
                .getMessage())
        .contains("already has an access entry of type EC2_LINUX");
    assertThat(
            catchThrowableOfType(
                    InvalidInputException.class,
                    () -> ids.createNodeEntry(OPS, AccessEntryType.STANDARD))
                .getMessage())
        .contains("is not a node type");
  }

  @Test
  void aRepeatedAutoModeNodeEntryGetsTheNodePolicyItsFirstTryMissed() {
    AccessEntriesBackend ids =
        AccessEntries.builder(client(api, 1), "prod").consistencyRetry(FAST).build();
    IamRole auto = IamRole.of("arn:aws:iam::111122223333:role/AutoModeNodes");
    api.inject("AssociateAccessPolicy", EksFault.expiredCredentials());

    assertThat(
            catchThrowableOfType(
                BackendException.class, () -> ids.createNodeEntry(auto, AccessEntryType.EC2)))
        .isNotNull();
    assertThat(api.entry("prod", auto.arn().value()).orElseThrow())
        .doesNotContain("AmazonEKSAutoNodePolicy");

    assertThat(ids.createNodeEntry(auto, AccessEntryType.EC2)).isEqualTo(1);
    assertThat(api.entry("prod", auto.arn().value()).orElseThrow())
        .contains("cluster-access-policy/AmazonEKSAutoNodePolicy");
    assertThat(ids.createNodeEntry(auto, AccessEntryType.EC2)).isZero();
  }

  @Test
  void twoEntriesForOneRoleNameAreBothReadAPutIsRefusedAndARemoveDeletesBoth() {
    // the role was deleted and created again under a path: EKS keeps the old entry
    String stale = "arn:aws:iam::111122223333:role/DevTeamRole";
    api.putEntry("prod", stale, "STANDARD", "old", List.of("acme:old"));
    api.putEntry("prod", DEV.arn().value(), "STANDARD", "new", List.of("acme:devs"));
    AccessEntriesBackend ids = backend();

    assertThat(ids.read().mappings())
        .extracting(m -> m.principal().arn().value())
        .containsExactlyInAnyOrder(stale, DEV.arn().value());
    var refused =
        catchThrowableOfType(
            InvalidInputException.class, () -> ids.write(put(dev("acme:x")), ids.read().version()));
    assertThat(refused.getMessage())
        .contains("has 2 access entries")
        .contains(stale)
        .contains("left from a deleted role");
    assertThat(api.entry("prod", stale).orElseThrow()).contains("acme:old");

    ids.write(IdentityChanges.of(List.of(new IdentityChange.Remove(DEV))), ids.read().version());
    assertThat(api.principals("prod")).isEmpty();
  }

  @Test
  void eksErrorsCarryTheirCodeMessageRequestIdAndWhatToDo() {
    api.addCluster("legacy", "CONFIG_MAP");
    AccessEntriesBackend legacy = AccessEntries.backend(client(api, 1), "legacy");

    var mode = catchThrowableOfType(BackendException.class, legacy::read);
    assertThat(mode.statusCode()).isEqualTo(400);
    assertThat(mode.retryable()).isFalse();
    assertThat(mode.requestId()).isPresent();
    assertThat(mode.getMessage())
        .contains("ListAccessEntries legacy failed: InvalidRequestException (HTTP 400)")
        .contains("authentication mode must be set to one of [API, API_AND_CONFIG_MAP]")
        .contains("Move the cluster to API_AND_CONFIG_MAP first");

    api.inject("ListAccessEntries", EksFault.expiredCredentials());
    var expired = catchThrowableOfType(BackendException.class, backend()::read);
    assertThat(expired.getMessage())
        .contains("ExpiredTokenException")
        .contains("refresh them")
        .doesNotContain("secret");
  }

  @Test
  void theAsyncClientBehavesTheSame() {
    try (EksAsyncClient async = asyncClient(api)) {
      AccessEntriesBackend ids = AccessEntries.backend(async, "prod");

      ids.write(put(dev("acme:devs")), ids.read().version());

      assertThat(ids.read().mappings()).extracting(IdentityMapping::principal).containsExactly(DEV);
      assertThat(
              catchThrowableOfType(
                      BackendException.class, () -> AccessEntries.backend(async, "missing").read())
                  .getMessage())
          .contains("No cluster found for name: missing.");
    }
  }

  @Test
  void theFakeRefusesTagsAsEksDoesOnCreateAndOnTagResource() {
    try (EksClient eks = client(api, 1)) {
      var reserved =
          catchThrowableOfType(
              software.amazon.awssdk.services.eks.model.InvalidParameterException.class,
              () ->
                  eks.createAccessEntry(
                      r ->
                          r.clusterName("prod")
                              .principalArn(DEV.arn().value())
                              .tags(java.util.Map.of("aws:owner", "me"))));
      assertThat(reserved.getMessage()).contains("aws:owner").contains("may not start with aws:");
      assertThat(api.principals("prod")).doesNotContain(DEV.arn().value());

      String entryArn =
          eks.createAccessEntry(r -> r.clusterName("prod").principalArn(DEV.arn().value()))
              .accessEntry()
              .accessEntryArn();
      var tooLong =
          catchThrowableOfType(
              software.amazon.awssdk.services.eks.model.BadRequestException.class,
              () ->
                  eks.tagResource(
                      r -> r.resourceArn(entryArn).tags(java.util.Map.of("k", "v".repeat(257)))));
      assertThat(tooLong.getMessage()).contains("values are text up to 256");
      eks.tagResource(r -> r.resourceArn(entryArn).tags(java.util.Map.of("team", "platform")));
      eks.untagResource(r -> r.resourceArn(entryArn).tagKeys("team", "absent"));
      assertThat(
              eks.describeAccessEntry(r -> r.clusterName("prod").principalArn(DEV.arn().value()))
                  .accessEntry()
                  .tags())
          .isEmpty();
    }
  }

  @Test
  void aBreakGlassRecordLivesInTheEntrysTagsAndATagItNoLongerHasIsRemoved() {
    java.time.Instant t0 = java.time.Instant.parse("2026-11-23T10:00:00Z");
    dev.eksaccess.api.spi.BreakGlassMark byJane =
        new dev.eksaccess.api.spi.BreakGlassMark(
            "INC-8",
            t0,
            t0.plus(Duration.ofHours(1)),
            java.util.Optional.of("arn:aws:sts::111122223333:assumed-role/OnCall/jane"));
    dev.eksaccess.api.spi.BreakGlassMark extended =
        new dev.eksaccess.api.spi.BreakGlassMark(
            "INC-8", t0, t0.plus(Duration.ofHours(2)), java.util.Optional.empty());
    IdentityMapping glass =
        IdentityMapping.of(DEV)
            .withPolicy(new PolicyAssociation(AccessPolicy.CLUSTER_ADMIN, Scope.cluster()));
    AccessEntriesBackend ids = backend();

    ids.write(put(glass.withBreakGlass(java.util.Optional.of(byJane))), ids.read().version());
    assertThat(api.entry("prod", DEV.arn().value()).orElseThrow())
        .contains("eks-access.dev/break-glass-granted-by")
        .contains("OnCall/jane");
    IdentityMapping read = ids.read().mappings().get(0);
    ids.write(put(read.withBreakGlass(java.util.Optional.of(extended))), ids.read().version());

    assertThat(ids.read().mappings().get(0).breakGlass()).contains(extended);
    assertThat(api.count("TagResource")).isEqualTo(1);
    assertThat(api.count("UntagResource")).isEqualTo(1);
    assertThat(api.entry("prod", DEV.arn().value()).orElseThrow())
        .doesNotContain("break-glass-granted-by");
  }
}
