package dev.eksaccess.api.spi;

import java.time.Instant;
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
 * @param unreadable what the cluster skips as unreadable, each with where and why, such as an
 *     aws-auth {@code mapRoles} EKS cannot parse: mappings written there count for no one
 * @param createdAt when each mapping was created, by its principal's ARN, when the backend knows
 *     (Access Entries: the entry's {@code createdAt}); audit compares it with the IAM role's
 *     creation to find entries bound to a role that was deleted and created again
 */
public record IdentitySnapshot(
    Version version,
    List<IdentityMapping> mappings,
    List<String> accounts,
    Map<String, String> sources,
    boolean complete,
    List<String> unreadable,
    Map<String, Instant> createdAt) {
  /** Copies the collections. */
  public IdentitySnapshot {
    Objects.requireNonNull(version, "version");
    mappings = List.copyOf(mappings);
    accounts = List.copyOf(accounts);
    sources = Map.copyOf(sources);
    unreadable = List.copyOf(unreadable);
    createdAt = Map.copyOf(createdAt);
  }

  /**
   * A snapshot that says nothing of when its mappings were created.
   *
   * @param version the version, to write against
   * @param mappings the mappings, in the backend's order
   * @param accounts the whole-account mappings (aws-auth {@code mapAccounts}), as 12-digit ids
   * @param sources where each mapping is written, by its principal's ARN, when the backend knows
   * @param complete whether this holds every mapping
   * @param unreadable what the cluster skips as unreadable, each with where and why
   */
  public IdentitySnapshot(
      Version version,
      List<IdentityMapping> mappings,
      List<String> accounts,
      Map<String, String> sources,
      boolean complete,
      List<String> unreadable) {
    this(version, mappings, accounts, sources, complete, unreadable, Map.of());
  }

  /**
   * A snapshot in which the cluster skips nothing as unreadable.
   *
   * @param version the version, to write against
   * @param mappings the mappings, in the backend's order
   * @param accounts the whole-account mappings (aws-auth {@code mapAccounts}), as 12-digit ids
   * @param sources where each mapping is written, by its principal's ARN, when the backend knows
   * @param complete whether this holds every mapping
   */
  public IdentitySnapshot(
      Version version,
      List<IdentityMapping> mappings,
      List<String> accounts,
      Map<String, String> sources,
      boolean complete) {
    this(version, mappings, accounts, sources, complete, List.of());
  }

  /**
   * This snapshot, noting what the cluster skips as unreadable; explain names it when it is why a
   * caller is denied.
   *
   * <pre>{@code
   * return snapshot.withUnreadable(List.of("mapRoles line 3 column 1: not valid YAML"));
   * }</pre>
   *
   * @param unreadable each skipped part, with where and why
   * @return the snapshot
   */
  public IdentitySnapshot withUnreadable(List<String> unreadable) {
    return new IdentitySnapshot(
        version, mappings, accounts, sources, complete, unreadable, createdAt);
  }

  /**
   * This snapshot, noting when each mapping was created (Access Entries: each entry's {@code
   * createdAt}).
   *
   * <pre>{@code
   * return snapshot.withCreatedAt(Map.of(roleArn, Instant.parse("2026-01-01T00:00:00Z")));
   * }</pre>
   *
   * @param createdAt the creation time of each mapping, by its principal's ARN
   * @return the snapshot
   */
  public IdentitySnapshot withCreatedAt(Map<String, Instant> createdAt) {
    return new IdentitySnapshot(
        version, mappings, accounts, sources, complete, unreadable, createdAt);
  }

  /**
   * When a mapping was created, if the backend said.
   *
   * @param mapping a mapping of this snapshot
   * @return the creation time
   */
  public Optional<Instant> createdAtOf(IdentityMapping mapping) {
    return Optional.ofNullable(createdAt.get(mapping.principal().arn().value()));
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
    this(version, mappings, accounts, sources, true, List.of());
  }

  /**
   * A complete snapshot that says nothing of where its mappings are written.
   *
   * @param version the version, to write against
   * @param mappings the mappings, in the backend's order
   * @param accounts the whole-account mappings (aws-auth {@code mapAccounts}), as 12-digit ids
   */
  public IdentitySnapshot(Version version, List<IdentityMapping> mappings, List<String> accounts) {
    this(version, mappings, accounts, Map.of(), true, List.of());
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
