package dev.eksaccess.awsauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.spi.IdentityBackend;
import dev.eksaccess.api.spi.IdentityChange;
import dev.eksaccess.api.spi.IdentityChanges;
import dev.eksaccess.api.spi.IdentityMapping;
import java.util.List;
import org.junit.jupiter.api.Test;

class OfflineAwsAuthTest {
  static final String CONFIG_MAP =
      """
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: aws-auth
        namespace: kube-system
        resourceVersion: "812"
        annotations:
          eks-access.dev/break-glass: '{"arn:aws:iam::111122223333:role/BreakGlass":{"eks-access.dev/break-glass-reason":"INC-9","eks-access.dev/break-glass-granted-at":"2026-11-23T10:00:00Z","eks-access.dev/break-glass-expires-at":"2026-11-23T11:00:00Z"}}'
      data:
        mapRoles: |
          - rolearn: arn:aws:iam::111122223333:role/DevTeamRole
            username: dev
            groups: [acme:devs]
          - rolearn: arn:aws:iam::111122223333:role/BreakGlass
            username: break-glass:{{SessionName}}
            groups: [system:masters]
        mapAccounts: |
          - "444455556666"
      """;

  @Test
  void aSavedConfigMapReadsAsTheClusterWouldWithItsVersionAndBreakGlass() {
    IdentityBackend saved = AwsAuth.offline(CONFIG_MAP);

    var snapshot = saved.read();

    assertThat(snapshot.version().value()).isEqualTo("812");
    assertThat(snapshot.accounts()).containsExactly("444455556666");
    assertThat(snapshot.mappings())
        .extracting(IdentityMapping::principal)
        .containsExactly(
            IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole"),
            IamRole.of("arn:aws:iam::111122223333:role/BreakGlass"));
    assertThat(snapshot.mappings().get(1).breakGlass().orElseThrow().reason()).isEqualTo("INC-9");
    assertThat(saved.name()).isEqualTo("aws-auth (offline, aws-auth manifest)");
  }

  @Test
  void aDumpOfManyObjectsIsSearchedForAwsAuth() {
    String list =
        "apiVersion: v1\nkind: List\nitems:\n"
            + "- {apiVersion: v1, kind: ConfigMap, metadata: {name: coredns, namespace: kube-system},"
            + " data: {Corefile: x}}\n"
            + "- "
            + CONFIG_MAP.replace("\n", "\n  ").strip()
            + "\n";

    assertThat(AwsAuth.offline(list).read().mappings()).hasSize(2);
    assertThat(AwsAuth.offline("kind: Namespace\n---\n" + CONFIG_MAP).read().mappings()).hasSize(2);
  }

  @Test
  void writingIsRefusedAndSaysWhatToUseInstead() {
    IdentityBackend saved = AwsAuth.offline(CONFIG_MAP);
    var now = saved.read();

    var e =
        catchThrowableOfType(
            dev.eksaccess.api.UnsupportedGrantException.class,
            () ->
                saved.write(
                    IdentityChanges.of(
                        List.of(
                            new IdentityChange.Remove(
                                IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole")))),
                    now.version()));

    assertThat(e).hasMessageContaining("read-only").hasMessageContaining("AwsAuth.backend(client)");
    assertThat(saved.write(IdentityChanges.none(), now.version()).writes()).isZero();
    assertThat(saved.read()).isEqualTo(now);
  }

  @Test
  void aFileWithoutAwsAuthOrNotYamlIsRefusedWithWhereAndWhatToSave() {
    var none =
        catchThrowableOfType(
            InvalidInputException.class,
            () -> AwsAuth.offline("kind: ConfigMap\nmetadata: {name: coredns}\n"));
    assertThat(none.code()).isEqualTo(ErrorCode.MALFORMED_MANIFEST);
    assertThat(none.getMessage())
        .contains("no ConfigMap kube-system/aws-auth (of 1 objects)")
        .contains("kubectl get configmap aws-auth -n kube-system -o yaml");

    var broken =
        catchThrowableOfType(
            InvalidInputException.class, () -> AwsAuth.offline("kind: ConfigMap\n  bad: [\n"));
    assertThat(broken.getMessage()).contains("line ").contains("is not YAML");

    var number =
        catchThrowableOfType(
            InvalidInputException.class,
            () ->
                AwsAuth.offline(
                    """
                    kind: ConfigMap
                    metadata: {name: aws-auth, namespace: kube-system}
                    data: {mapAccounts: 42}
                    """));
    assertThat(number.getMessage()).contains("data.mapAccounts").contains("is not text");
  }
}
