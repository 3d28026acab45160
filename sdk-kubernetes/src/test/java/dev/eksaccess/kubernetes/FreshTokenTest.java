package dev.eksaccess.kubernetes;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.eksaccess.accessentries.EksToken;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.credentials.RefreshAuthentication;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * No client sends an EKS token older than 14½ minutes (EKS refuses them after 15), however many
 * clients share one token source, on a clock the test moves: nothing sleeps.
 */
class FreshTokenTest {
  static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
  static final Duration LIMIT = Duration.ofMinutes(14).plusSeconds(30);
  static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /** A clock the test moves. */
  static final class MovingClock extends Clock {
    volatile Instant now = START;

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

  final MovingClock clock = new MovingClock();
  final EksToken tokens =
      EksToken.of(
          StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")),
          Region.EU_WEST_1,
          "prod",
          clock);
  WireMockServer echo;

  @BeforeEach
  void startEcho() {
    echo =
        new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
    echo.start();
    echo.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
  }

  @AfterEach
  void stopEcho() {
    echo.stop();
  }

  /** Sends one request through the client and returns when the token it carried was signed. */
  Instant send(ApiClient client) throws Exception {
    int before = echo.getAllServeEvents().size();
    try (Response r =
        client
            .getHttpClient()
            .newCall(new Request.Builder().url("http://127.0.0.1:" + echo.port() + "/").build())
            .execute()) {
      assertThat(r.code()).isEqualTo(200);
    }
    // WireMock lists the newest serve event first
    assertThat(echo.getAllServeEvents()).hasSize(before + 1);
    String auth = echo.getAllServeEvents().get(0).getRequest().getHeader("Authorization");
    assertThat(auth).startsWith("Bearer k8s-aws-v1.");
    URI url =
        URI.create(
            new String(
                Base64.getUrlDecoder().decode(auth.substring("Bearer k8s-aws-v1.".length())),
                StandardCharsets.UTF_8));
    for (String pair : url.getRawQuery().split("&", -1)) {
      if (pair.startsWith("X-Amz-Date=")) {
        return Instant.from(
            AMZ_DATE.parse(URLDecoder.decode(pair.substring(11), StandardCharsets.UTF_8)));
      }
    }
    throw new AssertionError("no X-Amz-Date in the token's URL");
  }

  /** Two hours of requests every 20 seconds, each from the next client in turn. */
  Duration oldestTokenSent(List<ApiClient> clients) throws Exception {
    Duration oldest = Duration.ZERO;
    for (int i = 0; i * 20 <= 7200; i++) {
      clock.now = START.plusSeconds(i * 20L);
      Instant signed = send(clients.get(i % clients.size()));
      Duration age = Duration.between(signed, clock.now);
      assertThat(age).as("token age at +%ds", i * 20).isLessThanOrEqualTo(LIMIT);
      oldest = age.compareTo(oldest) > 0 ? age : oldest;
    }
    return oldest;
  }

  @Test
  void clientsSharingOneSourceAskItForEveryRequestAndSendOnlyFreshTokens(@TempDir Path dir)
      throws Exception {
    byte[] ca = EksClustersTest.caPem(dir);
    List<ApiClient> clients =
        List.of(
            KubeClients.forEndpoint("https://prod.example", ca, tokens),
            KubeClients.forEndpoint("https://prod.example", ca, tokens),
            KubeClients.forEndpoint("https://prod.example", ca, tokens));

    assertThat(oldestTokenSent(clients)).isLessThan(EksToken.REUSE_FOR);
  }

  /**
   * A client that keeps a token for 10 minutes, as the Kubernetes client's own {@code
   * RefreshAuthentication} does with {@code AwsAuth.TOKEN_REFRESH}, still sends it before it is 14
   * minutes old, because the source never hands out one older than 4.
   */
  @Test
  void evenClientsThatKeepATokenForTenMinutesSendItBeforeFourteen() throws Exception {
    List<ApiClient> clients =
        List.of(
            new ClientBuilder()
                .setBasePath("http://127.0.0.1:1")
                .setAuthentication(new RefreshAuthentication(tokens, Duration.ofMinutes(10), clock))
                .build(),
            new ClientBuilder()
                .setBasePath("http://127.0.0.1:1")
                .setAuthentication(new RefreshAuthentication(tokens, Duration.ofMinutes(10), clock))
                .build());

    assertThat(oldestTokenSent(clients)).isLessThanOrEqualTo(Duration.ofMinutes(14));
  }
}
