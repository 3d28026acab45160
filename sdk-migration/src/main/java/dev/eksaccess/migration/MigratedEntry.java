package dev.eksaccess.migration;

import dev.eksaccess.accessentries.AccessEntryType;
import dev.eksaccess.api.Principal;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.awsauth.MappingSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One access entry a migration creates, and the aws-auth entry it replaces.
 *
 * <pre>{@code
 * plan.entries().forEach(e -> System.out.println(e.source() + " → " + e));
 * }</pre>
 *
 * @param source the aws-auth entry (section, index, line)
 * @param type the entry type: STANDARD, or a node type
 * @param mapping the principal (with its IAM path), username, groups and policies; for a node type
 *     only the principal counts, EKS sets the rest
 * @param notes what changed on the way and why (a path restored, {@code system:masters} turned into
 *     AmazonEKSClusterAdminPolicy, a username EKS would refuse dropped)
 */
public record MigratedEntry(
    MappingSource source, AccessEntryType type, IdentityMapping mapping, List<String> notes) {
  /** Checks for nulls and copies the notes. */
  public MigratedEntry {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(mapping, "mapping");
    notes = List.copyOf(notes);
  }

  /**
   * The principal the entry is for.
   *
   * @return the role or user, with its IAM path
   */
  public Principal principal() {
    return mapping.principal();
  }

  /**
   * The username the entry sets; empty for EKS's default (and for node types).
   *
   * @return the username
   */
  public Optional<String> username() {
    return mapping.username();
  }

  @Override
  public String toString() {
    return type
        + " "
        + mapping.principal().arn()
        + (type.isNode()
            ? ""
            : " username "
                + mapping.username().orElse("(EKS default)")
                + " groups "
                + mapping.groups()
                + (mapping.policies().isEmpty() ? "" : " policies " + mapping.policies()));
  }
}
