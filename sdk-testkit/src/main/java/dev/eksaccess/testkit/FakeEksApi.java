package dev.eksaccess.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.QueryParameter;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import dev.eksaccess.api.support.AccessEntryRules;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A stateful EKS API on a loopback port, speaking EKS's REST-JSON wire format, for code that uses
 * the real {@code EksClient} (point it here with {@code endpointOverride}). It serves the access
 * entry operations, {@code ListAccessPolicies}, {@code DescribeCluster}, {@code
 * UpdateClusterConfig} with a polled {@code DescribeUpdate}, and answers errors as EKS does: the
 * {@code x-amzn-ErrorType} header, a JSON body with {@code message}, and a request id.
 *
 * <pre>{@code
 * try (FakeEksApi eks = FakeEksApi.start()) {
 *   eks.addCluster("prod", "API_AND_CONFIG_MAP");
 *   EksClient client = EksClient.builder()
 *       .endpointOverride(URI.create(eks.baseUrl()))
 *       .region(Region.US_WEST_2)
 *       .credentialsProvider(StaticCredentialsProvider.create(
 *           AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
 *       .build();
 *   // ... run the code under test with client ...
 *   assertThat(eks.count("CreateAccessEntry")).isEqualTo(1);
 * }
 * }</pre>
 *
 * <p>What it refuses, as EKS does: access entry calls on a {@code CONFIG_MAP} cluster, STS and
 * service-linked principals, {@code system:} groups, reserved username prefixes and a {@code
 * {{SessionName}}} without a colon before it, groups or a username on node types, node types for
 * anything but a role of the cluster's account, policies on node types other than {@code EC2}, a
 * second entry for a principal, unsupported authentication mode moves (anything but one step along
 * CONFIG_MAP → API_AND_CONFIG_MAP → API). A malformed cluster name or principal ARN is a 400 {@code
 * InvalidParameterException} on every call; a cluster or entry that does not exist is a 404 {@code
 * ResourceNotFoundException}.
 *
 * <p>Where it answers as EKS does:
 *
 * <ul>
 *   <li>The region is the one the request was signed for (the AWS SDK signs for the client's
 *       region), {@code us-west-2} for an unsigned request. A cluster lives in the region of the
 *       first signed call that reaches it; a call signed for another region does not find it.
 *       Access entry ARNs are {@code
 *       arn:PARTITION:eks:REGION:111122223333:access-entry/CLUSTER/role|user/ACCOUNT/NAME/UUID}:
 *       the cluster's account, the principal's account and its name without the path, as in the IAM
 *       service authorization reference's {@code
 *       access-entry/${ClusterName}/${IamIdentityType}/${IamIdentityAccountID}/${IamIdentityName}/${UUID}}.
 *   <li>IAM: once {@link #addIamPrincipals} is called, only the principals it names exist, exactly
 *       as written (a role is known by its path: {@code role/Dev} is not {@code role/teams/Dev}),
 *       and a create for any other is refused with EKS's {@code The specified principalArn is
 *       invalid: invalid principal.} Until then every well-formed principal of the cluster's
 *       partition exists, so tests that never name their principals keep working.
 *   <li>{@code createdAt} equals {@code modifiedAt} on create; an update moves {@code modifiedAt}.
 *   <li>EKS documents no order for {@code ListAccessEntries}, {@code ListAssociatedAccessPolicies}
 *       or {@code ListAccessPolicies}, so they come in an order that is neither creation nor
 *       alphabetical order and differs from one fake to the next: stable across the pages of one
 *       listing, fixed by {@link #listOrderSeed(long)} (or the system property {@value
 *       #LIST_ORDER_SEED_PROPERTY}) to reproduce a run.
 *   <li>Node entries: EKS sets the username ({@code system:node:{{EC2PrivateDNSName}}}, or {@code
 *       system:node:{{SessionName}}} for Fargate and hybrid nodes) and the group {@code
 *       system:nodes} (not for the Auto Mode type {@code EC2}, which takes {@code
 *       AmazonEKSAutoNodePolicy} instead).
 *   <li>{@link EksFault#accessDenied()} answers 403 {@code AccessDeniedException} with IAM's
 *       message and the resource EKS authorizes: the cluster for creates and lists, the access
 *       entry for calls on one.
 * </ul>
 *
 * <p>The messages quoted by users of EKS are EKS's own; where no EKS answer to a request was found
 * in public sources (a bad {@code nextToken} or {@code maxResults}, groups or a username on a node
 * type, a node type for a role of another account, an unknown type, a bad access scope, a
 * disassociation of a policy that is not associated), the message is the fake's, and code should
 * not depend on its words. Optional eventual consistency: {@link #invalidPrincipalFor} and {@link
 * #entriesInvisibleToAssociateFor}.
 *
 * <p>Thread-safe: calls are served one at a time; a {@link #latency(Duration)} delay is served
 * outside the lock, so concurrent callers overlap as they would against EKS.
 */
public final class FakeEksApi extends WireFake<EksFault, FakeEksApi> {
  /** The account of every cluster and node role this fake serves. */
  public static final String ACCOUNT = "111122223333";

  /**
   * The system property that fixes the seed of the list order of every fake started afterwards, to
   * reproduce a run that met one order: {@code -Deks-access.fake-eks.list-order-seed=42}.
   */
  public static final String LIST_ORDER_SEED_PROPERTY = "eks-access.fake-eks.list-order-seed";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DEFAULT_REGION = "us-west-2";
  private static final Set<String> TYPES =
      Set.of(
          "STANDARD",
          "EC2_LINUX",
          "EC2_WINDOWS",
          "FARGATE_LINUX",
          "EC2",
          "HYBRID_LINUX",
          "HYPERPOD_LINUX");
  private static final List<String> MODES = List.of("CONFIG_MAP", "API_AND_CONFIG_MAP", "API");
  private static final List<String> POLICIES =
      List.of(
          "AmazonEKSAdminPolicy",
          "AmazonEKSAdminViewPolicy",
          "AmazonEKSAutoNodePolicy",
          "AmazonEKSBlockStoragePolicy",
          "AmazonEKSClusterAdminPolicy",
          "AmazonEKSComputePolicy",
          "AmazonEKSEditPolicy",
          "AmazonEKSHybridPolicy",
          "AmazonEKSLoadBalancingPolicy",
          "AmazonEKSNetworkingPolicy",
          "AmazonEKSViewPolicy",
          "AmazonEMRJobPolicy");

  /** An IAM role or user ARN: partition, account, kind, and the path with the name. */
  private static final Pattern ROLE_OR_USER =
      Pattern.compile("arn:(aws[a-z-]*):iam::(\\d{12}):(role|user)/((?:[^/]+/)*[^/]+)");

  /** EKS's rule for a cluster name (CreateCluster's pattern; 1 to 100 characters at creation). */
  private static final Pattern CLUSTER_NAME = Pattern.compile("[0-9A-Za-z][A-Za-z0-9_-]*");

  /** The region a SigV4 Authorization header was signed for. */
  private static final Pattern SIGNED_REGION =
      Pattern.compile("Credential=[^/,]+/\\d{8}/([a-z0-9-]+)/");

  private final Map<String, Cluster> clusters = new LinkedHashMap<>();
  private final Map<String, Integer> invalidPrincipal = new HashMap<>();
  private @Nullable Set<String> iamPrincipals;
  private long listOrderSeed =
      Long.getLong(LIST_ORDER_SEED_PROPERTY, ThreadLocalRandom.current().nextLong());
  private int invisibleToAssociate;
  private int pollsPerUpdate = 2;
  private boolean failNextUpdate;

  private static final class Cluster {
    final String name;
    @Nullable String mode;
    @Nullable String region;
    final Map<String, ObjectNode> entries = new LinkedHashMap<>();
    final Map<String, Map<String, ObjectNode>> policies = new HashMap<>();
    final Map<String, Integer> invisible = new HashMap<>();
    final Map<String, String> tokens = new HashMap<>();
    final Map<String, Update> updates = new LinkedHashMap<>();
    final Map<String, String> updateTokens = new HashMap<>();
    @Nullable String endpoint;
    byte @Nullable [] caPem;

    Cluster(String name, @Nullable String mode) {
      this.name = name;
      this.mode = mode;
    }
  }

  private static final class Update {
    final ObjectNode body;
    final String target;
    int pollsLeft;
    final boolean fails;

    Update(ObjectNode body, String target, int polls, boolean fails) {
      this.body = body;
      this.target = target;
      this.pollsLeft = polls;
      this.fails = fails;
    }
  }

  private FakeEksApi() {
    super("eks-access-fake-eks-api");
  }

  /**
   * Starts a fake EKS API on a free loopback port, with no clusters.
   *
   * @return the running server; close it when done
   */
  public static FakeEksApi start() {
    return new FakeEksApi();
  }

  /**
   * Adds a cluster in an authentication mode.
   *
   * @param name the cluster name, as EKS allows it: 1 to 100 letters, digits, {@code -} and {@code
   *     _}, starting with a letter or digit
   * @param authenticationMode {@code CONFIG_MAP}, {@code API_AND_CONFIG_MAP} or {@code API}
   * @return this
   * @throws IllegalArgumentException for another mode, or a name EKS would not create
   */
  public synchronized FakeEksApi addCluster(String name, String authenticationMode) {
    if (!MODES.contains(authenticationMode)) {
      throw new IllegalArgumentException(
          "authentication mode must be one of " + MODES + ", not " + authenticationMode);
    }
    clusters.put(checkedName(name), new Cluster(name, authenticationMode));
    return this;
  }

  /**
   * Adds a cluster created before access entries existed: {@code DescribeCluster} has no {@code
   * accessConfig}, which means {@code CONFIG_MAP}.
   *
   * @param name the cluster name
   * @return this
   * @throws IllegalArgumentException for a name EKS would not create
   */
  public synchronized FakeEksApi addLegacyCluster(String name) {
    clusters.put(checkedName(name), new Cluster(name, null));
    return this;
  }

  private static String checkedName(String name) {
    if (name.length() > 100 || !CLUSTER_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "EKS would not create a cluster named \""
              + name
              + "\": a name is 1 to 100 letters, digits, - and _, starting with a letter or digit");
    }
    return name;
  }

  /**
   * Makes IAM principals exist. The first call turns the IAM check on: from then on {@code
   * CreateAccessEntry} accepts only the principals named here, exactly as written, and refuses any
   * other as EKS refuses a principal IAM does not have ({@code InvalidParameterException: The
   * specified principalArn is invalid: invalid principal.}). A role is known by its path: {@code
   * role/teams/Dev} does not make {@code role/Dev} exist. Until the first call, every well-formed
   * principal of the cluster's partition exists. Call it with no principals to turn the check on
   * with none.
   *
   * <pre>{@code
   * eks.addIamPrincipals("arn:aws:iam::111122223333:role/teams/Dev",
   *     "arn:aws:iam::111122223333:user/alice");
   * }</pre>
   *
   * @param principalArns IAM role or user ARNs
   * @return this
   * @throws IllegalArgumentException for an ARN that is not an IAM role or user
   */
  public synchronized FakeEksApi addIamPrincipals(String... principalArns) {
    Set<String> known = iamPrincipals == null ? new LinkedHashSet<>() : iamPrincipals;
    for (String arn : principalArns) {
      if (!ROLE_OR_USER.matcher(arn).matches()) {
        throw new IllegalArgumentException(
            arn + " is not an IAM role or user ARN, such as arn:aws:iam::111122223333:role/Dev");
      }
      known.add(arn);
    }
    iamPrincipals = known;
    return this;
  }

  /**
   * Fixes the order of the list operations, which EKS does not document: the same seed gives the
   * same order for the same items. By default each fake draws its own seed (or takes {@value
   * #LIST_ORDER_SEED_PROPERTY}), so code that depends on an order fails sooner or later, as it
   * would against EKS.
   *
   * <pre>{@code
   * eks.listOrderSeed(42); // the order a failed run met, from its listOrderSeed()
   * }</pre>
   *
   * @param seed the seed
   * @return this
   */
  public synchronized FakeEksApi listOrderSeed(long seed) {
    listOrderSeed = seed;
    return this;
  }

  /**
   * The seed of the list order, to reproduce a run with {@link #listOrderSeed(long)}.
   *
   * @return the seed
   */
  public synchronized long listOrderSeed() {
    return listOrderSeed;
  }

  /**
   * Sets what {@code DescribeCluster} reports as the cluster's API server endpoint and CA, for code
   * that builds a Kubernetes client from them.
   *
   * @param cluster the cluster name
   * @param endpoint the https endpoint
   * @param caCertificatePem the CA certificate, PEM-encoded (EKS reports it base64-encoded)
   * @return this
   */
  public synchronized FakeEksApi clusterEndpoint(
      String cluster, String endpoint, byte[] caCertificatePem) {
    Cluster c = cluster(cluster);
    c.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    c.caPem = caCertificatePem.clone();
    return this;
  }

  /**
   * The cluster's authentication mode now.
   *
   * @param cluster the cluster name
   * @return the mode ({@code CONFIG_MAP} for a legacy cluster)
   */
  public synchronized String authenticationMode(String cluster) {
    return Objects.requireNonNullElse(cluster(cluster).mode, "CONFIG_MAP");
  }

  /**
   * Stores an access entry as EKS would have it, bypassing validation (for entries EKS creates
   * itself, such as a managed node group's {@code EC2_LINUX} entry). Its {@code createdAt} and
   * {@code modifiedAt} are now; the principal need not be one of {@link #addIamPrincipals}.
   *
   * @param cluster the cluster name
   * @param principalArn the principal
   * @param type the entry type
   * @param username the username
   * @param groups the Kubernetes groups
   * @return this
   */
  public synchronized FakeEksApi putEntry(
      String cluster, String principalArn, String type, String username, List<String> groups) {
    Cluster c = cluster(cluster);
    c.entries.put(principalArn, entry(c, principalArn, type, username, groups, now()));
    c.policies.put(principalArn, new LinkedHashMap<>());
    return this;
  }

  /**
   * Deletes an access entry and its policy associations directly, as another writer would.
   *
   * @param cluster the cluster name
   * @param principalArn the principal
   * @return whether there was an entry
   */
  public synchronized boolean removeEntry(String cluster, String principalArn) {
    Cluster c = cluster(cluster);
    c.policies.remove(principalArn);
    c.tokens.values().removeIf(principalArn::equals);
    return c.entries.remove(principalArn) != null;
  }

  /**
   * Associates a policy directly, bypassing validation.
   *
   * @param cluster the cluster name
   * @param principalArn the principal, which must have an entry
   * @param policyName the policy name, such as {@code AmazonEKSClusterAdminPolicy}
   * @param namespaces the namespaces, or none for cluster scope
   * @return this
   */
  public synchronized FakeEksApi putPolicy(
      String cluster, String principalArn, String policyName, String... namespaces) {
    Cluster c = cluster(cluster);
    ObjectNode scope = JSON.createObjectNode();
    scope.put("type", namespaces.length == 0 ? "cluster" : "namespace");
    ArrayNode ns = scope.putArray("namespaces");
    for (String n : namespaces) {
      ns.add(n);
    }
    String arn = policyArn(partition(c), policyName);
    Objects.requireNonNull(c.policies.get(principalArn), "no entry for " + principalArn)
        .put(arn, association(arn, scope, null));
    return this;
  }

  /**
   * The stored entry, as {@code DescribeAccessEntry} returns it, with its policies.
   *
   * @param cluster the cluster name
   * @param principalArn the principal
   * @return the entry as JSON, with an extra {@code "policies"} array; empty if there is none
   */
  public synchronized java.util.Optional<String> entry(String cluster, String principalArn) {
    Cluster c = cluster(cluster);
    ObjectNode e = c.entries.get(principalArn);
    if (e == null) {
      return java.util.Optional.empty();
    }
    ObjectNode out = e.deepCopy();
    ArrayNode ps = out.putArray("policies");
    Objects.requireNonNull(c.policies.get(principalArn)).values().forEach(ps::add);
    return java.util.Optional.of(out.toString());
  }

  /**
   * The principals with an entry, in creation order.
   *
   * @param cluster the cluster name
   * @return the principal ARNs
   */
  public synchronized List<String> principals(String cluster) {
    return List.copyOf(cluster(cluster).entries.keySet());
  }

  /**
   * Simulates a just-created IAM role: the next {@code times} creates of an entry for it answer
   * {@code InvalidParameterException: The specified principalArn is invalid: invalid principal.}
   *
   * @param principalArn the principal
   * @param times how many creates fail
   * @return this
   */
  public synchronized FakeEksApi invalidPrincipalFor(String principalArn, int times) {
    invalidPrincipal.put(principalArn, times);
    return this;
  }

  /**
   * Simulates eventual consistency after a create: for each entry created from now on, the first
   * {@code times} {@code AssociateAccessPolicy} calls answer {@code ResourceNotFoundException}.
   *
   * @param times how many associate calls per new entry fail
   * @return this
   */
  public synchronized FakeEksApi entriesInvisibleToAssociateFor(int times) {
    invisibleToAssociate = times;
    return this;
  }

  /**
   * How many {@code DescribeUpdate} calls an authentication mode update stays {@code InProgress}.
   *
   * @param polls the number of polls (default 2)
   * @return this
   */
  public synchronized FakeEksApi pollsPerUpdate(int polls) {
    pollsPerUpdate = polls;
    return this;
  }

  /**
   * The next authentication mode update is accepted, then ends {@code Failed}.
   *
   * @return this
   */
  public synchronized FakeEksApi failNextUpdate() {
    failNextUpdate = true;
    return this;
  }

  /**
   * How many calls of an operation were served.
   *
   * @param operation the operation, such as {@code CreateAccessEntry}
   * @return the count
   */
  public synchronized long count(String operation) {
    return requests().stream()
        .filter(l -> l.equals(operation) || l.startsWith(operation + " "))
        .count();
  }

  /**
   * How many calls changed something (or tried to): creates, updates, deletes, associations and
   * mode updates.
   *
   * @return the count
   */
  public synchronized long writes() {
    return requests().stream()
        .filter(
            l ->
                l.startsWith("Create")
                    || l.startsWith("Update")
                    || l.startsWith("Delete")
                    || l.startsWith("Associate")
                    || l.startsWith("Disassociate"))
        .count();
  }

  @Override
  public synchronized String toString() {
    return "FakeEksApi["
        + baseUrl()
        + ", clusters "
        + clusters.keySet()
        + ", list order seed "
        + listOrderSeed
        + "]";
  }

  private Cluster cluster(String name) {
    Cluster c = clusters.get(name);
    if (c == null) {
      throw new IllegalArgumentException("no cluster " + name + "; add it with addCluster(..)");
    }
    return c;
  }

  /** A parsed call: the operation, the cluster, and the principal and policy from the path. */
  private record Call(
      String operation,
      @Nullable String cluster,
      @Nullable String principal,
      @Nullable String policy,
      @Nullable String updateId) {}

  private static @Nullable Call route(String method, List<String> p) {
    int n = p.size();
    if (n == 1 && p.get(0).equals("access-policies") && method.equals("GET")) {
      return new Call("ListAccessPolicies", null, null, null, null);
    }
    if (n == 2 && p.get(0).equals("tags")) {
      return switch (method) {
        case "POST" -> new Call("TagResource", null, p.get(1), null, null);
        case "DELETE" -> new Call("UntagResource", null, p.get(1), null, null);
        default -> null;
      };
    }
    if (n < 2 || !p.get(0).equals("clusters")) {
      return null;
    }
    String c = p.get(1);
    if (n == 2 && method.equals("GET")) {
      return new Call("DescribeCluster", c, null, null, null);
    }
    if (n == 3 && p.get(2).equals("update-config") && method.equals("POST")) {
      return new Call("UpdateClusterConfig", c, null, null, null);
    }
    if (n == 4 && p.get(2).equals("updates") && method.equals("GET")) {
      return new Call("DescribeUpdate", c, null, null, p.get(3));
    }
    if (n < 3 || !p.get(2).equals("access-entries")) {
      return null;
    }
    if (n == 3) {
      return switch (method) {
        case "GET" -> new Call("ListAccessEntries", c, null, null, null);
        case "POST" -> new Call("CreateAccessEntry", c, null, null, null);
        default -> null;
      };
    }
    String principal = p.get(3);
    if (n == 4) {
      return switch (method) {
        case "GET" -> new Call("DescribeAccessEntry", c, principal, null, null);
        case "POST" -> new Call("UpdateAccessEntry", c, principal, null, null);
        case "DELETE" -> new Call("DeleteAccessEntry", c, principal, null, null);
        default -> null;
      };
    }
    if (!p.get(4).equals("access-policies")) {
      return null;
    }
    if (n == 5) {
      return switch (method) {
        case "GET" -> new Call("ListAssociatedAccessPolicies", c, principal, null, null);
        case "POST" -> new Call("AssociateAccessPolicy", c, principal, null, null);
        default -> null;
      };
    }
    if (n == 6 && method.equals("DELETE")) {
      return new Call("DisassociateAccessPolicy", c, principal, p.get(5), null);
    }
    return null;
  }

  /** The path's segments, decoded. */
  private static List<String> parts(Request request) {
    String rawPath = URI.create(request.getUrl()).getRawPath();
    List<String> parts = new ArrayList<>();
    for (String s : rawPath.split("/", -1)) {
      if (!s.isEmpty()) {
        parts.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
      }
    }
    return parts;
  }

  /** A call is logged as {@code Operation} or {@code Operation principalArn}. */
  @Override
  Route route(Request request) {
    String method = request.getMethod().getName();
    Call call = route(method, parts(request));
    if (call == null) {
      return new Route(method + " " + URI.create(request.getUrl()).getRawPath(), null);
    }
    return new Route(
        call.operation() + (call.principal() == null ? "" : " " + call.principal()),
        call.operation());
  }

  @Override
  ResponseDefinition unknown(Request request) {
    return error(
        404,
        "UnknownOperationException",
        "no such operation: "
            + request.getMethod().getName()
            + " "
            + URI.create(request.getUrl()).getRawPath());
  }

  @Override
  ResponseDefinition answer(Request request, Route route, @Nullable EksFault fault) {
    Call call = Objects.requireNonNull(route(request.getMethod().getName(), parts(request)));
    String signedFor = signedRegion(request);
    if (fault == null) {
      return handle(call, request, signedFor);
    }
    return switch (fault.kind()) {
      case THROTTLING -> error(400, "ThrottlingException", "Rate exceeded");
      case SERVER_ERROR ->
          error(500, "ServerException", "An internal error occurred. Try again later.");
      case EXPIRED_CREDENTIALS ->
          error(
              403,
              "ExpiredTokenException",
              "The security token included in the request is expired");
      case ACCESS_DENIED ->
          error(403, "AccessDeniedException", accessDenied(call, fault, signedFor));
      case DROPPED_AFTER_COMMIT -> {
        handle(call, request, signedFor);
        yield ResponseDefinitionBuilder.responseDefinition()
            .withFault(Fault.CONNECTION_RESET_BY_PEER)
            .build();
      }
      case LATENCY ->
          ResponseDefinitionBuilder.like(handle(call, request, signedFor))
              .withFixedDelay((int) fault.delay().toMillis())
              .build();
    };
  }

  /** The region the request was signed for (SigV4's credential scope), if it was signed. */
  private static @Nullable String signedRegion(Request request) {
    HttpHeader auth = request.header("Authorization");
    if (auth == null || !auth.isPresent()) {
      return null;
    }
    Matcher m = SIGNED_REGION.matcher(auth.firstValue());
    return m.find() ? m.group(1) : null;
  }

  /** The partition of a region, as the AWS SDK's endpoint rules have it. */
  private static String partitionOf(String region) {
    if (region.startsWith("cn-")) {
      return "aws-cn";
    }
    if (region.startsWith("us-gov-")) {
      return "aws-us-gov";
    }
    if (region.startsWith("us-isob-")) {
      return "aws-iso-b";
    }
    if (region.startsWith("us-iso-")) {
      return "aws-iso";
    }
    if (region.startsWith("eu-isoe-")) {
      return "aws-iso-e";
    }
    if (region.startsWith("us-isof-")) {
      return "aws-iso-f";
    }
    if (region.startsWith("eusc-")) {
      return "aws-eusc";
    }
    return "aws";
  }

  private static String regionOf(Cluster c) {
    return Objects.requireNonNullElse(c.region, DEFAULT_REGION);
  }

  private static String partition(Cluster c) {
    return partitionOf(regionOf(c));
  }

  private static String clusterArn(String partition, String region, String cluster) {
    return "arn:" + partition + ":eks:" + region + ":" + ACCOUNT + ":cluster/" + cluster;
  }

  /**
   * IAM's words for a denied call, with the resource EKS authorizes: the cluster for creates, lists
   * and cluster calls, the access entry (any UUID) for a call on one, none for {@code
   * ListAccessPolicies}, which has no resource.
   */
  private String accessDenied(Call call, EksFault fault, @Nullable String signedFor) {
    String region = signedFor;
    Cluster c = call.cluster() == null ? null : clusters.get(call.cluster());
    if (region == null) {
      region = c == null ? DEFAULT_REGION : regionOf(c);
    }
    String partition = partitionOf(region);
    String caller =
        fault.caller().isEmpty()
            ? "arn:" + partition + ":sts::" + ACCOUNT + ":assumed-role/eks-access-tests/test"
            : fault.caller();
    String op = call.operation();
    String resource =
        switch (op) {
          case "ListAccessPolicies" -> null;
          case "TagResource", "UntagResource" -> call.principal();
          case "CreateAccessEntry",
              "ListAccessEntries",
              "DescribeCluster",
              "UpdateClusterConfig",
              "DescribeUpdate" ->
              clusterArn(partition, region, Objects.requireNonNull(call.cluster()));
          default ->
              accessEntryResource(
                      partition,
                      region,
                      Objects.requireNonNull(call.cluster()),
                      Objects.requireNonNull(call.principal()))
                  + "/*";
        };
    return "User: "
        + caller
        + " is not authorized to perform: eks:"
        + op
        + (resource == null ? "" : " on resource: " + resource)
        + " because no identity-based policy allows the eks:"
        + op
        + " action";
  }

  /**
   * An access entry's ARN without its UUID: {@code access-entry/CLUSTER/role|user/ACCOUNT/NAME}
   * with the name and not the path; for a malformed principal, the empty segments EKS uses.
   */
  private static String accessEntryResource(
      String partition, String region, String cluster, String principal) {
    Matcher m = ROLE_OR_USER.matcher(principal);
    String who =
        m.matches()
            ? m.group(3)
                + "/"
                + m.group(2)
                + "/"
                + m.group(4).substring(m.group(4).lastIndexOf('/') + 1)
            : "//";
    return "arn:"
        + partition
        + ":eks:"
        + region
        + ":"
        + ACCOUNT
        + ":access-entry/"
        + cluster
        + "/"
        + who;
  }

  private static final Set<String> NAMED_BY_NAME =
      Set.of("DescribeCluster", "UpdateClusterConfig", "DescribeUpdate");

  private ResponseDefinition handle(Call call, Request request, @Nullable String signedFor) {
    if (call.operation().equals("ListAccessPolicies")) {
      return listPolicies(
          request, partitionOf(Objects.requireNonNullElse(signedFor, DEFAULT_REGION)));
    }
    if (call.operation().equals("TagResource") || call.operation().equals("UntagResource")) {
      return tags(call, request);
    }
    String name = Objects.requireNonNull(call.cluster());
    if (!CLUSTER_NAME.matcher(name).matches()) {
      // EKS's own words, the missing space included: DescribeCluster names its member "parameter
      // name", the access entry calls theirs "clusterName parameter"
      return error(
          400,
          "InvalidParameterException",
          (NAMED_BY_NAME.contains(call.operation())
                  ? "The parameter name"
                  : "The clusterName parameter")
              + " contains invalid characters. It should conform to the regular"
              + " expression \"^[0-9A-Za-z][A-Za-z0-9-_]*\"In other words, it should start with a"
              + " number or letter, and can contain numbers, letters, dashes, and underscores.");
    }
    if (call.principal() != null && !ROLE_OR_USER.matcher(call.principal()).matches()) {
      return malformedPrincipal();
    }
    Cluster c = clusters.get(name);
    if (c != null && signedFor != null) {
      if (c.region == null) {
        bind(c, signedFor);
      } else if (!c.region.equals(signedFor)) {
        c = null; // clusters are regional: this region has none of that name
      }
    }
    if (c == null) {
      return error(404, "ResourceNotFoundException", "No cluster found for name: " + name + ".");
    }
    ObjectNode body;
    try {
      body = body(request);
    } catch (JsonProcessingException e) {
      return error(400, "InvalidParameterException", "The request body is not valid JSON.");
    }
    ResponseDefinition clusterCall =
        switch (call.operation()) {
          case "DescribeCluster" -> ok(describeCluster(c));
          case "UpdateClusterConfig" -> updateConfig(c, body);
          case "DescribeUpdate" -> describeUpdate(c, Objects.requireNonNull(call.updateId()));
          default -> null;
        };
    if (clusterCall != null) {
      return clusterCall;
    }
    if (c.mode == null || c.mode.equals("CONFIG_MAP")) {
      return error(
          400,
          "InvalidRequestException",
          "The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to"
              + " perform this operation.");
    }
    return switch (call.operation()) {
      case "CreateAccessEntry" -> create(c, body);
      case "ListAccessEntries" -> listEntries(c, request);
      default -> onEntry(c, call, body, request);
    };
  }

  /** The cluster's region is the first one a signed call reaches it from; ARNs follow it. */
  private static void bind(Cluster c, String region) {
    c.region = region;
    for (var e : c.entries.entrySet()) {
      String arn = e.getValue().path("accessEntryArn").asText();
      String uuid = arn.substring(arn.lastIndexOf('/') + 1);
      e.getValue().put("accessEntryArn", entryArn(c, e.getKey(), uuid));
    }
  }

  private ResponseDefinition onEntry(Cluster c, Call call, ObjectNode body, Request request) {
    String principal = Objects.requireNonNull(call.principal());
    ObjectNode entry = c.entries.get(principal);
    if (entry == null) {
      return notFound();
    }
    String type = entry.path("type").asText();
    return switch (call.operation()) {
      case "DescribeAccessEntry" -> ok(JSON.createObjectNode().set("accessEntry", entry));
      case "UpdateAccessEntry" -> update(entry, type, body);
      case "DeleteAccessEntry" -> {
        c.entries.remove(principal);
        c.policies.remove(principal);
        c.tokens.values().removeIf(principal::equals);
        yield ok(JSON.createObjectNode());
      }
      case "AssociateAccessPolicy" -> associate(c, principal, type, body);
      case "ListAssociatedAccessPolicies" -> {
        if (!type.equals("STANDARD") && !type.equals("EC2")) {
          yield standardOnly();
        }
        List<JsonNode> all =
            new ArrayList<>(Objects.requireNonNull(c.policies.get(principal)).values());
        yield page(
            request,
            all,
            n -> n.path("policyArn").asText(),
            "associatedAccessPolicies",
            JSON.createObjectNode().put("clusterName", c.name).put("principalArn", principal));
      }
      case "DisassociateAccessPolicy" -> {
        Map<String, ObjectNode> ps = Objects.requireNonNull(c.policies.get(principal));
        if (ps.remove(Objects.requireNonNull(call.policy())) == null) {
          yield error(
              404,
              "ResourceNotFoundException",
              "The specified policy " + call.policy() + " is not associated with this entry.");
        }
        yield ok(JSON.createObjectNode());
      }
      default -> error(404, "UnknownOperationException", call.operation());
    };
  }

  private static ResponseDefinition update(ObjectNode entry, String type, ObjectNode body) {
    ResponseDefinition invalid = validateEntryFields(type, body);
    if (invalid != null) {
      return invalid;
    }
    if (body.has("kubernetesGroups")) {
      entry.set("kubernetesGroups", body.get("kubernetesGroups"));
    }
    if (body.hasNonNull("username")) {
      entry.put("username", body.get("username").asText());
    }
    entry.put("modifiedAt", after(entry.path("modifiedAt").asDouble()));
    return ok(JSON.createObjectNode().set("accessEntry", entry));
  }

  private ResponseDefinition create(Cluster c, ObjectNode body) {
    String principal = body.path("principalArn").asText("");
    String type = body.path("type").asText("STANDARD");
    String token = body.path("clientRequestToken").asText("");
    if (!token.isEmpty() && principal.equals(c.tokens.get(token))) {
      ObjectNode same = c.entries.get(principal);
      if (same != null) {
        return ok(JSON.createObjectNode().set("accessEntry", same)); // an idempotent retry
      }
    }
    Matcher m = ROLE_OR_USER.matcher(principal);
    if (!m.matches()) {
      return malformedPrincipal();
    }
    if (m.group(3).equals("role") && m.group(4).startsWith("aws-service-role/")) {
      return error(
          400,
          "InvalidParameterException",
          "The caller is not allowed to modify access entries with a principalArn value of a"
              + " Service Linked Role");
    }
    if (!TYPES.contains(type)) {
      return error(
          400,
          "InvalidParameterException",
          "The type " + type + " is not valid. Valid types are " + TYPES + ".");
    }
    if (!type.equals("STANDARD") && (!m.group(3).equals("role") || !m.group(2).equals(ACCOUNT))) {
      return error(
          400,
          "InvalidParameterException",
          "Access entries of type " + type + " need an IAM role of the cluster's account.");
    }
    ResponseDefinition invalid = validateEntryFields(type, body);
    if (invalid != null) {
      return invalid;
    }
    if (body.has("tags")) {
      ResponseDefinition badTags = invalidTags(body.get("tags"), "InvalidParameterException");
      if (badTags != null) {
        return badTags;
      }
    }
    int unknown = invalidPrincipal.getOrDefault(principal, 0);
    if (unknown > 0) {
      invalidPrincipal.put(principal, unknown - 1);
      return invalidPrincipal();
    }
    if (!m.group(1).equals(partition(c))
        || (iamPrincipals != null && !iamPrincipals.contains(principal))) {
      return invalidPrincipal(); // IAM has no such principal, in this partition or at all
    }
    if (c.entries.containsKey(principal)) {
      return error(
          409,
          "ResourceInUseException",
          "The specified access entry resource is already in use on this cluster.");
    }
    List<String> groups = new ArrayList<>();
    body.path("kubernetesGroups").forEach(g -> groups.add(g.asText()));
    String username =
        body.hasNonNull("username")
            ? body.get("username").asText()
            : defaultUsername(type, m.group(1), m.group(2), m.group(3), m.group(4));
    if (!type.equals("STANDARD") && !type.equals("EC2")) {
      groups.add("system:nodes");
    }
    ObjectNode entry = entry(c, principal, type, username, groups, now());
    if (body.has("tags")) {
      entry.set("tags", body.get("tags"));
    }
    c.entries.put(principal, entry);
    c.policies.put(principal, new LinkedHashMap<>());
    if (invisibleToAssociate > 0) {
      c.invisible.put(principal, invisibleToAssociate);
    }
    if (!token.isEmpty()) {
      c.tokens.put(token, principal);
    }
    return ok(JSON.createObjectNode().set("accessEntry", entry));
  }

  /**
   * What EKS refuses in an entry's groups and username. The reserved prefixes come first: EKS
   * answers an update of a node entry that echoes its {@code system:node:} username with "The
   * username must not begin with system:", not with the node-type rule.
   */
  private static @Nullable ResponseDefinition validateEntryFields(String type, ObjectNode body) {
    for (JsonNode g : body.path("kubernetesGroups")) {
      if (g.asText().startsWith("system:")) {
        return error(
            400,
            "InvalidParameterException",
            "The kubernetes group name "
                + g.asText()
                + " is invalid, it cannot start with system:");
      }
    }
    if (body.hasNonNull("username")) {
      String u = body.get("username").asText();
      for (String prefix : AccessEntryRules.RESERVED_USERNAME_PREFIXES) {
        if (u.startsWith(prefix)) {
          return error(
              400, "InvalidParameterException", "The username must not begin with " + prefix);
        }
      }
      int session = u.indexOf("{{SessionName");
      if (session >= 0 && u.lastIndexOf(':', session) < 0) {
        return error(
            400,
            "InvalidParameterException",
            "The username must have a colon before {{SessionName}}.");
      }
    }
    boolean node = !type.equals("STANDARD");
    if (node
        && ((body.has("kubernetesGroups") && !body.get("kubernetesGroups").isEmpty())
            || body.hasNonNull("username"))) {
      return error(
          400,
          "InvalidParameterException",
          "Kubernetes groups and username cannot be specified for access entries of type "
              + type
              + ".");
    }
    return null;
  }

  private ResponseDefinition associate(Cluster c, String principal, String type, ObjectNode body) {
    int invisible = c.invisible.getOrDefault(principal, 0);
    if (invisible > 0) {
      c.invisible.put(principal, invisible - 1);
      return notFound();
    }
    String policy = body.path("policyArn").asText("");
    String name = policy.substring(policy.lastIndexOf('/') + 1);
    if (!policy.equals(policyArn(partition(c), name)) || !POLICIES.contains(name)) {
      // EKS's words for a policy ARN it does not have, such as one with a region in it
      return error(404, "ResourceNotFoundException", "The specified policyArn could not be found.");
    }
    if (!type.equals("STANDARD")
        && !(type.equals("EC2") && name.equals("AmazonEKSAutoNodePolicy"))) {
      return standardOnly();
    }
    JsonNode scope = body.path("accessScope");
    String scopeType = scope.path("type").asText("");
    int namespaces = scope.path("namespaces").size();
    if (!scopeType.equals("cluster") && !scopeType.equals("namespace")) {
      return error(
          400, "InvalidParameterException", "accessScope type must be cluster or namespace.");
    }
    if (scopeType.equals("namespace") == (namespaces == 0)) {
      return error(
          400,
          "InvalidParameterException",
          scopeType.equals("namespace")
              ? "A namespace scope needs at least one namespace."
              : "A cluster scope cannot name namespaces.");
    }
    ObjectNode scopeCopy = JSON.createObjectNode().put("type", scopeType);
    scopeCopy.set(
        "namespaces",
        scope.path("namespaces").isMissingNode()
            ? JSON.createArrayNode()
            : scope.get("namespaces"));
    Map<String, ObjectNode> ps = Objects.requireNonNull(c.policies.get(principal));
    ObjectNode a = association(policy, scopeCopy, ps.get(policy));
    ps.put(policy, a);
    ObjectNode out =
        JSON.createObjectNode().put("clusterName", c.name).put("principalArn", principal);
    out.set("associatedAccessPolicy", a);
    return ok(out);
  }

  private ResponseDefinition listEntries(Cluster c, Request request) {
    String filter = query(request, "associatedPolicyArn");
    List<JsonNode> arns = new ArrayList<>();
    for (String p : c.entries.keySet()) {
      if (filter == null || Objects.requireNonNull(c.policies.get(p)).containsKey(filter)) {
        arns.add(JSON.getNodeFactory().textNode(p));
      }
    }
    return page(request, arns, JsonNode::asText, "accessEntries", JSON.createObjectNode());
  }

  private ResponseDefinition listPolicies(Request request, String partition) {
    List<JsonNode> all = new ArrayList<>();
    for (String name : POLICIES) {
      all.add(JSON.createObjectNode().put("name", name).put("arn", policyArn(partition, name)));
    }
    return page(
        request, all, n -> n.path("name").asText(), "accessPolicies", JSON.createObjectNode());
  }

  /**
   * One page of a listing in this fake's order: items sorted by a seeded hash of their identity, so
   * the order is the same across the pages of one listing and for the same seed, and is neither
   * creation nor alphabetical order. The token holds the last item served, so a listing survives
   * items added or removed between its pages, as a cursor does.
   */
  private ResponseDefinition page(
      Request request,
      List<JsonNode> all,
      Function<JsonNode, String> identity,
      String key,
      ObjectNode out) {
    String max = query(request, "maxResults");
    int size;
    try {
      size = max == null ? 100 : Integer.parseInt(max);
    } catch (NumberFormatException e) {
      size = -1;
    }
    if (size < 1 || size > 100) {
      return error(400, "InvalidParameterException", "maxResults must be between 1 and 100.");
    }
    Comparator<String> order =
        Comparator.comparingLong(this::orderKey).thenComparing(Comparator.naturalOrder());
    List<JsonNode> sorted = new ArrayList<>(all);
    sorted.sort(Comparator.comparing(identity, order));
    String token = query(request, "nextToken");
    int from = 0;
    if (token != null) {
      String last;
      try {
        last = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return error(400, "InvalidParameterException", "The nextToken is not valid.");
      }
      while (from < sorted.size() && order.compare(identity.apply(sorted.get(from)), last) <= 0) {
        from++;
      }
    }
    int to = Math.min(from + size, sorted.size());
    ArrayNode items = out.putArray(key);
    sorted.subList(from, to).forEach(items::add);
    if (to < sorted.size()) {
      out.put(
          "nextToken",
          Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(identity.apply(sorted.get(to - 1)).getBytes(StandardCharsets.UTF_8)));
    }
    return ok(out);
  }

  /** A seeded 64-bit hash of an item (FNV-1a, then SplitMix64's finaliser). */
  private long orderKey(String item) {
    long h = 0xcbf29ce484222325L ^ listOrderSeed;
    for (int i = 0; i < item.length(); i++) {
      h = (h ^ item.charAt(i)) * 0x100000001b3L;
    }
    h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
    h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
    return h ^ (h >>> 31);
  }

  private ObjectNode describeCluster(Cluster c) {
    String region = regionOf(c);
    String partition = partitionOf(region);
    ObjectNode cluster = JSON.createObjectNode();
    cluster
        .put("name", c.name)
        .put("arn", clusterArn(partition, region, c.name))
        .put(
            "status",
            c.updates.values().stream().anyMatch(u -> u.pollsLeft > 0) ? "UPDATING" : "ACTIVE")
        .put(
            "endpoint",
            c.endpoint != null
                ? c.endpoint
                : "https://"
                    + c.name.toUpperCase(java.util.Locale.ROOT)
                    + ".gr7."
                    + region
                    + ".eks.amazonaws.com"
                    + (partition.equals("aws-cn") ? ".cn" : ""))
        .put("version", "1.33");
    cluster
        .putObject("certificateAuthority")
        .put(
            "data",
            Base64.getEncoder()
                .encodeToString(
                    c.caPem != null
                        ? c.caPem
                        : "-----BEGIN CERTIFICATE-----\nfake\n-----END CERTIFICATE-----\n"
                            .getBytes(StandardCharsets.UTF_8)));
    if (c.mode != null) {
      cluster.putObject("accessConfig").put("authenticationMode", c.mode);
    }
    return JSON.createObjectNode().set("cluster", cluster);
  }

  private ResponseDefinition updateConfig(Cluster c, ObjectNode body) {
    String target = body.path("accessConfig").path("authenticationMode").asText("");
    String from = Objects.requireNonNullElse(c.mode, "CONFIG_MAP");
    String token = body.path("clientRequestToken").asText("");
    String earlier = token.isEmpty() ? null : c.updateTokens.get(token);
    if (earlier != null) {
      // the same request again (a client retry after a lost answer): the same update, as EKS does
      return ok(
          JSON.createObjectNode()
              .set("update", Objects.requireNonNull(c.updates.get(earlier)).body));
    }
    for (var running : c.updates.entrySet()) {
      if (running.getValue().pollsLeft > 0) {
        return error(
            409,
            "ResourceInUseException",
            "Cannot AccessConfigUpdate because cluster "
                + c.name
                + " currently has update "
                + running.getKey()
                + " in progress",
            c.name);
      }
    }
    if (MODES.indexOf(target) != MODES.indexOf(from) + 1) {
      return error(
          400,
          "InvalidParameterException",
          "Unsupported authentication mode update from " + from + " to " + target);
    }
    String id = UUID.randomUUID().toString();
    ObjectNode update = JSON.createObjectNode();
    update.put("id", id).put("status", "InProgress").put("type", "AccessConfigUpdate");
    update.putArray("params").addObject().put("type", "AuthenticationMode").put("value", target);
    update.put("createdAt", now());
    update.putArray("errors");
    c.updates.put(id, new Update(update, target, pollsPerUpdate, failNextUpdate));
    if (!token.isEmpty()) {
      c.updateTokens.put(token, id);
    }
    failNextUpdate = false;
    if (pollsPerUpdate == 0) {
      finish(c, c.updates.get(id));
    }
    return ok(JSON.createObjectNode().set("update", update));
  }

  private ResponseDefinition describeUpdate(Cluster c, String id) {
    Update u = c.updates.get(id);
    if (u == null) {
      return error(404, "ResourceNotFoundException", "No update found for ID: " + id + ".");
    }
    if (u.pollsLeft > 0 && --u.pollsLeft == 0) {
      finish(c, u);
    }
    return ok(JSON.createObjectNode().set("update", u.body));
  }

  private static void finish(Cluster c, Update u) {
    if (u.fails) {
      u.body.put("status", "Failed");
      ((ArrayNode) u.body.get("errors"))
          .addObject()
          .put("errorCode", "Unknown")
          .put("errorMessage", "The authentication mode update failed.");
    } else {
      u.body.put("status", "Successful");
      c.mode = u.target;
    }
  }

  private static ObjectNode entry(
      Cluster c,
      String principal,
      String type,
      String username,
      List<String> groups,
      double createdAt) {
    ObjectNode e = JSON.createObjectNode();
    e.put("clusterName", c.name).put("principalArn", principal);
    ArrayNode g = e.putArray("kubernetesGroups");
    groups.forEach(g::add);
    e.put("accessEntryArn", entryArn(c, principal, UUID.randomUUID().toString()));
    e.put("createdAt", createdAt).put("modifiedAt", createdAt); // equal on create, as EKS has them
    e.putObject("tags");
    e.put("username", username).put("type", type);
    return e;
  }

  /** The entry's ARN in the cluster's region, or where a principal is malformed, its text. */
  private static String entryArn(Cluster c, String principal, String uuid) {
    String region = regionOf(c);
    return accessEntryResource(partitionOf(region), region, c.name, principal) + "/" + uuid;
  }

  private static String defaultUsername(
      String type, String partition, String account, String kind, String rest) {
    return switch (type) {
      case "EC2_LINUX", "EC2_WINDOWS", "EC2", "HYPERPOD_LINUX" ->
          "system:node:{{EC2PrivateDNSName}}";
      case "FARGATE_LINUX", "HYBRID_LINUX" -> "system:node:{{SessionName}}";
      default ->
          kind.equals("user")
              ? "arn:" + partition + ":iam::" + account + ":user/" + rest
              : "arn:"
                  + partition
                  + ":sts::"
                  + account
                  + ":assumed-role/"
                  + rest.substring(rest.lastIndexOf('/') + 1)
                  + "/{{SessionName}}";
    };
  }

  /**
   * An association: {@code associatedAt} equals {@code modifiedAt} when it is new; a re-association
   * (a scope change) keeps {@code associatedAt} and moves {@code modifiedAt}.
   */
  private static ObjectNode association(
      String policyArn, ObjectNode scope, @Nullable ObjectNode earlier) {
    ObjectNode a = JSON.createObjectNode().put("policyArn", policyArn);
    a.set("accessScope", scope);
    if (earlier == null) {
      double t = now();
      a.put("associatedAt", t).put("modifiedAt", t);
    } else {
      a.put("associatedAt", earlier.path("associatedAt").asDouble())
          .put("modifiedAt", after(earlier.path("modifiedAt").asDouble()));
    }
    return a;
  }

  private static String policyArn(String partition, String name) {
    return "arn:" + partition + ":eks::aws:cluster-access-policy/" + name;
  }

  private static double now() {
    return Instant.now().toEpochMilli() / 1000.0;
  }

  /** Now, or a millisecond after {@code earlier} if the clock has not moved past it. */
  private static double after(double earlier) {
    return Math.max(now(), (Math.round(earlier * 1000) + 1) / 1000.0);
  }

  private static ObjectNode body(Request request) throws JsonProcessingException {
    String text = request.getBodyAsString();
    if (text == null || text.isBlank()) {
      return JSON.createObjectNode();
    }
    JsonNode n = JSON.readTree(text);
    if (!(n instanceof ObjectNode o)) {
      throw new JsonProcessingException("expected an object") {
        private static final long serialVersionUID = 1L;
      };
    }
    return o;
  }

  private static @Nullable String query(Request request, String name) {
    QueryParameter p = request.queryParameter(name);
    return p != null && p.isPresent() ? p.firstValue() : null;
  }

  /**
   * TagResource and UntagResource on an access entry, by its ARN: EKS's limits of 50 tags, keys up
   * to 128 characters not starting with {@code aws:}, values up to 256.
   */
  private ResponseDefinition tags(Call call, Request request) {
    String arn = Objects.requireNonNull(call.principal());
    ObjectNode entry = null;
    for (Cluster c : clusters.values()) {
      for (ObjectNode e : c.entries.values()) {
        if (e.path("accessEntryArn").asText().equals(arn)) {
          entry = e;
        }
      }
    }
    if (entry == null) {
      return error(404, "NotFoundException", "Resource " + arn + " was not found.");
    }
    ObjectNode tags = (ObjectNode) entry.get("tags");
    if (call.operation().equals("UntagResource")) {
      QueryParameter keys = request.queryParameter("tagKeys");
      if (keys == null || !keys.isPresent()) {
        return error(400, "BadRequestException", "tagKeys is required.");
      }
      keys.values().forEach(tags::remove);
      return ok(JSON.createObjectNode());
    }
    ObjectNode body;
    try {
      body = body(request);
    } catch (JsonProcessingException e) {
      return error(400, "BadRequestException", "The request body is not valid JSON.");
    }
    JsonNode add = body.path("tags");
    if (!add.isObject() || add.isEmpty()) {
      return error(400, "BadRequestException", "tags must hold at least one tag.");
    }
    ObjectNode after = tags.deepCopy();
    add.properties().forEach(t -> after.put(t.getKey(), t.getValue().asText()));
    ResponseDefinition invalid = invalidTags(after, "BadRequestException");
    if (invalid != null) {
      return invalid;
    }
    entry.set("tags", after);
    return ok(JSON.createObjectNode());
  }

  /** EKS's tag limits: 50 tags, keys 1 to 128 characters not starting with aws:, values to 256. */
  private static @Nullable ResponseDefinition invalidTags(JsonNode tags, String errorType) {
    for (var t : tags.properties()) {
      String key = t.getKey();
      if (key.isEmpty()
          || key.length() > 128
          || key.toLowerCase(java.util.Locale.ROOT).startsWith("aws:")
          || !t.getValue().isTextual()
          || t.getValue().asText().length() > 256) {
        return error(
            400,
            errorType,
            "Tag "
                + key
                + " is invalid: keys are 1 to 128 characters and may not start with aws:, values"
                + " are text up to 256.");
      }
    }
    if (tags.size() > 50) {
      return error(400, errorType, "A resource may have at most 50 tags.");
    }
    return null;
  }

  private static ResponseDefinition malformedPrincipal() {
    return error(
        400, "InvalidParameterException", "The principalArn parameter format is not valid");
  }

  private static ResponseDefinition invalidPrincipal() {
    return error(
        400,
        "InvalidParameterException",
        "The specified principalArn is invalid: invalid principal.");
  }

  private static ResponseDefinition notFound() {
    return error(
        404,
        "ResourceNotFoundException",
        "The specified principalArn could not be found. You can view your available access entries"
            + " with 'list-access-entries'.");
  }

  private static ResponseDefinition standardOnly() {
    return error(
        400,
        "InvalidParameterException",
        "This operation can only be performed on Access Entries with a type of \"STANDARD\".");
  }

  private static ResponseDefinition ok(JsonNode body) {
    return ResponseDefinitionBuilder.responseDefinition()
        .withStatus(200)
        .withHeader("Content-Type", "application/json")
        .withHeader("x-amzn-RequestId", UUID.randomUUID().toString())
        .withBody(body.toString())
        .build();
  }

  private static ResponseDefinition error(int status, String type, String message) {
    return error(status, type, message, null);
  }

  /**
   * EKS's error shape: the type in a header, a JSON body with the message and, when EKS names it,
   * the cluster.
   */
  private static ResponseDefinition error(
      int status, String type, String message, @Nullable String clusterName) {
    ObjectNode body = JSON.createObjectNode();
    if (clusterName != null) {
      body.put("clusterName", clusterName);
    }
    body.put("message", message);
    return ResponseDefinitionBuilder.responseDefinition()
        .withStatus(status)
        .withHeader("Content-Type", "application/json")
        .withHeader("x-amzn-RequestId", UUID.randomUUID().toString())
        .withHeader(
            "x-amzn-ErrorType", type + ":http://internal.amazon.com/coral/com.amazonaws.eks/")
        .withBody(body.toString())
        .build();
  }
}
