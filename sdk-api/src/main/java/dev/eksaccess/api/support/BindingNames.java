package dev.eksaccess.api.support;

import dev.eksaccess.api.RoleRef;
import dev.eksaccess.api.spi.RbacSubject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Deterministic, valid names for the bindings the SDK creates: a readable slug plus a hash of the
 * exact role and subjects, so {@code acme:devs} and {@code acme-devs} never collide.
 */
@BackendSupport
public final class BindingNames {
  /** The label every object the SDK creates carries; objects without it are never touched. */
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

  /** The value of {@link #MANAGED_BY}. */
  public static final String MANAGER = "eks-access";

  private static final int MAX = 63;

  private BindingNames() {}

  /** The name for a binding of {@code role} to {@code subjects}. */
  public static String of(RoleRef role, List<RbacSubject> subjects) {
    String key =
        role.getClass().getSimpleName()
            + ":"
            + role.name()
            + "|"
            + subjects.stream().map(RbacSubject::toString).collect(Collectors.joining(","));
    String hash = sha256(key).substring(0, 8);
    String slug =
        slug(
            role.name()
                + "-"
                + subjects.stream().map(RbacSubject::name).collect(Collectors.joining("-")));
    String prefix = "eks-access-";
    int room = MAX - prefix.length() - hash.length() - 1;
    if (slug.length() > room) {
      slug = slug.substring(0, room).replaceAll("-+$", "");
    }
    String name = prefix + (slug.isEmpty() ? "" : slug + "-") + hash;
    if (!Names.isDns1123Subdomain(name)) {
      throw new IllegalStateException("generated an invalid binding name: " + name);
    }
    return name;
  }

  private static String slug(String text) {
    return text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
  }

  private static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
