package dev.eksaccess.testkit;

import dev.eksaccess.api.spi.IdentityBackend;
import dev.eksaccess.api.spi.RbacBackend;

/**
 * Strict in-memory backends over a {@link ClusterState}, for tests that wire {@code ClusterAccess}
 * themselves. Most tests use {@link FakeCluster} instead.
 *
 * <pre>{@code
 * ClusterState world = ClusterState.withDefaultRoles("prod");
 * ClusterAccess prod = ClusterAccess.builder().clusterName("prod")
 *     .identities(Fakes.accessEntries(world)).rbac(Fakes.rbac(world)).build();
 * }</pre>
 */
public final class Fakes {
  private Fakes() {}

  /**
   * An identity backend that behaves like aws-auth: account mappings and {@code system:} groups, no
   * access policies, mappings matched on the path-less canonical ARN ignoring case.
   *
   * @param world the world it reads and writes
   * @return the backend
   */
  public static IdentityBackend awsAuth(ClusterState world) {
    return new InMemoryIdentityBackend(world, InMemoryIdentityBackend.Flavour.AWS_AUTH);
  }

  /**
   * An identity backend that behaves like EKS Access Entries: access policies, no account mappings,
   * and EKS's refusals ({@code system:} groups, reserved username prefixes, a {@code
   * {{SessionName}}} without a colon before it, service-linked roles).
   *
   * @param world the world it reads and writes
   * @return the backend
   */
  public static IdentityBackend accessEntries(ClusterState world) {
    return new InMemoryIdentityBackend(world, InMemoryIdentityBackend.Flavour.ACCESS_ENTRIES);
  }

  /**
   * An RBAC backend as strict as the API server.
   *
   * @param world the world it reads and writes
   * @return the backend
   */
  public static RbacBackend rbac(ClusterState world) {
    return new InMemoryRbacBackend(world);
  }
}
