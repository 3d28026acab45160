/**
 * The aws auth backend of eks-access. This module is reserved in the build; its backend arrives
 * with issue ConfigMap and implements {@link dev.eksaccess.api.spi.IdentityBackend} or {@link
 * dev.eksaccess.api.spi.RbacBackend}.
 *
 * <pre>{@code
 * // until then, test against dev.eksaccess.testkit.FakeCluster
 * }</pre>
 */
@NullMarked
package dev.eksaccess.awsauth;

import org.jspecify.annotations.NullMarked;
