package dev.eksaccess.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.eksaccess.awsauth.AwsAuth;
import dev.eksaccess.awsauth.AwsAuthBackend;
import dev.eksaccess.awsauth.AwsAuthDocument;
import dev.eksaccess.awsauth.AwsAuthRepair;
import dev.eksaccess.awsauth.Section;
import dev.eksaccess.awsauth.SectionError;
import dev.eksaccess.testkit.FakeKubeApi;
import io.kubernetes.client.util.ClientBuilder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes the explicit repair through the real backend and client, against the wire-level fake: a
 * repair is needed exactly when a section is unreadable, and confirming it leaves every section
 * readable and every readable section as it was. Inputs as in {@link AwsAuthFuzzTest}.
 */
class AwsAuthRepairFuzzTest {
  static final FakeKubeApi API = FakeKubeApi.start();
  static final AwsAuthBackend IDS =
      AwsAuth.backend(new ClientBuilder().setBasePath(API.baseUrl()).build());

  @AfterAll
  static void stop() {
    API.close();
  }

  @FuzzTest(maxDuration = "5m")
  @DictionaryFile(resourcePath = "aws-auth.dict")
  void aRepairDropsOnlyWhatEksAlreadyIgnores(byte[] input) {
    Map<String, String> data = AwsAuthFuzzTest.data(input);
    API.putConfigMap("kube-system", "aws-auth", data);
    AwsAuthDocument before = AwsAuthDocument.parse(data);

    AwsAuthRepair repair = IDS.repair();

    assertThat(repair.isNeeded()).isEqualTo(!before.sectionErrors().isEmpty());
    if (!repair.isNeeded()) {
      assertThat(repair.confirmDropping(List.of()).writes()).isZero();
      return;
    }
    repair.confirmDropping(repair.dropped());
    AwsAuthDocument after =
        AwsAuthDocument.parse(API.configMapData("kube-system", "aws-auth").orElseThrow());
    assertThat(after.sectionErrors()).isEmpty();
    Set<Section> repaired =
        before.sectionErrors().stream().map(SectionError::section).collect(Collectors.toSet());
    if (!repaired.contains(Section.MAP_ROLES)) {
      assertThat(views(after.roleMappings())).isEqualTo(views(before.roleMappings()));
    }
    if (!repaired.contains(Section.MAP_USERS)) {
      assertThat(views(after.userMappings())).isEqualTo(views(before.userMappings()));
    }
    if (!repaired.contains(Section.MAP_ACCOUNTS)) {
      assertThat(after.accounts()).isEqualTo(before.accounts());
    }
  }

  static List<String> views(List<dev.eksaccess.awsauth.AwsAuthEntry> entries) {
    return entries.stream().map(AwsAuthFuzzTest::view).toList();
  }
}
