package dev.eksaccess.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.MalformedAwsAuthException;
import dev.eksaccess.api.UnsupportedGrantException;
import dev.eksaccess.api.spi.IdentityChange;
import dev.eksaccess.api.spi.IdentityChanges;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.awsauth.AwsAuthDocument;
import dev.eksaccess.awsauth.AwsAuthEntry;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes the aws-auth reader, linter and editor with arbitrary {@code mapRoles} and {@code
 * mapUsers} text. Without {@code JAZZER_FUZZ} this is a regression pass over the seed corpus in
 * {@code src/test/resources/dev/eksaccess/reliability/AwsAuthFuzzTestInputs/}; see BENCHMARKS.md
 * and the README for the long campaign.
 */
class AwsAuthFuzzTest {
  static final IamRole PROBE = IamRole.of("arn:aws:iam::999999999999:role/FuzzProbe");

  /** An input is {@code mapRoles}, then a NUL, then {@code mapUsers} (the NUL may be missing). */
  static Map<String, String> data(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    int nul = text.indexOf('\0');
    Map<String, String> data = new LinkedHashMap<>();
    data.put("mapRoles", nul < 0 ? text : text.substring(0, nul));
    data.put("mapUsers", nul < 0 ? "" : text.substring(nul + 1));
    return data;
  }

  @FuzzTest(maxDuration = "5m")
  void readingLintingAndEditingNeverFailsAndNeverLosesAMapping(byte[] input) {
    Map<String, String> data = data(input);
    // reading and linting take anything, as EKS does: bad sections and entries are reported
    AwsAuthDocument doc = AwsAuthDocument.parse(data);
    doc.findings();
    doc.sectionErrors();

    AwsAuthDocument next;
    try {
      next =
          AwsAuthDocument.parse(
              doc.render(
                  IdentityChanges.of(
                      List.of(
                          new IdentityChange.Put(
                              IdentityMapping.of(PROBE)
                                  .withUsername("probe")
                                  .withGroups(List.of("acme:probe")))))));
    } catch (MalformedAwsAuthException e) {
      // documented: a section EKS cannot read is never overwritten
      assertThat(doc.sectionErrors()).isNotEmpty();
      assertThat(e.getMessage()).isNotBlank();
      return;
    } catch (UnsupportedGrantException e) {
      throw new AssertionError("a plain mapping is always supported", e);
    }
    assertThat(view(next.userMappings())).isEqualTo(view(doc.userMappings()));
    List<String> roles = view(next.roleMappings());
    assertThat(roles).hasSize(doc.roleMappings().size() + 1);
    assertThat(roles.subList(0, roles.size() - 1)).isEqualTo(view(doc.roleMappings()));
    assertThat(roles.get(roles.size() - 1)).isEqualTo(PROBE.arn().value() + " probe [acme:probe]");
  }

  /** What EKS takes from each entry, whatever its position and text. */
  static List<String> view(List<AwsAuthEntry> entries) {
    return entries.stream()
        .map(
            e ->
                e.arn()
                    + " "
                    + e.username().orElse("")
                    + " "
                    + e.groups()
                    + e.sso().map(s -> " " + s).orElse(""))
        .toList();
  }
}
