package dev.eksaccess.accessentries;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.InvalidInputException;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/** AssumeRole through the real StsClient, answered as STS answers (XML) by WireMock. */
class AssumeRoleTest {
  static final IamRole ROLE = IamRole.of("arn:aws:iam::444455556666:role/ops/EksAccessAdmin");

  final WireMockServer sts =
      new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());

  {
    sts.start();
  }

  @AfterEach
  void stop() {
    sts.stop();
  }

  StsClient client() {
    return StsClient.builder()
        .endpointOverride(URI.create("http://127.0.0.1:" + sts.port()))
        .region(Region.US_WEST_2)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
        .build();
  }

  @Test
  void theRoleIsAssumedWithItsPathAndSessionNameAndItsSessionCredentialsAreUsed() {
    String expires =
        Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
    sts.stubFor(
        post(urlEqualTo("/"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "text/xml")
                    .withBody(
                        """
                        <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                          <AssumeRoleResult>
                            <Credentials>
                              <AccessKeyId>ASIAEXAMPLEASSUMED</AccessKeyId>
                              <SecretAccessKey>assumed-secret</SecretAccessKey>
                              <SessionToken>assumed-token</SessionToken>
                              <Expiration>%s</Expiration>
                            </Credentials>
                            <AssumedRoleUser>
                              <Arn>arn:aws:sts::444455556666:assumed-role/EksAccessAdmin/eks-access-rollout</Arn>
                              <AssumedRoleId>AROAEXAMPLE:eks-access-rollout</AssumedRoleId>
                            </AssumedRoleUser>
                          </AssumeRoleResult>
                          <ResponseMetadata><RequestId>r-2</RequestId></ResponseMetadata>
                        </AssumeRoleResponse>
                        """
                            .formatted(expires))));

    try (StsClient client = client();
        StsAssumeRoleCredentialsProvider provider =
            AssumeRole.credentials(client, ROLE, "eks-access-rollout")) {
      AwsCredentials credentials = provider.resolveCredentials();

      assertThat(credentials.accessKeyId()).isEqualTo("ASIAEXAMPLEASSUMED");
      assertThat(credentials).isInstanceOf(AwsSessionCredentials.class);
      assertThat(((AwsSessionCredentials) credentials).sessionToken()).isEqualTo("assumed-token");
      assertThat(provider.resolveCredentials().accessKeyId())
          .as("cached until it nears expiry")
          .isEqualTo("ASIAEXAMPLEASSUMED");
    }
    sts.verify(
        1,
        postRequestedFor(urlEqualTo("/"))
            .withRequestBody(containing("Action=AssumeRole"))
            .withRequestBody(
                containing(
                    "RoleArn=arn%3Aaws%3Aiam%3A%3A444455556666%3Arole%2Fops%2FEksAccessAdmin"))
            .withRequestBody(containing("RoleSessionName=eks-access-rollout")));
  }

  @Test
  void aSessionNameStsWouldRefuseIsRefusedBeforeAnyCall() {
    try (StsClient client = client()) {
      var e =
          catchThrowableOfType(
              InvalidInputException.class, () -> AssumeRole.credentials(client, ROLE, "jane doe"));

      assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
      assertThat(e.getMessage())
          .contains("jane doe")
          .contains("2 to 64")
          .contains("eks-access-rollout");
    }
    assertThat(sts.getAllServeEvents()).isEmpty();
  }
}
