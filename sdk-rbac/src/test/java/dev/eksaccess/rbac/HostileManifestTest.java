package dev.eksaccess.rbac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.spi.RbacSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Manifests found by fuzzing: each reads, or fails with the documented exception and where. */
class HostileManifestTest {
  @Test
  void aNumericLabelKeyReadsAsKubernetesReadsIt() {
    RbacSnapshot s =
        Rbac.fromYaml(
            """
            kind: ClusterRole
            metadata: {name: r, labels: {1: x, true: y}}
            rules: []
            """);
    assertThat(s.roles())
        .singleElement()
        .satisfies(r -> assertThat(r.labels()).containsEntry("1", "x"));
  }

  @Test
  void aListThatContainsItselfIsRefusedNotWalkedForever() {
    var e =
        catchThrowableOfType(
            InvalidInputException.class, () -> Rbac.fromYaml("&a {kind: List, items: [*a]}\n"));
    assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_MANIFEST);
    assertThat(e.getMessage()).contains("*a refers to a collection that contains it");
  }

  @Test
  void deepNestingIsRefusedWithWhereItIs() {
    var e =
        catchThrowableOfType(InvalidInputException.class, () -> Rbac.fromYaml("[".repeat(2_000)));
    assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_MANIFEST);
    assertThat(e.getMessage()).contains("yaml line 1 column 101").contains("deeper than 100");
  }

  @Test
  @Timeout(10)
  void aliasesOfAliasesAreReadOnceEachNotOncePerPath() {
    // 2^24 paths lead to the one ClusterRole; each object is read once, as kubectl applies it once
    StringBuilder yaml =
        new StringBuilder(
            "x0: &a0 {kind: List, items: [{kind: ClusterRole, metadata: {name: r}, rules: []}]}\n");
    for (int i = 1; i <= 24; i++) {
      yaml.append("x%d: &a%d {kind: List, items: [*a%d, *a%d]}\n".formatted(i, i, i - 1, i - 1));
    }
    yaml.append("kind: List\nitems: [*a24]\n");

    RbacSnapshot s = Rbac.fromYaml(yaml.toString());

    assertThat(s.roles()).singleElement().satisfies(r -> assertThat(r.name()).isEqualTo("r"));
  }

  @Test
  void anEmojiAcrossTheReadersBufferIsText() {
    // found by fuzzing: snakeyaml-engine fails when a surrogate pair straddles its 1,024-char
    // buffer
    String yaml =
        "# "
            + "a".repeat(1022)
            + "\uD83D\uDE00\n"
            + "kind: ClusterRole\nmetadata: {name: r}\nrules: []\n";
    assertThat(Rbac.fromYaml(yaml).roles()).hasSize(1);
  }
}
