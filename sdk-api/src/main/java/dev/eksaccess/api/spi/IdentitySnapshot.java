package dev.eksaccess.api.spi;

import java.util.List;
import java.util.Objects;

/**
 * A consistent view of a backend's identity mappings, with the version it was read at.
 *
 * <pre>{@code
 * IdentitySnapshot now = backend.read();
 * now.mappings().forEach(m -> System.out.println(m.principal() + " -> " + m.groups()));
 * }</pre>
 *
 * @param version the version, to write against
 * @param mappings the mappings, in the backend's order
 * @param accounts the whole-account mappings (aws-auth {@code mapAccounts}), as 12-digit ids
 */
public record IdentitySnapshot(
    Version version, List<IdentityMapping> mappings, List<String> accounts) {
  /** Copies the lists. */
  public IdentitySnapshot {
    Objects.requireNonNull(version, "version");
    mappings = List.copyOf(mappings);
    accounts = List.copyOf(accounts);
  }
}
