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
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What an aws-auth backend owes beyond {@link IdentityBackendContract}: edits that keep every byte
 * of what they do not change (comments, unknown keys, other data), a section EKS cannot read never
 * overwritten, and no write that did not need to happen. Runs over a {@link FakeKubeApi}; extend it
 * and build the backend on {@link #api()}. To run it against a real API server instead, override
 * {@link #backend()}, {@link #seedAwsAuth(Map)}, {@link #awsAuthData()} and {@link
 * #writeRequests()} (the fake is then never started).
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

  private @Nullable FakeKubeApi api;

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
   * The fake API server of this test, started on first use.
   *
   * @return the server
   */
  protected FakeKubeApi api() {
    FakeKubeApi a = api;
    if (a == null) {
      a = FakeKubeApi.start();
      api = a;
    }
    return a;
  }

  /** Stops the fake API server, if this test started one. */
  @AfterEach
  void stopApi() {
    FakeKubeApi a = api;
    if (a != null) {
      a.close();
    }
  }

  /**
   * The backend under test, over the server of this test: by default {@link #backend(String)} on
   * the fake's URL.
   *
   * @return the backend
   */
  protected IdentityBackend backend() {
    return backend(api().baseUrl());
  }

  /**
   * Stores {@code kube-system/aws-auth} with this data, as another writer would.
   *
   * @param data the ConfigMap's data
   */
  protected void seedAwsAuth(Map<String, String> data) {
    api().putConfigMap("kube-system", "aws-auth", data);
  }

  /**
   * The data of {@code kube-system/aws-auth} as stored now.
   *
   * @return the data
   * @throws AssertionError if there is no such ConfigMap
   */
  protected Map<String, String> awsAuthData() {
    return api()
        .configMapData("kube-system", "aws-auth")
        .orElseThrow(() -> new AssertionError("there is no kube-system/aws-auth"));
  }

  /**
   * How many writes (PUT, POST, PATCH) the server has been sent so far in this test.
   *
   * @return the count
   */
  protected long writeRequests() {
    return api().count("PUT") + api().count("POST") + api().count("PATCH");
  }

  private static IdentityChanges put(IdentityMapping m) {
    return IdentityChanges.of(List.of(new IdentityChange.Put(m)));
  }

  /** An edit keeps what it does not change, byte for byte, and other data keys. */
  @Test
  public void anEditKeepsCommentsUnknownKeysAndOtherData() {
    seedAwsAuth(Map.of("mapRoles", MAP_ROLES, "other", "kept: as is\n"));
    IdentityBackend b = backend();

    b.write(put(IdentityMapping.of(DEV).withGroups(List.of("acme:devs"))), b.read().version());

    Map<String, String> data = awsAuthData();
    assertThat(data.get("mapRoles")).startsWith(MAP_ROLES).contains("DevTeamRole");
    assertThat(data).containsEntry("other", "kept: as is\n");
  }

  /** A section EKS cannot read is never overwritten, and the write says so. */
  @Test
  public void anUnreadableSectionIsNeverOverwritten() {
    seedAwsAuth(Map.of("mapRoles", "- rolearn: [\n"));
    IdentityBackend b = backend();

    Throwable e = catchThrowable(() -> b.write(put(IdentityMapping.of(DEV)), b.read().version()));

    assertThat(e).isInstanceOf(EksAccessException.class).hasMessageContaining("mapRoles");
    assertThat(awsAuthData()).containsEntry("mapRoles", "- rolearn: [\n");
  }

  /** Writing what is already there sends no write at all. */
  @Test
  public void anUnchangedStateSendsNoWrite() {
    seedAwsAuth(Map.of("mapRoles", MAP_ROLES));
    IdentityBackend b = backend();
    IdentityMapping node = b.read().mappings().get(0);
    long writes = writeRequests();

    assertThat(b.write(put(node), b.read().version()).writes()).isZero();

    assertThat(writeRequests()).isEqualTo(writes);
  }

  /**
   * EKS matches a caller against both sections: a role ARN under {@code mapUsers} is read as the
   * role's mapping, and removing the role removes that entry too (leaving it would leave the access
   * while reporting success).
   */
  @Test
  public void aRoleUnderMapUsersIsReadAsTheRoleAndRemovedWithIt() {
    seedAwsAuth(
        Map.of(
            "mapRoles",
            MAP_ROLES,
            "mapUsers",
            """
            - userarn: arn:aws:iam::111122223333:role/DevTeamRole
              username: dev
              groups: [acme:devs]
            - userarn: arn:aws:iam::111122223333:user/jane
              username: jane
            """));
    IdentityBackend b = backend();

    assertThat(b.read().mappings())
        .contains(IdentityMapping.of(DEV).withUsername("dev").withGroups(List.of("acme:devs")));

    b.write(IdentityChanges.of(List.of(new IdentityChange.Remove(DEV))), b.read().version());

    assertThat(b.read().mappings()).noneMatch(m -> m.principal().equals(DEV));
    assertThat(awsAuthData().get("mapUsers")).doesNotContain("DevTeamRole").contains("user/jane");
    assertThat(awsAuthData().get("mapRoles")).isEqualTo(MAP_ROLES);
  }
}
