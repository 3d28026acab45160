package dev.eksaccess.accessentries;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/** The token against the rules aws-iam-authenticator's verifier applies. */
class EksTokenTest {
  static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(
          AwsSessionCredentials.create("ASIAEXAMPLE", "secret-key", "session-token"));

  /** A clock the test moves. */
  static final class MovingClock extends Clock {
    Instant now = NOW;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  static Map<String, String> query(URI uri) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : uri.getRawQuery().split("&", -1)) {
      int eq = pair.indexOf('=');
      out.put(
          URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }

  static URI decode(String token) {
    assertThat(token).startsWith("k8s-aws-v1.").doesNotContain("=");
    return URI.create(
        new String(
            Base64.getUrlDecoder().decode(token.substring("k8s-aws-v1.".length())),
            StandardCharsets.UTF_8));
  }

  @Test
  void theTokenIsAPresignedGetCallerIdentityThatSignsTheClusterHeader() {
    EksToken tokens =
        EksToken.of(CREDENTIALS, Region.US_WEST_2, "prod", Clock.fixed(NOW, ZoneOffset.UTC));

    URI url = decode(tokens.get());

    assertThat(url.getScheme()).isEqualTo("https");
    assertThat(url.getHost()).isEqualTo("sts.us-west-2.amazonaws.com");
    assertThat(url.getPath()).isEqualTo("/");
    Map<String, String> q = query(url);
    assertThat(q.keySet())
        .isSubsetOf(
            Set.of(
                "Action",
                "Version",
                "X-Amz-Algorithm",
                "X-Amz-Credential",
                "X-Amz-Date",
                "X-Amz-Expires",
                "X-Amz-Security-Token",
                "X-Amz-Signature",
                "X-Amz-SignedHeaders"));
    assertThat(q)
        .containsEntry("Action", "GetCallerIdentity")
        .containsEntry("Version", "2011-06-15")
        .containsEntry("X-Amz-Algorithm", "AWS4-HMAC-SHA256")
        .containsEntry("X-Amz-Date", "20261123T100000Z")
        .containsEntry("X-Amz-Security-Token", "session-token")
        .containsEntry("X-Amz-Credential", "ASIAEXAMPLE/20261123/us-west-2/sts/aws4_request");
    assertThat(q.getOrDefault("X-Amz-SignedHeaders", "").split(";", -1))
        .contains("host", "x-k8s-aws-id");
    assertThat(Integer.parseInt(q.getOrDefault("X-Amz-Expires", "-1"))).isBetween(0, 900);
    assertThat(q.get("X-Amz-Signature")).matches("[0-9a-f]{64}");
    assertThat(tokens.toString()).doesNotContain("k8s-aws-v1").doesNotContain("secret");
  }

  @Test
  void theSignatureDependsOnTheClusterAndIsStableForOneInstant() {
    Clock fixed = Clock.fixed(NOW, ZoneOffset.UTC);
    String prod = EksToken.of(CREDENTIALS, Region.US_WEST_2, "prod", fixed).get();

    assertThat(EksToken.of(CREDENTIALS, Region.US_WEST_2, "prod", fixed).get()).isEqualTo(prod);
    assertThat(EksToken.of(CREDENTIALS, Region.US_WEST_2, "staging", fixed).get())
        .isNotEqualTo(prod);
  }

  @Test
  void aTokenIsReusedForFourMinutesThenRenewed() {
    MovingClock clock = new MovingClock();
    EksToken tokens = EksToken.of(CREDENTIALS, Region.EU_WEST_1, "prod", clock);
    String first = tokens.get();

    clock.now = NOW.plus(Duration.ofMinutes(3).plusSeconds(59));
    assertThat(tokens.get()).isSameAs(first);

    clock.now = NOW.plus(Duration.ofMinutes(4));
    String second = tokens.get();
    assertThat(second).isNotEqualTo(first);
    assertThat(query(decode(second))).containsEntry("X-Amz-Date", "20261123T100400Z");
  }

  @Test
  void aTokenSaysWhenItWasSignedAndWhenEksStopsAcceptingIt() {
    MovingClock clock = new MovingClock();
    EksToken tokens = EksToken.of(CREDENTIALS, Region.EU_WEST_1, "prod", clock);

    EksToken.Token t = tokens.token();

    assertThat(t.issuedAt()).isEqualTo(NOW);
    assertThat(t.expiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(15)));
    assertThat(query(decode(t.value()))).containsEntry("X-Amz-Date", "20261123T100000Z");
    assertThat(tokens.get()).isEqualTo(t.value());
    assertThat(t.toString())
        .contains("expires 2026-11-23T10:15:00Z")
        .doesNotContain("k8s-aws-v1")
        .doesNotContain(t.value().substring(11, 30));
  }

  /**
   * However often and by however many callers it is asked, over an hour, the source never hands out
   * a token older than {@link EksToken#REUSE_FOR}, so a client that keeps one for the Kubernetes
   * client's usual 10 minutes still sends it well before EKS's 15 (at most 14).
   */
  @Test
  void noTokenHandedOutIsOlderThanTheReuseAgeAndEachHasItsExpiry() {
    MovingClock clock = new MovingClock();
    EksToken tokens = EksToken.of(CREDENTIALS, Region.EU_WEST_1, "prod", clock);

    for (int second = 0; second <= 3600; second += 7) {
      clock.now = NOW.plusSeconds(second);
      EksToken.Token t = tokens.token();
      Duration age = Duration.between(t.issuedAt(), clock.now);
      assertThat(age).as("at +%ds", second).isLessThan(EksToken.REUSE_FOR);
      assertThat(age.plus(Duration.ofMinutes(10))).isLessThanOrEqualTo(Duration.ofMinutes(14));
      assertThat(Duration.between(clock.now, t.expiresAt())).isGreaterThan(Duration.ofMinutes(11));
    }
  }

  @Test
  void aClockThatWentBackGetsANewTokenNotOneSignedInItsFuture() {
    MovingClock clock = new MovingClock();
    EksToken tokens = EksToken.of(CREDENTIALS, Region.EU_WEST_1, "prod", clock);
    EksToken.Token first = tokens.token();

    clock.now = NOW.minusSeconds(90);

    assertThat(tokens.token().issuedAt()).isEqualTo(NOW.minusSeconds(90));
    assertThat(tokens.token().value()).isNotEqualTo(first.value());
  }

  @Test
  void eachPartitionHasItsOwnStsHost() {
    Clock fixed = Clock.fixed(NOW, ZoneOffset.UTC);

    assertThat(decode(EksToken.of(CREDENTIALS, Region.CN_NORTH_1, "c", fixed).get()).getHost())
        .isEqualTo("sts.cn-north-1.amazonaws.com.cn");
    assertThat(decode(EksToken.of(CREDENTIALS, Region.US_GOV_WEST_1, "c", fixed).get()).getHost())
        .isEqualTo("sts.us-gov-west-1.amazonaws.com");
  }
}
