package dev.eksaccess.api;

import dev.eksaccess.api.support.Names;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Who a principal becomes in Kubernetes: an optional username (which may hold templates such as
 * {@code {{SessionName}}}) and groups. With no username, the backend's default applies (EKS uses
 * the session ARN for roles and the user ARN for users).
 *
 * <pre>{@code
 * Subject.ofGroups("acme:devs");
 * Subject.ofUser("dev:{{SessionName}}", List.of("acme:devs"));
 * }</pre>
 *
 * @param username the username template, if one is set
 * @param groups the groups, in order, without duplicates
 */
public record Subject(Optional<String> username, List<String> groups) {
  /**
   * Checks the username and every group.
   *
   * @throws InvalidInputException ({@link ErrorCode#INVALID_USERNAME} or {@link
   *     ErrorCode#INVALID_GROUP}) naming the bad value
   */
  public Subject {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(groups, "groups");
    username.ifPresent(
        u -> Names.require(Names.username(u, "username"), ErrorCode.INVALID_USERNAME));
    groups = List.copyOf(new LinkedHashSet<>(Names.groups(groups, "groups")));
    if (username.isEmpty() && groups.isEmpty()) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_GRANT,
          "subject",
          null,
          "has neither a username nor a group; give at least one group.");
    }
  }

  /**
   * A subject that is only groups; the backend picks the username.
   *
   * @param first a group
   * @param more further groups
   * @return the subject
   * @throws InvalidInputException if a group name would not work
   */
  public static Subject ofGroups(String first, String... more) {
    List<String> all = new java.util.ArrayList<>();
    all.add(first);
    all.addAll(List.of(more));
    return new Subject(Optional.empty(), all);
  }

  /**
   * A subject with a username (template) and groups.
   *
   * @param username the username, such as {@code dev:{{SessionName}}}
   * @param groups the groups, possibly empty
   * @return the subject
   * @throws InvalidInputException if the username or a group would not work
   */
  public static Subject ofUser(String username, List<String> groups) {
    return new Subject(Optional.of(username), groups);
  }

  @Override
  public String toString() {
    return username.map(u -> "user \"" + u + "\"" + (groups.isEmpty() ? "" : " in ")).orElse("")
        + (groups.isEmpty() ? "" : "groups " + groups);
  }
}
