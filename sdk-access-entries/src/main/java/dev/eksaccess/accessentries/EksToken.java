package dev.eksaccess.accessentries;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner.AuthLocation;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.regions.Region;

/**
 * A bearer token for an EKS cluster's Kubernetes API, made as {@code aws eks get-token} makes it,
 * without the aws CLI: {@code k8s-aws-v1.} and the unpadded base64url of a presigned STS
 * GetCallerIdentity URL whose signature covers the {@code x-k8s-aws-id: <cluster>} header. EKS
 * accepts a token for {@link #VALIDITY} (15 minutes) after it was signed. This source hands out the
 * same token for at most {@link #REUSE_FOR} (4 minutes) and then signs a new one, so a client that
 * asks it for every request (as {@code KubeClients.forEndpoint} does) never sends a token older
 * than 4 minutes, and even a client that keeps a token for 10 minutes (the Kubernetes client's
 * {@code RefreshAuthentication} with {@code AwsAuth.TOKEN_REFRESH}) never sends one older than 14,
 * however many clients share this source.
 *
 * <pre>{@code
 * EksToken tokens = EksToken.of(DefaultCredentialsProvider.create(), Region.US_WEST_2, "prod");
 * ApiClient k8s = KubeClients.forEndpoint(endpoint, caPem, tokens);   // asks for a token per request
 * EksToken.Token t = tokens.token();     // or the token with its expiry, to cache it yourself
 * if (t.expiresAt().isAfter(Instant.now().plusSeconds(30))) { send(t.value()); }
 * }</pre>
 *
 * <p>Thread-safe. The token is a credential: it is never logged, and neither {@link #toString()}
 * nor {@link Token#toString()} shows it.
 */
public final class EksToken implements Supplier<String> {
  /** How long the presigned URL is valid; EKS adds its own 15-minute limit on top. */
  static final Duration PRESIGN_EXPIRY = Duration.ofSeconds(60);

  /**
   * How long EKS accepts a token after it was signed (aws-iam-authenticator refuses a presigned URL
   * whose {@code X-Amz-Date} is more than 15 minutes old).
   */
  public static final Duration VALIDITY = Duration.ofMinutes(15);

  /**
   * How long one token is handed out before a new one is signed. Short enough that a client which
   * keeps a token for 10 minutes still sends it before it is 14 minutes old (a minute of margin for
   * clock skew and slow requests); signing is local and cheap (no call to AWS).
   */
  public static final Duration REUSE_FOR = Duration.ofMinutes(4);

  private final AwsCredentialsProvider credentials;
  private final Region region;
  private final String cluster;
  private final Clock clock;
  private @Nullable Token current;

  private EksToken(AwsCredentialsProvider credentials, Region region, String cluster, Clock clock) {
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.region = Objects.requireNonNull(region, "region");
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Tokens for one cluster.
   *
   * @param credentials the AWS credentials of the caller
   * @param region the cluster's region (the STS endpoint is in it)
   * @param cluster the cluster's name
   * @return the token source
   */
  public static EksToken of(AwsCredentialsProvider credentials, Region region, String cluster) {
    return new EksToken(credentials, region, cluster, Clock.systemUTC());
  }

  /**
   * Tokens for one cluster, on a given clock (for tests).
   *
   * @param credentials the AWS credentials of the caller
   * @param region the cluster's region
   * @param cluster the cluster's name
   * @param clock the clock
   * @return the token source
   */
  public static EksToken of(
      AwsCredentialsProvider credentials, Region region, String cluster, Clock clock) {
    return new EksToken(credentials, region, cluster, clock);
  }

  /**
   * A token that is valid now: the last one while it is younger than {@link #REUSE_FOR}, else a new
   * one.
   *
   * <pre>{@code
   * request.header("Authorization", "Bearer " + tokens.get());
   * }</pre>
   *
   * @return the bearer token
   */
  @Override
  public String get() {
    return token().value();
  }

  /**
   * The token {@link #get()} returns, with when it was signed and when EKS stops accepting it, for
   * callers that keep a token themselves: use it only before {@link Token#expiresAt()} (with a
   * margin for clock skew), and ask again after that.
   *
   * <pre>{@code
   * EksToken.Token t = tokens.token();
   * Duration left = Duration.between(Instant.now(), t.expiresAt());   // at least 11 minutes
   * }</pre>
   *
   * @return the token and its lifetime
   */
  public synchronized Token token() {
    Instant now = clock.instant();
    Token t = current;
    // a token signed "in the future" (the clock went back) is renewed too
    if (t == null || !now.isBefore(t.issuedAt().plus(REUSE_FOR)) || now.isBefore(t.issuedAt())) {
      t = new Token(make(now), now);
      current = t;
    }
    return t;
  }

  /**
   * One bearer token and its lifetime: signed at {@link #issuedAt()}, accepted by EKS until {@link
   * #expiresAt()}. Its {@link #toString()} never shows the token.
   */
  public static final class Token {
    private final String value;
    private final Instant issuedAt;

    private Token(String value, Instant issuedAt) {
      this.value = value;
      this.issuedAt = issuedAt;
    }

    /**
     * The bearer token, {@code k8s-aws-v1.…}: a credential, never log it.
     *
     * @return the token
     */
    public String value() {
      return value;
    }

    /**
     * When it was signed (its {@code X-Amz-Date}), by this process's clock.
     *
     * @return the signing time
     */
    public Instant issuedAt() {
      return issuedAt;
    }

    /**
     * When EKS stops accepting it: {@link #issuedAt()} plus {@link EksToken#VALIDITY}.
     *
     * @return the expiry
     */
    public Instant expiresAt() {
      return issuedAt.plus(VALIDITY);
    }

    @Override
    public String toString() {
      return "EksToken.Token[issued " + issuedAt + ", expires " + expiresAt() + ", token hidden]";
    }
  }

  private String make(Instant now) {
    String host = "sts." + region.id() + "." + dnsSuffix(region);
    SdkHttpRequest request =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.GET)
            .uri(URI.create("https://" + host + "/"))
            .putRawQueryParameter("Action", "GetCallerIdentity")
            .putRawQueryParameter("Version", "2011-06-15")
            .putHeader("x-k8s-aws-id", cluster)
            .build();
    SignedRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(credentials.resolveCredentials())
                        .request(request)
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sts")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region.id())
                        .putProperty(AwsV4HttpSigner.AUTH_LOCATION, AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, PRESIGN_EXPIRY)
                        .putProperty(
                            HttpSigner.SIGNING_CLOCK, Clock.fixed(now, java.time.ZoneOffset.UTC)));
    String url = signed.request().getUri().toString();
    return "k8s-aws-v1."
        + Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(url.getBytes(StandardCharsets.UTF_8));
  }

  private static String dnsSuffix(Region region) {
    if (region.metadata() != null) {
      return region.metadata().partition().dnsSuffix();
    }
    return region.id().startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
  }

  @Override
  public String toString() {
    return "EksToken[cluster " + cluster + ", " + region.id() + ", token hidden]";
  }
}
