package dev.eksaccess.api.spi;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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
 * @param sources where each mapping is written, by its principal's ARN, when the backend knows
 * @param complete whether this holds every mapping; a scoped read ({@link
 *     IdentityBackend#read(IdentityQuery)}) may hold only the principals asked for
 */
public record IdentitySnapshot(
    Version version,
    List<IdentityMapping> mappings,
    List<String> accounts,
    Map<String, String> sources,
    boolean complete) {
  /** Copies the lists. */
  public IdentitySnapshot {
    Objects.requireNonNull(version, "version");
    mappings = List.copyOf(mappings);
    accounts = List.copyOf(accounts);
    sources = Map.copyOf(sources);
  }

  /**
   * A complete snapshot.
   *
   * @param version the version, to write against
   * @param mappings the mappings, in the backend's order
   * @param accounts the whole-account mappings (aws-auth {@code mapAccounts}), as 12-digit ids
   * @param sources where each mapping is written, by its principal's ARN, when the backend knows
   */
  public IdentitySnapshot(
      Version version,
      List<IdentityMapping> mappings,
      List<String> accounts,
      Map<String, String> sources) {
    this(version, mappings, accounts, sources, true);
  }

  /**
   * A complete snapshot that says nothing of where its mappings are written.
   *
   * @param version the version, to write against
   * @param mappings the mappings, in the backend's order
   * @param accounts the whole-account mappings (aws-auth {@code mapAccounts}), as 12-digit ids
   */
  public IdentitySnapshot(Version version, List<IdentityMapping> mappings, List<String> accounts) {
    this(version, mappings, accounts, Map.of(), true);
  }

  /**
   * Where a mapping is written, for explanations, such as {@code mapRoles[3] (line 12)}.
   *
   * @param mapping a mapping of this snapshot
   * @return the place, if the backend said
   */
  public Optional<String> sourceOf(IdentityMapping mapping) {
    return Optional.ofNullable(sources.get(mapping.principal().arn().value()));
  }
}
