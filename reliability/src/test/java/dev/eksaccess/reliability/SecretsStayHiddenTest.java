package dev.eksaccess.reliability;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.eksaccess.accessentries.AccessEntries;
import dev.eksaccess.accessentries.AccessEntriesBackend;
import dev.eksaccess.accessentries.EksToken;
import dev.eksaccess.api.ClusterAccess;
import dev.eksaccess.api.ClusterRole;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.RetryPolicy;
import dev.eksaccess.api.spi.IdentityChange;
import dev.eksaccess.api.spi.IdentityChanges;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.awsauth.AwsAuth;
import dev.eksaccess.awsauth.AwsAuthBackend;
import dev.eksaccess.kubernetes.KubeClients;
import dev.eksaccess.rbac.Rbac;
import dev.eksaccess.testkit.EksFault;
import dev.eksaccess.testkit.FakeEksApi;
import dev.eksaccess.testkit.FakeKubeApi;
import dev.eksaccess.testkit.KubeFault;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.credentials.AccessTokenAuthentication;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;

/**
 * No credential, token or presigned URL ever reaches an exception (message, cause chain or stack
 * trace), a {@code toString()}, or the console, whatever fails; and TLS is verified.
 */
class SecretsStayHiddenTest {
  static final String BEARER = "k8s-aws-v1.c2VjcmV0LWJlYXJlci10b2tlbi1ETy1OT1QtTE9H";
  static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY";
  static final String SESSION_TOKEN = "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN//////////";
  static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(
          AwsSessionCredentials.create("ASIAEXAMPLEKEYID0000", SECRET_KEY, SESSION_TOKEN));
  static final IamRole DEV = IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole");
  static final IdentityChanges PUT_DEV =
      IdentityChanges.of(
          List.of(
              new IdentityChange.Put(
                  IdentityMapping.of(DEV).withUsername("dev").withGroups(List.of("acme:devs")))));

  final ByteArrayOutputStream console = new ByteArrayOutputStream();
  PrintStream out;
  PrintStream err;

  @BeforeEach
  void captureConsole() {
    out = System.out;
    err = System.err;
    PrintStream both = new PrintStream(console, true, StandardCharsets.UTF_8);
    System.setOut(both);
    System.setErr(both);
    CapturedLogs.clear();
  }

  @AfterEach
  void restoreConsole() {
    System.setOut(out);
    System.setErr(err);
  }

  /** Everything a user could see of a failure: messages, causes, suppressed, the stack trace. */
  static String everything(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }

  void assertHidden(List<String> seen, String... secrets) {
    seen.add(console.toString(StandardCharsets.UTF_8));
    seen.addAll(CapturedLogs.lines());
    for (String s : seen) {
      for (String secret : secrets) {
        assertThat(s).doesNotContain(secret);
      }
      assertThat(s).doesNotContain("X-Amz-Signature").doesNotContain("X-Amz-Security-Token");
    }
  }

  @Test
  void kubernetesFailuresNeverShowTheBearerToken() {
    try (FakeKubeApi api = FakeKubeApi.start()) {
      api.putConfigMap("kube-system", "aws-auth", Map.of("mapRoles", "[]\n"));
      AwsAuthBackend ids =
          AwsAuth.builder(
                  new ClientBuilder()
                      .setBasePath(api.baseUrl())
                      .setAuthentication(new AccessTokenAuthentication(BEARER))
                      .build())
              .retryPolicy(RetryPolicy.none())
              .build();
      List<String> seen = new ArrayList<>();
      seen.add(ids.toString());
      for (KubeFault fault :
          List.of(
              KubeFault.status(401),
              KubeFault.status(403),
              KubeFault.status(500),
              KubeFault.conflict(),
              KubeFault.afterCommit(503),
              KubeFault.droppedAfterCommit())) {
        api.inject("PUT", fault);
        Throwable t = catchThrowable(() -> ids.update(PUT_DEV));
        if (t != null) {
          seen.add(everything(t));
        }
      }
      api.inject("GET", KubeFault.status(401));
      Throwable read = catchThrowable(ids::read);
      assertThat(read).isNotNull();
      seen.add(everything(read));
      // the same failures through ClusterAccess, which logs its writes, retries and failures
      ApiClient client =
          new ClientBuilder()
              .setBasePath(api.baseUrl())
              .setAuthentication(new AccessTokenAuthentication(BEARER))
              .build();
      api.addNamespace("apps");
      api.putObject(
          "clusterroles",
          "",
          "{\"metadata\":{\"name\":\"view\"},\"rules\":[{\"apiGroups\":[\"\"],"
              + "\"resources\":[\"pods\"],\"verbs\":[\"get\"]}]}");
      ClusterAccess prod =
          ClusterAccess.builder()
              .clusterName("prod")
              .identities(AwsAuth.backend(client))
              .rbac(Rbac.backend(client))
              .retryPolicy(RetryPolicy.of(2, Duration.ZERO, Duration.ZERO))
              .build();
      int i = 0;
      for (KubeFault fault :
          List.of(KubeFault.status(401), KubeFault.status(500), KubeFault.conflict())) {
        api.inject("PUT", fault).inject("PUT", fault);
        IamRole role = IamRole.of("arn:aws:iam::111122223333:role/Logged" + i++);
        Throwable t =
            catchThrowable(
                () ->
                    prod.plan(
                            ClusterAccess.grant(role)
                                .asGroup("acme:logged")
                                .bind(ClusterRole.VIEW)
                                .inNamespace("apps"))
                        .apply());
        if (t != null) {
          seen.add(everything(t));
        }
      }
      assertThat(CapturedLogs.lines())
          .as("the writes, retries and failures were logged")
          .anyMatch(l -> l.startsWith("INFO") && l.contains("created RoleBinding apps/"))
          .anyMatch(l -> l.startsWith("WARN") && l.contains("retrying"));
      assertThat(seen).hasSizeGreaterThan(4);
      assertHidden(seen, BEARER, BEARER.substring("k8s-aws-v1.".length()));
    }
  }

