package dev.eksaccess.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.eksaccess.api.EksAccessException;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.spi.IdentityBackend;
import dev.eksaccess.api.spi.IdentityChange;
import dev.eksaccess.api.spi.IdentityChanges;
import dev.eksaccess.api.spi.IdentityMapping;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What an aws-auth backend owes beyond {@link IdentityBackendContract}: edits that keep every byte
 * of what they do not change (comments, unknown keys, other data), a section EKS cannot read never
 * overwritten, and no write that did not need to happen. Runs over a {@link FakeKubeApi}; extend it
 * and build the backend on {@link #api()}.
 *
 * <pre>{@code
 * class MyAwsAuthContractTest extends AwsAuthBackendContract {
 *   @Override
 *   protected IdentityBackend backend(String baseUrl) {
 *     return AwsAuth.backend(new ClientBuilder().setBasePath(baseUrl).build());
 *   }
 * }
 * }</pre>
 */
public abstract class AwsAuthBackendContract {
  private static final IamRole DEV = IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole");
  private static final String MAP_ROLES =
      """
      # the platform team's roles; ask #platform before editing
      - rolearn: arn:aws:iam::111122223333:role/NodeInstanceRole
        username: system:node:{{EC2PrivateDNSName}}
        groups:
          - system:bootstrappers
          - system:nodes
        x-owner: platform   # a key EKS ignores
      """;

  private final FakeKubeApi api = FakeKubeApi.start();

  /** Creates the contract. */
  protected AwsAuthBackendContract() {}

  /**
   * The backend under test, talking to the fake API server at {@code baseUrl}.
   *
   * @param baseUrl the fake API server's URL
   * @return the backend
   */
  protected abstract IdentityBackend backend(String baseUrl);

  /**
   * The fake API server of this test.
   *
   * @return the server
   */
  protected FakeKubeApi api() {
    return api;
  }

  /** Stops the fake API server. */
  @AfterEach
  void stopApi() {
    api.close();
  }

  private IdentityBackend backend() {
    return backend(api.baseUrl());
  }

  private static IdentityChanges put(IdentityMapping m) {
    return IdentityChanges.of(List.of(new IdentityChange.Put(m)));
  }

  /** An edit keeps what it does not change, byte for byte, and other data keys. */
  @Test
  public void anEditKeepsCommentsUnknownKeysAndOtherData() {
    api.putConfigMap(
        "kube-system", "aws-auth", Map.of("mapRoles", MAP_ROLES, "other", "kept: as is\n"));
    IdentityBackend b = backend();

    b.write(put(IdentityMapping.of(DEV).withGroups(List.of("acme:devs"))), b.read().version());

    Map<String, String> data = api.configMapData("kube-system", "aws-auth").orElseThrow();
    assertThat(data.get("mapRoles")).startsWith(MAP_ROLES).contains("DevTeamRole");
    assertThat(data).containsEntry("other", "kept: as is\n");
  }

  /** A section EKS cannot read is never overwritten, and the write says so. */
  @Test
  public void anUnreadableSectionIsNeverOverwritten() {
    api.putConfigMap("kube-system", "aws-auth", Map.of("mapRoles", "- rolearn: [\n"));
    IdentityBackend b = backend();

    Throwable e = catchThrowable(() -> b.write(put(IdentityMapping.of(DEV)), b.read().version()));

    assertThat(e).isInstanceOf(EksAccessException.class).hasMessageContaining("mapRoles");
    assertThat(api.configMapData("kube-system", "aws-auth").orElseThrow())
        .containsEntry("mapRoles", "- rolearn: [\n");
  }

  /** Writing what is already there sends no write at all. */
  @Test
  public void anUnchangedStateSendsNoWrite() {
    api.putConfigMap("kube-system", "aws-auth", Map.of("mapRoles", MAP_ROLES));
    IdentityBackend b = backend();
    IdentityMapping node = b.read().mappings().get(0);
    long writes = api.count("PUT") + api.count("POST") + api.count("PATCH");

    assertThat(b.write(put(node), b.read().version()).writes()).isZero();

    assertThat(api.count("PUT") + api.count("POST") + api.count("PATCH")).isEqualTo(writes);
  }
}
