package dev.eksaccess.accessentries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.eksaccess.api.AccessPolicy;
import dev.eksaccess.api.BackendException;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.RetryPolicy;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.testkit.EksFault;
import dev.eksaccess.testkit.FakeEksApi;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.AccessDeniedException;
import software.amazon.awssdk.services.eks.model.AccessEntry;
import software.amazon.awssdk.services.eks.model.AccessScopeType;
import software.amazon.awssdk.services.eks.model.AssociatedAccessPolicy;
import software.amazon.awssdk.services.eks.model.AuthenticationMode;
import software.amazon.awssdk.services.eks.model.InvalidParameterException;
import software.amazon.awssdk.services.eks.model.ResourceInUseException;
import software.amazon.awssdk.services.eks.model.ResourceNotFoundException;

/**
 * {@link FakeEksApi} answers as EKS does, through the real {@code EksClient}: its ARNs, its 400s
 * and 404s, IAM's existence check, AccessDenied, timestamps, list order and node entries, each in
 * EKS's words where EKS's words are known.
 */
class FakeEksApiFidelityTest {
  static final String DEV = "arn:aws:iam::111122223333:role/teams/Dev";
  static final String ALICE = "arn:aws:iam::111122223333:user/people/alice";

  final FakeEksApi api = FakeEksApi.start().addCluster("prod", "API_AND_CONFIG_MAP");
  final List<EksClient> clients = new ArrayList<>();

  @AfterEach
  void stop() {
    clients.forEach(EksClient::close);
    api.close();
  }

