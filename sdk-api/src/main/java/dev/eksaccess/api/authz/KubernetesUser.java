package dev.eksaccess.api.authz;

import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.InvalidInputException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A Kubernetes user as an authenticator hands it to the authorizer: a name and groups.
 *
 * <pre>{@code
 * KubernetesUser jane = KubernetesUser.of("jane", "acme:devs");
 * KubernetesUser sa = KubernetesUser.serviceAccount("ci", "deployer");
 * KubernetesUser anonymous = KubernetesUser.exactly("system:anonymous", "system:unauthenticated");
 * }</pre>
 *
 * @param name the username
 * @param groups the groups, as given
 * @param implicitGroups whether the authorizer also sees the groups kube-apiserver's authenticators
 *     add ({@link #effectiveGroups()}); false for a user built with {@link #exactly}
 */
public record KubernetesUser(String name, List<String> groups, boolean implicitGroups) {
  private static final String SA_PREFIX = "system:serviceaccount:";

  /**
   * Checks the values and copies the groups.
   *
   * @throws InvalidInputException if the name is empty for a user with implicit groups (only an
   *     authenticator's answer taken {@link #exactly} may have an empty name: aws-iam-authenticator
   *     gives one to an aws-auth mapping without {@code username})
   */
  public KubernetesUser {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty() && implicitGroups) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_USERNAME,
          "user.name",
          name,
          "is empty; name the user, or take an authenticator's answer as is with"
              + " KubernetesUser.exactly(..).");
    }
    groups = List.copyOf(new LinkedHashSet<>(groups));
  }

  /**
   * A user with these groups, to which the authorizer adds the implicit ones.
   *
   * @param name the username
   * @param groups the groups
   */
  public KubernetesUser(String name, List<String> groups) {
    this(name, groups, true);
  }

  /**
   * A user with exactly these groups and no implicit ones (not even {@code system:authenticated}):
   * to ask what an unauthenticated request, or one from an authenticator that adds no groups, may
   * do.
   *
   * <pre>{@code
   * authorizer.decide(KubernetesUser.exactly("system:anonymous", "system:unauthenticated"),
   *     Request.verb("get").nonResourceUrl("/healthz"));
   * }</pre>
   *
   * @param name the username, as the authenticator gave it (possibly empty)
   * @param groups every group the authorizer sees
   * @return the user
   */
  public static KubernetesUser exactly(String name, String... groups) {
    return new KubernetesUser(name, List.of(groups), false);
  }

  /**
   * A user with these groups.
   *
   * @param name the username
   * @param groups the groups
   * @return the user
   */
  public static KubernetesUser of(String name, String... groups) {
    return new KubernetesUser(name, List.of(groups));
  }

  /**
   * A ServiceAccount's user, {@code system:serviceaccount:NAMESPACE:NAME}.
   *
   * @param namespace the ServiceAccount's namespace
   * @param name its name
   * @return the user
   */
  public static KubernetesUser serviceAccount(String namespace, String name) {
    return of(SA_PREFIX + namespace + ":" + name);
  }

  /**
   * The groups the authorizer sees: these, plus {@code system:authenticated} (every authenticated
   * user, {@code system:unauthenticated} for {@code system:anonymous}), plus {@code
   * system:serviceaccounts} and {@code system:serviceaccounts:NAMESPACE} for a ServiceAccount, as
   * kube-apiserver's authenticators add them.
   *
   * @return the groups, given ones first; only the given ones for a user built with {@link
   *     #exactly}
   */
  public List<String> effectiveGroups() {
    if (!implicitGroups) {
      return groups;
    }
    Set<String> all = new LinkedHashSet<>(groups);
    if (name.startsWith(SA_PREFIX)) {
      String[] parts = name.substring(SA_PREFIX.length()).split(":", -1);
      if (parts.length == 2 && !parts[0].isEmpty() && !parts[1].isEmpty()) {
        all.add("system:serviceaccounts");
        all.add("system:serviceaccounts:" + parts[0]);
      }
    }
    all.add(name.equals("system:anonymous") ? "system:unauthenticated" : "system:authenticated");
    return new ArrayList<>(all);
  }

  @Override
  public String toString() {
    return "user \""
        + name
        + "\""
        + (groups.isEmpty() ? "" : ", groups " + groups)
        + (implicitGroups ? "" : " (exactly)");
  }
}
