package dev.eksaccess.awsauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eksaccess.api.BreakGlass;
import dev.eksaccess.api.ClusterAccess;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.testkit.FakeKubeApi;
import io.kubernetes.client.util.ClientBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Break-glass on the real aws-auth backend: the record is an annotation beside the mapping. */
class BreakGlassAnnotationTest {
  static final IamRole GLASS = IamRole.of("arn:aws:iam::111122223333:role/BreakGlass");
  static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  static final String DEV_ROLES =
      """
      - rolearn: arn:aws:iam::111122223333:role/DevTeamRole
        username: dev
        groups:
          - acme:devs
      """;

  private final FakeKubeApi api = FakeKubeApi.start();

  @AfterEach
  void stop() {
    api.close();
  }

  ClusterAccess at(Instant now) {
    return ClusterAccess.builder()
        .clusterName("prod")
        .identities(AwsAuth.backend(new ClientBuilder().setBasePath(api.baseUrl()).build()))
        .clock(Clock.fixed(now, ZoneOffset.UTC))
        .build();
  }

  void seed(String annotations, String mapRoles) {
    api.putObject(
        "configmaps",
        "kube-system",
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"aws-auth\","
            + "\"namespace\":\"kube-system\",\"annotations\":"
            + annotations
            + "},\"data\":{\"mapRoles\":"
            + new ObjectMapper().valueToTree(mapRoles)
            + "}}");
  }

  JsonNode configMap() throws Exception {
    return new ObjectMapper()
        .readTree(api.object("configmaps", "kube-system", "aws-auth").orElseThrow());
  }

  @Test
  void theRecordIsAnAnnotationBesideOthersAndGoesWithTheMapping() throws Exception {
    seed("{\"team\":\"platform\"}", DEV_ROLES);
    BreakGlass incident =
        ClusterAccess.breakGlass(GLASS).forDuration(Duration.ofHours(2)).because("INC-123");

    at(T0).plan(incident).apply();

    JsonNode cm = configMap();
    assertThat(cm.at("/metadata/annotations/team").asText()).isEqualTo("platform");
    JsonNode mark =
        new ObjectMapper()
            .readTree(cm.at("/metadata/annotations/eks-access.dev~1break-glass").asText())
            .path(GLASS.arn().value());
    assertThat(mark.path("eks-access.dev/break-glass-reason").asText()).isEqualTo("INC-123");
    assertThat(mark.path("eks-access.dev/break-glass-expires-at").asText())
        .isEqualTo("2026-11-23T12:00:00Z");
    assertThat(cm.at("/data/mapRoles").asText())
        .startsWith(DEV_ROLES)
        .contains("rolearn: arn:aws:iam::111122223333:role/BreakGlass")
        .contains("username: break-glass:{{SessionName}}")
        .contains("system:masters");

    at(T0.plus(Duration.ofHours(2))).expireBreakGlass();

    JsonNode after = configMap();
    assertThat(after.at("/metadata/annotations").has("eks-access.dev/break-glass")).isFalse();
    assertThat(after.at("/metadata/annotations/team").asText()).isEqualTo("platform");
    assertThat(after.at("/data/mapRoles").asText()).isEqualTo(DEV_ROLES);
  }

  @Test
  void anAnnotationEditedByHandReadsAsNoRecordAndNothingIsSwept() throws Exception {
    String masters =
        DEV_ROLES
            + """
            - rolearn: arn:aws:iam::111122223333:role/BreakGlass
              username: glass
              groups:
                - system:masters
            """;
    seed("{\"eks-access.dev/break-glass\":\"{not json\"}", masters);

    ClusterAccess later = at(T0.plus(Duration.ofDays(30)));

    assertThat(later.audit().breakGlass()).isEmpty();
    assertThat(later.expireBreakGlass().writes()).isZero();
    assertThat(configMap().at("/data/mapRoles").asText()).isEqualTo(masters);
  }

  @Test
  void aMarkLeftBehindNeverMakesAnOrdinaryMappingExpire() throws Exception {
    String ops =
        DEV_ROLES
            + """
            - rolearn: arn:aws:iam::111122223333:role/BreakGlass
              username: ops
              groups:
                - acme:ops
            """;
    // a tool deleted the break-glass entry but kept the annotation; the role was mapped again
    seed(
        "{\"eks-access.dev/break-glass\":"
            + new ObjectMapper()
                .writeValueAsString(
                    "{\"arn:aws:iam::111122223333:role/BreakGlass\":{"
                        + "\"eks-access.dev/break-glass-reason\":\"INC-1\","
                        + "\"eks-access.dev/break-glass-granted-at\":\"2026-11-23T08:00:00Z\","
                        + "\"eks-access.dev/break-glass-expires-at\":\"2026-11-23T09:00:00Z\"}}")
            + "}",
        ops);

    ClusterAccess now = at(T0);

    assertThat(now.audit().breakGlass()).isEmpty();
    assertThat(now.expireBreakGlass().writes()).isZero();
    assertThat(configMap().at("/data/mapRoles").asText()).isEqualTo(ops);
  }

  @Test
  void aBreakGlassMappingWhoseRecordIsLostReadsAsExpiredAndTheSweepRemovesIt() throws Exception {
    seed("{}", DEV_ROLES);
    at(T0)
        .plan(ClusterAccess.breakGlass(GLASS).forDuration(Duration.ofHours(8)).because("INC-2"))
        .apply();
    // another writer replaced the ConfigMap with data only: the annotation is gone
    JsonNode cm = configMap();
    seed("{}", cm.at("/data/mapRoles").asText());

    ClusterAccess now = at(T0.plus(Duration.ofMinutes(5)));

    assertThat(now.audit().breakGlass())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.expired()).isTrue();
              assertThat(a.mark().reason()).startsWith("record lost");
            });
    assertThat(now.expireBreakGlass().applied()).hasSize(1);
    assertThat(configMap().at("/data/mapRoles").asText()).isEqualTo(DEV_ROLES);
  }
}
