/**
 * The backend SPI: what an identity backend (aws-auth, Access Entries) and an RBAC backend must do.
 * Backends read a versioned snapshot and write a batch of changes against the version they read;
 * planning, validation and lockout guards live above this SPI, so no backend can skip them.
 *
 * <pre>{@code
 * IdentitySnapshot now = backend.read();
 * backend.write(IdentityChanges.of(List.of(new IdentityChange.Remove(role))), now.version());
 * }</pre>
 */
@NullMarked
package dev.eksaccess.api.spi;

import org.jspecify.annotations.NullMarked;
