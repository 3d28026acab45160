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
 * accepts a token for 15 minutes; this one is renewed after 14, so {@link #get()} always returns
 * one that works.
 *
 * <pre>{@code
 * EksToken token = EksToken.of(DefaultCredentialsProvider.create(), Region.US_WEST_2, "prod");
 * ApiClient k8s = AwsAuth.apiClient(endpoint, caPem, token);   // asks for a token per request
 * }</pre>
 *
 * <p>Thread-safe. The token is a credential: it is never logged, and {@link #toString()} does not
 * show it.
 */
public final class EksToken implements Supplier<String> {
  /** How long the presigned URL is valid; EKS adds its own 15-minute limit on top. */
  static final Duration PRESIGN_EXPIRY = Duration.ofSeconds(60);

  private static final Duration RENEW_AFTER = Duration.ofMinutes(14);

  private final AwsCredentialsProvider credentials;
  private final Region region;
  private final String cluster;
  private final Clock clock;
  private @Nullable String token;
  private @Nullable Instant madeAt;

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
   * A token that is valid now: the last one, or a new one once the last is 14 minutes old.
   *
   * @return the bearer token
   */
  @Override
  public synchronized String get() {
    Instant now = clock.instant();
    if (token == null || madeAt == null || !now.isBefore(madeAt.plus(RENEW_AFTER))) {
      token = make(now);
      madeAt = now;
    }
    return token;
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
