/**
 * Test your platform code without a cluster: {@link dev.eksaccess.testkit.FakeCluster} holds an
 * in-memory world served by strict fakes of both backends.
 *
 * <pre>{@code
 * FakeCluster prod = FakeCluster.accessEntries("prod");
 * new TeamOnboarding(prod.clusterAccess()).onboard("payments");
 * assertThat(prod).hasGrant(grant);
 * }</pre>
 */
@NullMarked
package dev.eksaccess.testkit;

import org.jspecify.annotations.NullMarked;
