package dev.eksaccess.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.eksaccess.api.internal.CatalogueReader;
import dev.eksaccess.api.spi.PolicyRule;
import dev.eksaccess.api.support.AccessPolicyRules;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The shipped catalogue says what AWS documents, and only that. */
class AccessPolicyCatalogueTest {
  private static final String SOURCE =
      "https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html";

  @Test
  void isVersionedAndDated() {
    assertThat(AccessPolicyCatalogue.version()).isEqualTo("2026.12.07");
    assertThat(AccessPolicyCatalogue.asOf()).isEqualTo(LocalDate.of(2026, 12, 7));
    assertThat(AccessPolicyCatalogue.entries())
        .allSatisfy(
            e -> {
              assertThat(e.source()).isEqualTo(SOURCE);
              assertThat(e.checkedOn()).isEqualTo(LocalDate.of(2026, 12, 7));
              assertThat(e.arn())
                  .isEqualTo("arn:aws:eks::aws:cluster-access-policy/" + e.policy().name());
              assertThat(e.description()).isNotBlank();
            });
  }

  @Test
  void listsTheCurrentManagedPoliciesOldAndNew() {
    assertThat(AccessPolicyCatalogue.all())
        .extracting(AccessPolicy::name)
        .contains(
            "AmazonEKSClusterAdminPolicy",
            "AmazonEKSAdminPolicy",
            "AmazonEKSEditPolicy",
            "AmazonEKSViewPolicy",
            "AmazonEKSAdminViewPolicy",
            "AmazonEKSAutoNodePolicy",
            "AmazonEKSBlockStoragePolicy",
            "AmazonEKSComputePolicy",
            "AmazonEKSHybridPolicy",
            "AmazonEKSLoadBalancingPolicy",
            "AmazonEKSNetworkingPolicy",
            "AmazonEMRJobPolicy",
            "AmazonSagemakerHyperpodClusterPolicy",
            "AmazonEKSArgoCDPolicy",
            "AmazonEKSACKPolicy",
            "AmazonEKSKROPolicy",
            "AmazonEKSSecretReaderPolicy",
            "AmazonEKSSecretAdminPolicy",
            "AmazonAIOpsAssistantPolicy",
            "AmazonEKSPodIdentityPolicy",
            "AmazonEKSEventPolicy",
            "AmazonARCRegionSwitchScalingPolicy",
            "AmazonEKSClusterInsightsPolicy")
        .isSorted()
        .hasSize(35);
  }

  @Test
  void rulesAreKnownExactlyForThePoliciesAwsPublishesTablesFor() {
    assertThat(AccessPolicyCatalogue.entries())
        .filteredOn(AccessPolicyCatalogue.Entry::rulesKnown)
        .extracting(e -> e.policy().name())
        .containsExactly(
            "AmazonEKSAdminPolicy",
            "AmazonEKSAdminViewPolicy",
            "AmazonEKSClusterAdminPolicy",
            "AmazonEKSEditPolicy",
            "AmazonEKSHybridPolicy",
            "AmazonEKSSecretReaderPolicy",
            "AmazonEKSViewPolicy");
    // prose only: recorded as unknown, never invented
    assertThat(AccessPolicyCatalogue.rulesOf(AccessPolicy.named("AmazonEKSAutoNodePolicy")))
        .isEmpty();
    assertThat(AccessPolicyCatalogue.rulesOf(AccessPolicy.named("AmazonEKSArgoCDPolicy")))
        .isEmpty();
    assertThat(AccessPolicyCatalogue.rulesOf(AccessPolicy.named("AmazonEKSNotAPolicy"))).isEmpty();
    assertThat(AccessPolicyCatalogue.entry(AccessPolicy.named("AmazonEKSNotAPolicy"))).isEmpty();
  }

  @Test
  void accessPolicyRulesReadsTheCatalogue() {
    for (AccessPolicy p : AccessPolicyCatalogue.all()) {
      assertThat(AccessPolicyRules.of(p)).isEqualTo(AccessPolicyCatalogue.rulesOf(p));
    }
  }

