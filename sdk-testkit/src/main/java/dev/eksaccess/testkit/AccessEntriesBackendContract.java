package dev.eksaccess.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.eksaccess.api.AccessPolicy;
import dev.eksaccess.api.EksAccessException;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.Scope;
import dev.eksaccess.api.spi.IdentityBackend;
import dev.eksaccess.api.spi.IdentityChange;
import dev.eksaccess.api.spi.IdentityChanges;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.IdentityQuery;
import dev.eksaccess.api.spi.PolicyAssociation;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What an Access Entries backend owes beyond {@link IdentityBackendContract}: EKS's own rules
 * checked before any call, node entries EKS made left alone, a re-apply with no write call, and a
 * {@code CONFIG_MAP} cluster reported, not mistaken for an empty one. Runs over a {@link
 * FakeEksApi} with cluster {@code "contract"}; extend it and build the backend for that URL.
 *
 * <pre>{@code
 * class MyAccessEntriesContractTest extends AccessEntriesBackendContract {
 *   @Override
 *   protected IdentityBackend backend(String baseUrl, String cluster) {
 *     return AccessEntries.backend(eksClientFor(baseUrl), cluster);
 *   }
 * }
 * }</pre>
 */
public abstract class AccessEntriesBackendContract {
  private static final IamRole DEV = IamRole.of("arn:aws:iam::111122223333:role/teams/DevTeamRole");
  private static final String NODES = "arn:aws:iam::111122223333:role/NodeInstanceRole";

  private final FakeEksApi api = FakeEksApi.start().addCluster("contract", "API_AND_CONFIG_MAP");

  /** Creates the contract. */
  protected AccessEntriesBackendContract() {}

  /**
   * The backend under test for {@code cluster}, talking to the fake EKS API at {@code baseUrl}.
   *
   * @param baseUrl the fake EKS API's URL
   * @param cluster the cluster name
   * @return the backend
   */
  protected abstract IdentityBackend backend(String baseUrl, String cluster);

  /**
   * The fake EKS API of this test.
   *
   * @return the API
   */
  protected FakeEksApi api() {
    return api;
  }

  /** Stops the fake EKS API. */
  @AfterEach
  void stopApi() {
    api.close();
  }

  private static IdentityChanges put(IdentityMapping m) {
    return IdentityChanges.of(List.of(new IdentityChange.Put(m)));
  }

  /** A value EKS refuses is refused before any call. */
  @Test
  public void eksRulesAreCheckedBeforeAnyCall() {
    IdentityBackend b = backend(api.baseUrl(), "contract");
    var version = b.read().version();
    long calls = api.requests().size();

    Throwable e =
        catchThrowable(
            () ->
                b.write(
                    put(IdentityMapping.of(DEV).withGroups(List.of("system:masters"))), version));

    assertThat(e).isInstanceOf(InvalidInputException.class).hasMessageContaining("system:");
    assertThat(api.requests()).hasSize((int) calls);
  }

  /** A node entry EKS created reads back and is neither changed nor removed by other writes. */
  @Test
  public void nodeEntriesAreLeftAlone() {
    api.putEntry(
        "contract",
        NODES,
        "EC2_LINUX",
        "system:node:{{EC2PrivateDNSName}}",
        List.of("system:nodes"));
    IdentityBackend b = backend(api.baseUrl(), "contract");

    b.write(put(IdentityMapping.of(DEV).withGroups(List.of("acme:devs"))), b.read().version());

    assertThat(api.entry("contract", NODES).orElseThrow()).contains("\"type\":\"EC2_LINUX\"");
    assertThat(b.read().mappings()).hasSize(2);
  }

  /**
   * Applying the state that is already there makes no write call, whether the mapping names the
   * username EKS filled in or leaves it out as a grant does.
   */
  @Test
  public void aReapplyMakesNoWriteCall() {
    IdentityBackend b = backend(api.baseUrl(), "contract");
    IdentityMapping want =
        IdentityMapping.of(DEV)
            .withGroups(List.of("acme:devs"))
            .withPolicy(new PolicyAssociation(AccessPolicy.VIEW, Scope.namespaces("apps")));
    b.write(put(want), b.read().version());
    long writes = api.writes();

    // the grant as written (no username: EKS filled one in), then as read back
    b.write(put(want), b.read().version());
    b.write(put(b.read().mappings().get(0)), b.read().version());

    assertThat(api.writes()).isEqualTo(writes);
  }

  /**
   * Versions are per principal: a write planned on a scoped read of one principal lands while
   * another writer changes another principal's entry, and costs calls for its own principal only.
   */
  @Test
  public void writersOfDifferentPrincipalsNeverConflict() {
    IdentityBackend b = backend(api.baseUrl(), "contract");
    IamRole ops = IamRole.of("arn:aws:iam::111122223333:role/Ops");
    for (int i = 0; i < 20; i++) {
      api.putEntry(
          "contract",
          "arn:aws:iam::111122223333:role/Other" + i,
          "STANDARD",
          "other" + i,
          List.of("x"));
    }
    var mine = b.read(IdentityQuery.of(List.of(DEV))).version();
    b.write(put(IdentityMapping.of(ops).withGroups(List.of("acme:ops"))), b.read().version());
    long before = api.requests().size();

    b.write(put(IdentityMapping.of(DEV).withGroups(List.of("acme:devs"))), mine);
    long calls = api.requests().size() - before;

    assertThat(b.read().mappings())
        .extracting(m -> m.principal().name())
        .contains("DevTeamRole", "Ops");
    assertThat(calls).as("calls for one new entry: describe it, create it").isLessThanOrEqualTo(3);
  }

  /** A cluster still in CONFIG_MAP is an error that says so, never an empty list of entries. */
  @Test
  public void aConfigMapClusterIsReportedNotEmpty() {
    api.addCluster("legacy", "CONFIG_MAP");

    Throwable e = catchThrowable(() -> backend(api.baseUrl(), "legacy").read());

    assertThat(e).isInstanceOf(EksAccessException.class).hasMessageContaining("API_AND_CONFIG_MAP");
  }
}
