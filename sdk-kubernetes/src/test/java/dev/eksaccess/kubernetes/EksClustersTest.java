package dev.eksaccess.kubernetes;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.eksaccess.testkit.FakeEksApi;
import io.kubernetes.client.openapi.ApiClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;

class EksClustersTest {
  /** A real CA certificate, made with the JDK's keytool, as the client parses it. */
  static byte[] caPem(Path dir) throws Exception {
    Path store = dir.resolve("ca.p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    run(
        List.of(
            keytool,
            "-genkeypair",
            "-alias",
            "ca",
            "-keyalg",
            "EC",
            "-dname",
            "CN=kubernetes",
            "-validity",
            "2",
            "-keystore",
            store.toString(),
            "-storepass",
            "changeit",
            "-storetype",
            "PKCS12"));
    Path pem = dir.resolve("ca.pem");
    run(
        List.of(
            keytool,
            "-exportcert",
            "-rfc",
            "-alias",
            "ca",
            "-keystore",
            store.toString(),
            "-storepass",
            "changeit",
            "-file",
            pem.toString()));
    return Files.readAllBytes(pem);
  }

  static void run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
  }

  @Test
  void aClientForAClusterComesFromDescribeClusterAndSendsAnEksToken(@TempDir Path dir)
      throws Exception {
    byte[] ca = caPem(dir);
    WireMockServer echo =
        new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
    echo.start();
    echo.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
    try (FakeEksApi api = FakeEksApi.start();
        EksClient eks =
            EksClient.builder()
                .endpointOverride(URI.create(api.baseUrl()))
                .region(Region.EU_WEST_1)
                .credentialsProvider(
                    StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .build()) {
      api.addCluster("prod", "API").clusterEndpoint("prod", "https://prod.example", ca);

      ApiClient k8s =
          EksClusters.forCluster(
              eks,
              "prod",
              StaticCredentialsProvider.create(
                  AwsBasicCredentials.create("AKIDEXAMPLE", "secret")));

      assertThat(k8s.getBasePath()).isEqualTo("https://prod.example");
      assertThat(k8s.isVerifyingSsl()).isTrue();
      // the client's interceptor puts the token on every request it sends
      try (Response r =
          k8s.getHttpClient()
              .newCall(new Request.Builder().url("http://127.0.0.1:" + echo.port() + "/").build())
              .execute()) {
        assertThat(r.code()).isEqualTo(200);
      }
      String auth = echo.getAllServeEvents().get(0).getRequest().getHeader("Authorization");
      assertThat(auth).startsWith("Bearer k8s-aws-v1.");
      assertThat(
              new String(
                  java.util.Base64.getUrlDecoder()
                      .decode(auth.substring("Bearer k8s-aws-v1.".length())),
                  StandardCharsets.UTF_8))
          .startsWith("https://sts.eu-west-1.amazonaws.com/?")
          .contains("x-k8s-aws-id");
    } finally {
      echo.stop();
    }
  }

  @Test
  void onlyHttpsEndpointsAreAccepted() {
    var e =
        catchThrowableOfType(
            dev.eksaccess.api.InvalidInputException.class,
            () -> KubeClients.forEndpoint("http://prod.example", new byte[0], () -> "t"));
    assertThat(e.getMessage()).contains("is not an https URL");
  }
}
