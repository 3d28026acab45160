/**
 * The EKS Access Entries backend of eks-access. This module is reserved in the build; its backend
 * arrives with issue #4 and implements {@link dev.eksaccess.api.spi.IdentityBackend} or {@link
 * dev.eksaccess.api.spi.RbacBackend}.
 *
 * <pre>{@code
 * // until then, test against dev.eksaccess.testkit.FakeCluster
 * }</pre>
 */
@NullMarked
package dev.eksaccess.accessentries;

import org.jspecify.annotations.NullMarked;
