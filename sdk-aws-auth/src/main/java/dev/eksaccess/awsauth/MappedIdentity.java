package dev.eksaccess.awsauth;

import java.util.List;
import java.util.Objects;

/**
 * The Kubernetes identity aws-auth gives a caller: username and groups with templates rendered for
 * the caller's session, and the entry they come from.
 *
 * <pre>{@code
 * MappedIdentity id = doc.resolve(caller).orElseThrow();
 * id.username();   // "dev:jane"
 * id.groups();     // [acme:devs]
 * id.source();     // mapRoles[0] (line 1)
 * }</pre>
 *
 * @param username the rendered username; empty when the entry has none, as EKS does
 * @param groups the rendered groups
 * @param source the entry, or the {@code mapAccounts} item, that mapped the caller
 */
public record MappedIdentity(String username, List<String> groups, MappingSource source) {
  /** Checks for nulls and copies the groups. */
  public MappedIdentity {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(source, "source");
    groups = List.copyOf(groups);
  }
}
