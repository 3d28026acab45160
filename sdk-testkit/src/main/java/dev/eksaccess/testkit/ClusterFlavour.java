package dev.eksaccess.testkit;

/**
 * Which identity backend a {@link FakeCluster} stands in for.
 *
 * <pre>{@code
 * @Test
 * void onboards(@WithFlavour(ClusterFlavour.ACCESS_ENTRIES) FakeCluster cluster) { ... }
 * }</pre>
 */
public enum ClusterFlavour {
  /** The {@code kube-system/aws-auth} ConfigMap. */
  AWS_AUTH,
  /** EKS Access Entries. */
  ACCESS_ENTRIES
}
