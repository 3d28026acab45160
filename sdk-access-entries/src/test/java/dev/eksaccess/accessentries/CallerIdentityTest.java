package dev.eksaccess.accessentries;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.eksaccess.api.BackendException;
import dev.eksaccess.api.IamRole;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/** STS over its query protocol, answered as STS answers (XML), through the real StsClient. */
class CallerIdentityTest {
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
  void anAssumedRoleSessionIsItsRoleWithoutPath() {
    sts.stubFor(
        post(urlEqualTo("/"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "text/xml")
                    .withBody(
                        """
                        <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                          <GetCallerIdentityResult>
                            <Arn>arn:aws:sts::111122223333:assumed-role/DevTeamRole/jane</Arn>
                            <UserId>AROAEXAMPLE:jane</UserId>
                            <Account>111122223333</Account>
                          </GetCallerIdentityResult>
                          <ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>
                        </GetCallerIdentityResponse>
                        """)));

    CallerIdentity me = CallerIdentity.whoAmI(client());

    assertThat(me.account()).isEqualTo("111122223333");
    assertThat(me.userId()).isEqualTo("AROAEXAMPLE:jane");
    assertThat(me.caller().principal())
        .contains(IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole"));
  }

  @Test
  void expiredCredentialsAreABackendExceptionWithStsOwnWords() {
    sts.stubFor(
        post(urlEqualTo("/"))
            .willReturn(
                aResponse()
                    .withStatus(403)
                    .withHeader("Content-Type", "text/xml")
                    .withBody(
                        """
                        <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                          <Error><Type>Sender</Type><Code>ExpiredToken</Code>
                          <Message>The security token included in the request is expired</Message>
                          </Error><RequestId>r-2</RequestId>
                        </ErrorResponse>
                        """)));

    var e = catchThrowableOfType(BackendException.class, () -> CallerIdentity.whoAmI(client()));

    assertThat(e.statusCode()).isEqualTo(403);
    assertThat(e.getMessage())
        .contains("STS GetCallerIdentity failed: ExpiredToken (HTTP 403)")
        .contains("refresh them")
        .doesNotContain("secret");
  }
}