  EksClient client(Region region) {
    EksClient c =
        EksClient.builder()
            .endpointOverride(URI.create(api.baseUrl()))
            .region(region)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "x")))
            .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1)))
            .build();
    clients.add(c);
    return c;
  }

  EksClient eks() {
    return client(Region.US_WEST_2);
  }

  static AccessEntry create(EksClient eks, String principal) {
    return eks.createAccessEntry(r -> r.clusterName("prod").principalArn(principal)).accessEntry();
  }

  // ---- ARNs --------------------------------------------------------------------------------

  @Test
  void entryArnsNameTheClientsRegionTheClusterAccountAndThePrincipalWithoutItsPath() {
    EksClient eu = client(Region.EU_WEST_1);
    String uuid = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    assertThat(create(eu, DEV).accessEntryArn())
        .matches(
            "arn:aws:eks:eu-west-1:111122223333:access-entry/prod/role/111122223333/Dev/" + uuid);
    assertThat(create(eu, ALICE).accessEntryArn())
        .matches(
            "arn:aws:eks:eu-west-1:111122223333:access-entry/prod/user/111122223333/alice/" + uuid);
    // a STANDARD entry may name another account's role: the cluster's account leads, the role's
    // account is its own segment
    assertThat(create(eu, "arn:aws:iam::444455556666:role/Auditor").accessEntryArn())
        .matches(
            "arn:aws:eks:eu-west-1:111122223333:access-entry/prod/role/444455556666/Auditor/"
                + uuid);
  }

  @Test
  void aClusterLivesInOneRegionAndItsPartitionFollows() {
    api.addCluster("beijing", "API");
    api.putEntry("beijing", "arn:aws-cn:iam::111122223333:role/Ops", "STANDARD", "ops", List.of());
    EksClient cn = client(Region.CN_NORTH_1);

    // an entry stored before any call gets the region of the first call that reaches its cluster
    AccessEntry ops =
        cn.describeAccessEntry(
                r -> r.clusterName("beijing").principalArn("arn:aws-cn:iam::111122223333:role/Ops"))
            .accessEntry();
    assertThat(ops.accessEntryArn())
        .startsWith("arn:aws-cn:eks:cn-north-1:111122223333:access-entry/beijing/role/");
    assertThat(cn.describeCluster(r -> r.name("beijing")).cluster().arn())
        .isEqualTo("arn:aws-cn:eks:cn-north-1:111122223333:cluster/beijing");
    assertThat(
            cn.listAccessPolicies(r -> {}).accessPolicies().stream()
                .allMatch(p -> p.arn().startsWith("arn:aws-cn:eks::aws:cluster-access-policy/")))
        .isTrue();

    // the same name in another region is another (absent) cluster
    var elsewhere =
        catchThrowableOfType(
            ResourceNotFoundException.class, () -> eks().describeCluster(r -> r.name("beijing")));
    assertThat(elsewhere.awsErrorDetails().errorMessage())
        .isEqualTo("No cluster found for name: beijing.");
  }

  // ---- 400 or 404 ---------------------------------------------------------------------------

  @Test
  void aMalformedPrincipalIs400OnEveryCallAndAnAbsentOneIs404() {
    EksClient eks = eks();
    for (String bad :
        List.of(
            "not-an-arn",
            "AIDAXYAFLIG2E6UQ3YIVB",
            "arn:aws:sts::111122223333:assumed-role/Dev/jane",
            "arn:aws:eks:us-west-2:111122223333:access-entry/prod/role/111122223333/Dev/x")) {
      var e =
          catchThrowableOfType(
              InvalidParameterException.class,
              () -> eks.describeAccessEntry(r -> r.clusterName("prod").principalArn(bad)));
      assertThat(e.statusCode()).as(bad).isEqualTo(400);
      assertThat(e.awsErrorDetails().errorMessage())
          .isEqualTo("The principalArn parameter format is not valid");
      assertThat(
              catchThrowableOfType(
                  InvalidParameterException.class,
                  () -> eks.deleteAccessEntry(r -> r.clusterName("prod").principalArn(bad))))
          .isNotNull();
      assertThat(
              catchThrowableOfType(
                  InvalidParameterException.class,
                  () ->
                      eks.listAssociatedAccessPolicies(
                          r -> r.clusterName("prod").principalArn(bad))))
          .isNotNull();
    }

    var absent =
        catchThrowableOfType(
            ResourceNotFoundException.class,
            () -> eks.describeAccessEntry(r -> r.clusterName("prod").principalArn(DEV)));
    assertThat(absent.statusCode()).isEqualTo(404);
    assertThat(absent.awsErrorDetails().errorMessage())
        .isEqualTo(
            "The specified principalArn could not be found. You can view your available access"
                + " entries with 'list-access-entries'.");
    assertThat(api.principals("prod")).isEmpty();
  }

  @Test
  void aMalformedClusterNameIs400InEksWordsAndAnAbsentClusterIs404() {
    EksClient eks = eks();
    var badName =
        catchThrowableOfType(
            InvalidParameterException.class,
            () -> eks.listAccessEntries(r -> r.clusterName("prod.eu")));
    assertThat(badName.awsErrorDetails().errorMessage())
        .isEqualTo(
            "The clusterName parameter contains invalid characters. It should conform to the"
                + " regular expression \"^[0-9A-Za-z][A-Za-z0-9-_]*\"In other words, it should"
                + " start with a number or letter, and can contain numbers, letters, dashes, and"
                + " underscores.");
    var badDescribe =
        catchThrowableOfType(
            InvalidParameterException.class, () -> eks.describeCluster(r -> r.name("-prod")));
    assertThat(badDescribe.awsErrorDetails().errorMessage())
        .startsWith("The parameter name contains invalid characters.");
    // both malformed: the syntax is checked before anything is looked up
    assertThat(
            catchThrowableOfType(
                InvalidParameterException.class,
                () ->
                    eks.describeAccessEntry(r -> r.clusterName("nope").principalArn("not-an-arn"))))
        .isNotNull();

    for (Function<EksClient, ?> call :
        List.<Function<EksClient, ?>>of(
            c -> c.listAccessEntries(r -> r.clusterName("nope")),
            c -> c.describeAccessEntry(r -> r.clusterName("nope").principalArn(DEV)),
            c -> c.createAccessEntry(r -> r.clusterName("nope").principalArn(DEV)),
            c -> c.describeCluster(r -> r.name("nope")))) {
      var missing = catchThrowableOfType(ResourceNotFoundException.class, () -> call.apply(eks));
      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(missing.awsErrorDetails().errorMessage())
          .isEqualTo("No cluster found for name: nope.");
    }

    assertThatThrownBy(() -> api.addCluster("prod.eu", "API"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("EKS would not create a cluster named \"prod.eu\"");
    assertThatThrownBy(() -> api.addCluster("p".repeat(101), "API"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---- IAM ----------------------------------------------------------------------------------

  @Test
  void onceIamIsConfiguredOnlyItsPrincipalsExistAndARoleIsKnownByItsPath() {
    EksClient eks = eks();
    create(eks, "arn:aws:iam::111122223333:role/AnyoneGoesUntilIamIsConfigured");

    api.addIamPrincipals(DEV, ALICE);
    for (String unknown :
        List.of(
            "arn:aws:iam::111122223333:role/Dev", // the right name without its path
            "arn:aws:iam::111122223333:role/other/Dev", // another path
            "arn:aws:iam::111122223333:user/alice",
            "arn:aws:iam::111122223333:role/Nobody")) {
      var e = catchThrowableOfType(InvalidParameterException.class, () -> create(eks, unknown));
      assertThat(e.statusCode()).as(unknown).isEqualTo(400);
      assertThat(e.awsErrorDetails().errorMessage())
          .isEqualTo("The specified principalArn is invalid: invalid principal.");
    }
    assertThat(api.principals("prod"))
        .containsExactly("arn:aws:iam::111122223333:role/AnyoneGoesUntilIamIsConfigured");

    create(eks, DEV);
    create(eks, ALICE);
    assertThat(api.principals("prod")).contains(DEV, ALICE);

    assertThatThrownBy(() -> api.addIamPrincipals("arn:aws:sts::111122223333:assumed-role/X/y"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not an IAM role or user ARN");
  }

  @Test
  void aPrincipalOfAnotherPartitionDoesNotExistForTheCluster() {
    var e =
        catchThrowableOfType(
            InvalidParameterException.class,
            () -> create(eks(), "arn:aws-cn:iam::111122223333:role/Dev"));
    assertThat(e.awsErrorDetails().errorMessage())
        .isEqualTo("The specified principalArn is invalid: invalid principal.");
  }

  @Test
  void anIamPrincipalIsAlsoFoundThroughTheBackend() {
    api.addIamPrincipals(DEV);
    AccessEntriesBackend ids =
        AccessEntries.builder(eks(), "prod")
            .consistencyRetry(RetryPolicy.of(2, Duration.ZERO, Duration.ofMillis(1)))
            .build();

    var refused =
        catchThrowableOfType(
            BackendException.class,
            () ->
                ids.write(
                    AccessEntriesBackendTest.put(
                        IdentityMapping.of(IamRole.of("arn:aws:iam::111122223333:role/Dev"))
                            .withGroups(List.of("acme:devs"))),
                    ids.read().version()));
    assertThat(refused.getMessage())
        .contains("InvalidParameterException (HTTP 400)")
        .contains("invalid principal");
    assertThat(api.principals("prod")).isEmpty();

    ids.write(
        AccessEntriesBackendTest.put(
            IdentityMapping.of(IamRole.of(DEV)).withGroups(List.of("acme:devs"))),
        ids.read().version());
    assertThat(api.principals("prod")).containsExactly(DEV);
  }

  // ---- AccessDenied -------------------------------------------------------------------------

  @Test
  void accessDeniedIsInjectableInIamsWordsWithTheResourceEksAuthorizes() {
    EksClient eks = eks();
    api.inject("CreateAccessEntry", EksFault.accessDenied());
    var create = catchThrowableOfType(AccessDeniedException.class, () -> create(eks, DEV));
    assertThat(create.statusCode()).isEqualTo(403);
    assertThat(create.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
    assertThat(create.awsErrorDetails().errorMessage())
        .isEqualTo(
            "User: arn:aws:sts::111122223333:assumed-role/eks-access-tests/test is not authorized"
                + " to perform: eks:CreateAccessEntry on resource:"
                + " arn:aws:eks:us-west-2:111122223333:cluster/prod because no identity-based"
                + " policy allows the eks:CreateAccessEntry action");
    assertThat(api.principals("prod")).isEmpty();

    create(eks, DEV);
    String jane = "arn:aws:sts::111122223333:assumed-role/ReadOnly/jane";
    api.inject("DeleteAccessEntry", EksFault.accessDenied(jane));
    var delete =
        catchThrowableOfType(
            AccessDeniedException.class,
            () -> eks.deleteAccessEntry(r -> r.clusterName("prod").principalArn(DEV)));
    assertThat(delete.awsErrorDetails().errorMessage())
        .isEqualTo(
            "User: "
                + jane
                + " is not authorized to perform: eks:DeleteAccessEntry on resource:"
                + " arn:aws:eks:us-west-2:111122223333:access-entry/prod/role/111122223333/Dev/*"
                + " because no identity-based policy allows the eks:DeleteAccessEntry action");
    assertThat(api.principals("prod")).containsExactly(DEV);

    api.inject("ListAccessPolicies", EksFault.accessDenied());
    assertThat(
            catchThrowableOfType(AccessDeniedException.class, () -> eks.listAccessPolicies(r -> {}))
                .awsErrorDetails()
                .errorMessage())
        .doesNotContain("on resource")
        .endsWith("because no identity-based policy allows the eks:ListAccessPolicies action");
    assertThat(api.pendingFaults()).isZero();
  }

  @Test
  void theBackendReportsAccessDeniedAsAnIamProblem() {
    AccessEntriesBackend ids = AccessEntries.backend(eks(), "prod");
    api.inject("ListAccessEntries", EksFault.accessDenied());

    var e = catchThrowableOfType(BackendException.class, ids::read);
    assertThat(e.statusCode()).isEqualTo(403);
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage())
        .contains("AccessDeniedException (HTTP 403)")
        .contains("eks:ListAccessEntries")
        .contains("grant it in IAM");
  }

  // ---- timestamps ---------------------------------------------------------------------------

  @Test
  void createdAtEqualsModifiedAtOnCreateAndAnUpdateMovesModifiedAt() {
    EksClient eks = eks();
    AccessEntry created = create(eks, DEV);
    assertThat(created.modifiedAt()).isEqualTo(created.createdAt());
    api.putEntry("prod", ALICE, "STANDARD", "alice", List.of());
    AccessEntry put =
        eks.describeAccessEntry(r -> r.clusterName("prod").principalArn(ALICE)).accessEntry();
    assertThat(put.modifiedAt()).isEqualTo(put.createdAt());

    AccessEntry updated =
        eks.updateAccessEntry(
                r -> r.clusterName("prod").principalArn(DEV).kubernetesGroups("acme:devs"))
            .accessEntry();
    assertThat(updated.createdAt()).isEqualTo(created.createdAt());
    assertThat(updated.modifiedAt()).isAfter(created.modifiedAt());

    String view = AccessPolicy.VIEW.arn("aws");
    AssociatedAccessPolicy first =
        eks.associateAccessPolicy(
                r ->
                    r.clusterName("prod")
                        .principalArn(DEV)
                        .policyArn(view)
                        .accessScope(s -> s.type(AccessScopeType.CLUSTER)))
            .associatedAccessPolicy();
    assertThat(first.modifiedAt()).isEqualTo(first.associatedAt());
    AssociatedAccessPolicy rescoped =
        eks.associateAccessPolicy(
                r ->
                    r.clusterName("prod")
                        .principalArn(DEV)
                        .policyArn(view)
                        .accessScope(s -> s.type(AccessScopeType.NAMESPACE).namespaces("apps")))
            .associatedAccessPolicy();
    assertThat(rescoped.associatedAt()).isEqualTo(first.associatedAt());
    assertThat(rescoped.modifiedAt()).isAfter(first.modifiedAt());
    assertThat(rescoped.modifiedAt()).isBeforeOrEqualTo(Instant.now());
  }

  // ---- list order ---------------------------------------------------------------------------

  static List<String> created(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(String.format("arn:aws:iam::111122223333:role/r%02d", i));
    }
    return out;
  }

  /** Every page of ListAccessEntries, {@code size} at a time. */
  static List<String> listAll(EksClient eks, int size) {
    List<String> out = new ArrayList<>();
    String token = null;
    do {
      String t = token;
      var page = eks.listAccessEntries(r -> r.clusterName("prod").maxResults(size).nextToken(t));
      out.addAll(page.accessEntries());
      token = page.nextToken();
    } while (token != null);
    return out;
  }

  @Test
  void listsComeInASeededOrderThatIsNeitherCreationNorAlphabeticalOrder() {
    List<String> arns = created(30);
    arns.forEach(a -> api.putEntry("prod", a, "STANDARD", "u", List.of()));
    EksClient eks = eks();

    List<String> seen = listAll(eks, 100);
    assertThat(seen).containsExactlyInAnyOrderElementsOf(arns).isNotEqualTo(arns);
    // stable across pages, whatever the page size
    assertThat(listAll(eks, 7)).isEqualTo(seen);
    assertThat(listAll(eks, 1)).isEqualTo(seen);

    // the same seed gives the same order; another seed another one
    long seed = api.listOrderSeed();
    try (FakeEksApi same = FakeEksApi.start().addCluster("prod", "API").listOrderSeed(seed)) {
      arns.forEach(a -> same.putEntry("prod", a, "STANDARD", "u", List.of()));
      EksClient other =
          EksClient.builder()
              .endpointOverride(URI.create(same.baseUrl()))
              .region(Region.US_WEST_2)
              .credentialsProvider(
                  StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "x")))
              .build();
      clients.add(other);
      assertThat(listAll(other, 100)).isEqualTo(seen);
      same.listOrderSeed(seed + 1);
      assertThat(listAll(other, 100)).isNotEqualTo(seen);
    }
    assertThat(api.toString()).contains("list order seed " + seed);
  }

  @Test
  void aListingSurvivesAnEntryRemovedBetweenItsPages() {
    List<String> arns = created(10);
    arns.forEach(a -> api.putEntry("prod", a, "STANDARD", "u", List.of()));
    EksClient eks = eks();
    var first = eks.listAccessEntries(r -> r.clusterName("prod").maxResults(4));
    String gone = first.accessEntries().get(3); // the page's last item, which the token holds
    api.removeEntry("prod", gone);

    var rest = new ArrayList<>(first.accessEntries());
    String token = first.nextToken();
    while (token != null) {
      String t = token;
      var page = eks.listAccessEntries(r -> r.clusterName("prod").maxResults(4).nextToken(t));
      rest.addAll(page.accessEntries());
      token = page.nextToken();
    }
    assertThat(rest).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(arns);
  }

  @Test
  void policiesAndAssociationsAreListedInTheSeededOrderToo() {
    EksClient eks = eks();
    List<String> names = new ArrayList<>();
    eks.listAccessPoliciesPaginator(r -> r.maxResults(3))
        .accessPolicies()
        .forEach(p -> names.add(p.name()));
    assertThat(names).doesNotHaveDuplicates().isNotEqualTo(names.stream().sorted().toList());

    create(eks, DEV);
    List<String> associated = new ArrayList<>();
    for (String n : names) {
      if (n.equals("AmazonEKSAutoNodePolicy")) {
        continue;
      }
      String arn = "arn:aws:eks::aws:cluster-access-policy/" + n;
      eks.associateAccessPolicy(
          r ->
              r.clusterName("prod")
                  .principalArn(DEV)
                  .policyArn(arn)
                  .accessScope(s -> s.type(AccessScopeType.CLUSTER)));
      associated.add(arn);
    }
    List<String> listed = new ArrayList<>();
    eks.listAssociatedAccessPoliciesPaginator(
            r -> r.clusterName("prod").principalArn(DEV).maxResults(2))
        .associatedAccessPolicies()
        .forEach(p -> listed.add(p.policyArn()));
    assertThat(listed).containsExactlyInAnyOrderElementsOf(associated).isNotEqualTo(associated);
  }

  // ---- node entries -------------------------------------------------------------------------

  @Test
  void eksSetsANodeEntrysUsernameAndGroupsAndTheBackendReadsThemBack() {
    EksClient eks = eks();
    Map<String, String> usernames = new TreeMap<>();
    usernames.put("EC2_LINUX", "system:node:{{EC2PrivateDNSName}}");
    usernames.put("EC2_WINDOWS", "system:node:{{EC2PrivateDNSName}}");
    usernames.put("FARGATE_LINUX", "system:node:{{SessionName}}");
    usernames.put("HYBRID_LINUX", "system:node:{{SessionName}}");
    usernames.put("HYPERPOD_LINUX", "system:node:{{EC2PrivateDNSName}}");
    usernames.put("EC2", "system:node:{{EC2PrivateDNSName}}");
    usernames.forEach(
        (type, username) -> {
          String role = "arn:aws:iam::111122223333:role/nodes/" + type;
          AccessEntry e =
              eks.createAccessEntry(r -> r.clusterName("prod").principalArn(role).type(type))
                  .accessEntry();
          assertThat(e.type()).isEqualTo(type);
          assertThat(e.username()).as(type).isEqualTo(username);
          assertThat(e.kubernetesGroups())
              .as(type)
              .isEqualTo(type.equals("EC2") ? List.of() : List.of("system:nodes"));
        });

    AccessEntriesBackend ids = AccessEntries.backend(eks, "prod");
    List<IdentityMapping> read = ids.read().mappings();
    assertThat(read).hasSize(usernames.size());
    for (IdentityMapping m : read) {
      String type = m.principal().name();
      assertThat(m.username()).as(type).contains(usernames.get(type));
      assertThat(m.groups())
          .as(type)
          .isEqualTo(type.equals("EC2") ? List.of() : List.of("system:nodes"));
    }
    assertThat(ids.entryTypes().values())
        .extracting(AccessEntryType::value)
        .containsExactlyInAnyOrderElementsOf(usernames.keySet());
  }

  @Test
  void aNodeEntryNeedsARoleOfTheClustersAccountAndTakesNoGroupsOrUsername() {
    EksClient eks = eks();
    for (String principal :
        List.of("arn:aws:iam::111122223333:user/node", "arn:aws:iam::444455556666:role/NodeRole")) {
      assertThat(
              catchThrowableOfType(
                  InvalidParameterException.class,
                  () ->
                      eks.createAccessEntry(
                          r -> r.clusterName("prod").principalArn(principal).type("EC2_LINUX"))))
          .as(principal)
          .isNotNull();
    }
    String nodes = "arn:aws:iam::111122223333:role/NodeRole";
    assertThat(
            catchThrowableOfType(
                InvalidParameterException.class,
                () ->
                    eks.createAccessEntry(
                        r ->
                            r.clusterName("prod")
                                .principalArn(nodes)
                                .type("EC2_LINUX")
                                .kubernetesGroups("node-readers"))))
        .isNotNull();
    assertThat(api.principals("prod")).isEmpty();

    eks.createAccessEntry(r -> r.clusterName("prod").principalArn(nodes).type("EC2_LINUX"));
    // echoing EKS's own username back is refused for its prefix, as EKS words it
    var echo =
        catchThrowableOfType(
            InvalidParameterException.class,
            () ->
                eks.updateAccessEntry(
                    r ->
                        r.clusterName("prod")
                            .principalArn(nodes)
                            .username("system:node:{{EC2PrivateDNSName}}")));
    assertThat(echo.awsErrorDetails().errorMessage())
        .isEqualTo("The username must not begin with system:");
    assertThat(
            catchThrowableOfType(
                    InvalidParameterException.class,
                    () ->
                        eks.listAssociatedAccessPolicies(
                            r -> r.clusterName("prod").principalArn(nodes)))
                .awsErrorDetails()
                .errorMessage())
        .isEqualTo(
            "This operation can only be performed on Access Entries with a type of \"STANDARD\".");
  }

  // ---- other messages in EKS's words --------------------------------------------------------

  @Test
  void aPolicyArnEksDoesNotHaveIsNotFoundInEksWords() {
    EksClient eks = eks();
    create(eks, DEV);
    for (String policy :
        List.of(
            "arn:aws:eks:us-west-2:aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
            "arn:aws:eks::aws:cluster-access-policy/AmazonEKSMadeUpPolicy")) {
      var e =
          catchThrowableOfType(
              ResourceNotFoundException.class,
              () ->
                  eks.associateAccessPolicy(
                      r ->
                          r.clusterName("prod")
                              .principalArn(DEV)
                              .policyArn(policy)
                              .accessScope(s -> s.type(AccessScopeType.CLUSTER))));
      assertThat(e.awsErrorDetails().errorMessage())
          .as(policy)
          .isEqualTo("The specified policyArn could not be found.");
    }
  }

  @Test
  void aSecondModeUpdateWhileOneRunsIsInUseInEksWords() {
    api.addCluster("legacy", "CONFIG_MAP");
    EksClient eks = eks();
    String id =
        eks.updateClusterConfig(
                r ->
                    r.name("legacy")
                        .accessConfig(
                            a -> a.authenticationMode(AuthenticationMode.API_AND_CONFIG_MAP)))
            .update()
            .id();
    var busy =
        catchThrowableOfType(
            ResourceInUseException.class,
            () ->
                eks.updateClusterConfig(
                    r ->
                        r.name("legacy")
                            .accessConfig(a -> a.authenticationMode(AuthenticationMode.API))));
    assertThat(busy.statusCode()).isEqualTo(409);
    assertThat(busy.clusterName()).isEqualTo("legacy");
    assertThat(busy.awsErrorDetails().errorMessage())
        .isEqualTo(
            "Cannot AccessConfigUpdate because cluster legacy currently has update "
                + id
                + " in progress");
  }
}
