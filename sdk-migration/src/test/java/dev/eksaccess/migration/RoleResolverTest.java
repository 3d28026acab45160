package dev.eksaccess.migration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.Principal;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

/** IAM over its query protocol, answered as IAM answers (XML), through the real IamClient. */
class RoleResolverTest {
  final WireMockServer iam =
      new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());

  {
    iam.start();
    iam.stubFor(
        post(urlEqualTo("/"))
            .withRequestBody(containing("RoleName=DevTeamRole"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "text/xml")
                    .withBody(
                        """
                        <GetRoleResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
                          <GetRoleResult><Role>
                            <Path>/teams/</Path><RoleName>DevTeamRole</RoleName>
                            <RoleId>AROAEXAMPLE</RoleId>
                            <Arn>arn:aws:iam::111122223333:role/teams/DevTeamRole</Arn>
                            <CreateDate>2020-01-01T00:00:00Z</CreateDate>
                          </Role></GetRoleResult>
                          <ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>
                        </GetRoleResponse>
                        """)));
    iam.stubFor(
        post(urlEqualTo("/"))
            .withRequestBody(containing("RoleName=Gone"))
            .willReturn(
                aResponse()
                    .withStatus(404)
                    .withHeader("Content-Type", "text/xml")
                    .withBody(
                        """
                        <ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
                          <Error><Type>Sender</Type><Code>NoSuchEntity</Code>
                          <Message>The role with name Gone cannot be found.</Message></Error>
                          <RequestId>r-2</RequestId>
                        </ErrorResponse>
                        """)));
  }

  @AfterEach
  void stop() {
    iam.stop();
  }

  @Test
  void iamRestoresThePathReportsGoneRolesAndLeavesOtherAccountsAlone() {
    try (IamClient client =
        IamClient.builder()
            .endpointOverride(URI.create("http://127.0.0.1:" + iam.port()))
            .region(Region.AWS_GLOBAL)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "x")))
            .build()) {
      RoleResolver resolver = RoleResolver.iam(client, "111122223333");

      assertThat(resolver.resolve(IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole")))
          .contains((Principal) IamRole.of("arn:aws:iam::111122223333:role/teams/DevTeamRole"));
      assertThat(resolver.resolve(IamRole.of("arn:aws:iam::111122223333:role/Gone"))).isEmpty();
      IamRole foreign = IamRole.of("arn:aws:iam::444455556666:role/Auditor");
      assertThat(resolver.resolve(foreign)).contains((Principal) foreign);
      assertThat(iam.getAllServeEvents()).hasSize(2);
    }
  }
}
