package dev.eksaccess.api.support;

import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.IamUser;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.Principal;
import dev.eksaccess.api.spi.RbacBinding;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The principals a binding eks-access manages was granted for, kept on the binding as the
 * annotation {@value #KEY} (one ARN a line, sorted). It is the binding's reference count: a revoke
 * removes its principal, and the binding goes when no principal is left, so the clean-up of a
 * revoke needs neither a read of every mapping nor a cross-layer lock, and a concurrent grant of
 * the same binding moves its version and makes a racing delete fail its precondition.
 */
@BackendSupport
public final class GrantedFor {
  /** The annotation's key. */
  public static final String KEY = "eks-access.dev/granted-for";

  private GrantedFor() {}

  /**
   * Whether the binding records whom it was granted for; bindings made before eks-access kept the
   * record do not.
   */
  public static boolean isRecorded(RbacBinding b) {
    return b.annotations().containsKey(KEY);
  }

  /** The ARNs recorded on the binding, as written. */
  public static List<String> arns(RbacBinding b) {
    String v = b.annotations().get(KEY);
    List<String> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    for (String line : v.split("\n", -1)) {
      if (!line.isBlank()) {
        out.add(line.strip());
      }
    }
    return out;
  }

  /** Whether the binding lists this principal, matched as EKS matches (whatever path or case). */
  public static boolean lists(RbacBinding b, Principal p) {
    String key = PrincipalKeys.iamPrincipal(p);
    return arns(b).stream().anyMatch(a -> keyOf(a).map(key::equals).orElse(false));
  }

  /** The binding with these principals added; unchanged if it lists them already. */
  public static RbacBinding adding(RbacBinding b, Collection<Principal> principals) {
    List<String> arns = arns(b);
    for (Principal p : principals) {
      if (!lists(b.withAnnotations(with(b.annotations(), arns)), p)) {
        arns.add(p.arn().value());
      }
    }
    return b.withAnnotations(with(b.annotations(), arns));
  }

  /**
   * The binding with these principals removed. Lines eks-access cannot parse are kept: they are
   * someone's, and never dropped.
   */
  public static RbacBinding removing(RbacBinding b, Collection<Principal> principals) {
    List<String> keys = principals.stream().map(PrincipalKeys::iamPrincipal).toList();
    List<String> left = new ArrayList<>();
    for (String a : arns(b)) {
      Optional<String> k = keyOf(a);
      if (k.isEmpty() || !keys.contains(k.get())) {
        left.add(a);
      }
    }
    return b.withAnnotations(with(b.annotations(), left));
  }

  /**
   * The annotations with the record set to these ARNs; with none, the record goes, and the binding
   * is again one whose users only the mappings tell.
   */
  private static Map<String, String> with(Map<String, String> annotations, List<String> arns) {
    Map<String, String> out = new LinkedHashMap<>(annotations);
    if (arns.isEmpty()) {
      out.remove(KEY);
    } else {
      out.put(KEY, String.join("\n", new TreeSet<>(arns)));
    }
    return out;
  }

  private static Optional<String> keyOf(String arn) {
    try {
      Principal p = arn.contains(":role/") ? IamRole.of(arn) : IamUser.of(arn);
      return Optional.of(PrincipalKeys.iamPrincipal(p));
    } catch (InvalidInputException e) {
      return Optional.empty();
    }
  }
}