  @Test
  void eksFailuresNeverShowTheCredentials() {
    try (FakeEksApi api = FakeEksApi.start().addCluster("prod", "API_AND_CONFIG_MAP");
        EksClient eks =
            EksClient.builder()
                .endpointOverride(URI.create(api.baseUrl()))
                .region(Region.US_WEST_2)
                .credentialsProvider(CREDENTIALS)
                .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1)))
                .build()) {
      AccessEntriesBackend ids = AccessEntries.backend(eks, "prod");
      List<String> seen = new ArrayList<>();
      seen.add(ids.toString());
      for (EksFault fault :
          List.of(
              EksFault.expiredCredentials(),
              EksFault.serverError(),
              EksFault.throttling(),
              EksFault.droppedAfterCommit())) {
        api.inject("CreateAccessEntry", fault);
        Throwable t = catchThrowable(() -> ids.write(PUT_DEV, ids.read().version()));
        assertThat(t).as(fault.kind().toString()).isNotNull();
        seen.add(everything(t));
        api.removeEntry("prod", DEV.arn().value());
      }
      seen.add(
          everything(
              Objects.requireNonNull(
                  catchThrowable(() -> AccessEntries.backend(eks, "missing").read()))));
      assertHidden(seen, SECRET_KEY, SESSION_TOKEN);
    }
  }

  @Test
  void anEksTokenIsAPresignedUrlThatItsToStringNeverShows() {
    EksToken token = EksToken.of(CREDENTIALS, Region.US_WEST_2, "prod");
    String value = token.get();

    assertThat(value).startsWith("k8s-aws-v1.");
    String url =
        new String(
            java.util.Base64.getUrlDecoder().decode(value.substring("k8s-aws-v1.".length())),
            StandardCharsets.UTF_8);
    assertThat(url).contains("X-Amz-Signature").contains("x-k8s-aws-id");
    assertThat(token.toString()).contains("token hidden").doesNotContain(value);
    assertHidden(new ArrayList<>(List.of(token.toString())), value, SECRET_KEY, SESSION_TOKEN);
  }

  @Test
  void tlsIsVerifiedAndCannotBeSkipped() throws Exception {
    Supplier<String> token = () -> BEARER;
    Throwable http =
        catchThrowable(() -> KubeClients.forEndpoint("http://127.0.0.1:1", new byte[0], token));
    assertThat(http)
        .isInstanceOf(dev.eksaccess.api.InvalidInputException.class)
        .hasMessageContaining("is not an https URL");

    WireMockServer https =
        new WireMockServer(
            options().bindAddress("127.0.0.1").httpDisabled(true).dynamicHttpsPort());
    https.start();
    try (InputStream pem =
        Objects.requireNonNull(getClass().getResourceAsStream("unrelated-ca.pem"))) {
      // a server whose certificate the given CA did not sign is refused before any request
      AwsAuthBackend ids =
          AwsAuth.builder(
                  KubeClients.forEndpoint(
                      "https://127.0.0.1:" + https.httpsPort(), pem.readAllBytes(), token))
              .retryPolicy(RetryPolicy.none())
              .build();
      Throwable refused = catchThrowable(ids::read);

      assertThat(refused).isNotNull();
      assertThat(everything(refused)).containsIgnoringCase("SSL");
      assertThat(https.getAllServeEvents()).isEmpty();
      assertHidden(new ArrayList<>(List.of(everything(refused))), BEARER);
    } finally {
      https.stop();
    }
  }
}