  @ParameterizedTest
  @CsvSource({
    "AmazonEKSViewPolicy, get, '', pods, true",
    "AmazonEKSViewPolicy, get, '', secrets, false",
    "AmazonEKSEditPolicy, create, '', events, true",
    "AmazonEKSEditPolicy, get, '', secrets, true",
    "AmazonEKSEditPolicy, create, rbac.authorization.k8s.io, rolebindings, false",
    "AmazonEKSAdminPolicy, create, rbac.authorization.k8s.io, rolebindings, true",
    "AmazonEKSAdminViewPolicy, list, '', secrets, true",
    "AmazonEKSAdminViewPolicy, delete, '', pods, false",
    "AmazonEKSSecretReaderPolicy, watch, '', secrets, true",
    "AmazonEKSSecretReaderPolicy, get, '', configmaps, false",
    "AmazonEKSHybridPolicy, list, '', nodes, true",
    "AmazonEKSHybridPolicy, get, '', nodes, false",
    "AmazonEKSClusterAdminPolicy, escalate, rbac.authorization.k8s.io, clusterroles, true",
  })
  void theDocumentedRulesDecideAsAwsLists(
      String policy, String verb, String group, String resource, boolean allowed) {
    List<PolicyRule> rules =
        AccessPolicyCatalogue.rulesOf(AccessPolicy.named(policy)).orElseThrow();
    Request r = Request.verb(verb).resource(resource).inApiGroup(group).inNamespace("apps");
    assertThat(rules.stream().anyMatch(rule -> rule.allows(r))).isEqualTo(allowed);
  }

  @Test
  void clusterAdminCoversNonResourceUrls() {
    assertThat(
            AccessPolicyCatalogue.rulesOf(AccessPolicy.CLUSTER_ADMIN).orElseThrow().stream()
                .anyMatch(r -> r.allows(Request.verb("get").nonResourceUrl("/metrics"))))
        .isTrue();
  }

  private static final String ONE_POLICY =
      """
      {"schema":"eks-access/access-policy-catalogue/v1","version":"1","checkedOn":"2026-01-02",
       "policies":[{"name":"AmazonEKSViewPolicy",
         "arn":"arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
         "description":"view","source":"s","checkedOn":"2026-01-03","rules":[{"apiGroups":[""],"resources":["pods"],"verbs":["get"]}]}]}
      """;

  private static CatalogueReader.Catalogue read(String json) throws IOException {
    return CatalogueReader.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }

  private static InvalidInputException.Problem refusal(String json) {
    InvalidInputException e = catchThrowableOfType(InvalidInputException.class, () -> read(json));
    assertThat(e).as("expected a refusal").isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    return e.problems().get(0);
  }

  @Test
  void aWellFormedCatalogueReads() throws IOException {
    CatalogueReader.Catalogue c = read(ONE_POLICY);
    assertThat(c.version()).isEqualTo("1");
    assertThat(
            java.util.Objects.requireNonNull(c.entries().get("AmazonEKSViewPolicy"))
                .rules()
                .orElseThrow())
        .containsExactly(PolicyRule.resources(List.of(""), List.of("pods"), List.of("get")));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "\"verbs\":[\"get\"] | \"verbz\":[\"get\"] | policies[0].rules[0].verbz",
        "\"apiGroups\":[\"\"], | '' | policies[0].rules[0].apiGroups",
        "\"verbs\":[\"get\"] | \"verbs\":[] | policies[0].rules[0]",
        "\"rules\":[{\"apiGroups\":[\"\"],\"resources\":[\"pods\"],\"verbs\":[\"get\"]}] | \"rules\":[] | policies[0].rules",
        ",\"rules\":[{\"apiGroups\":[\"\"],\"resources\":[\"pods\"],\"verbs\":[\"get\"]}] | '' | policies[0].rules",
        "\"checkedOn\":\"2026-01-03\" | \"checkedOn\":\"yesterday\" | policies[0].checkedOn",
        "cluster-access-policy/AmazonEKSViewPolicy | cluster-access-policy/AmazonEKSEditPolicy | policies[0].arn",
        "\"source\":\"s\", | '' | policies[0].source",
        "\"checkedOn\":\"2026-01-02\" | \"checkedOn\":\"2 Jan\" | checkedOn",
        "\"version\":\"1\", | '' | version",
        "access-policy-catalogue/v1 | access-policy-catalogue/v9 | schema",
        "\"name\":\"AmazonEKSViewPolicy\" | \"name\":\"Amazon EKS\" | policies[0].name",
        "\"resources\":[\"pods\"] | \"resources\":\"pods\" | policies[0].rules[0].resources",
      })
  void aMalformedCatalogueIsRefusedWhereItIsWrong(String from, String to, String location) {
    String json = ONE_POLICY.replace(from, to);
    assertThat(json).isNotEqualTo(ONE_POLICY);
    assertThat(refusal(json).location()).isEqualTo(location);
  }

  @Test
  void aPolicyListedTwiceIsRefused() {
    int at = ONE_POLICY.indexOf("{\"name\"");
    int end = ONE_POLICY.lastIndexOf(']');
    String policy = ONE_POLICY.substring(at, end);
    String json = ONE_POLICY.substring(0, end) + "," + policy + ONE_POLICY.substring(end);
    assertThat(refusal(json).location()).isEqualTo("policies[1].name");
  }

  @Test
  void notJsonIsRefused() {
    assertThat(refusal("{\"schema\": ").location()).isEqualTo("catalogue");
  }
}
