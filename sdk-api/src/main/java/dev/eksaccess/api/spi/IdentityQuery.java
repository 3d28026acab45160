package dev.eksaccess.api.spi;

import dev.eksaccess.api.Principal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What a scoped identity read must return: the mappings of some principals, so that planning a
 * grant or explaining one caller reads what it touches and not the whole cluster.
 *
 * <ul>
 *   <li>{@link #principals()}: read as given. On Access Entries one {@code DescribeAccessEntry}
 *       each: a grant names the role as IAM has it, and EKS refuses another path.
 *   <li>{@link #anyPath()}: also found under another IAM path, as EKS matches a caller (by the IAM
 *       principal, whatever the path). A revoke must find the entry however the role was named, and
 *       a caller's session never reports the path; on Access Entries a miss then lists the entries
 *       to look for the role's name.
 * </ul>
 *
 * <pre>{@code
 * IdentitySnapshot some = ids.read(IdentityQuery.of(List.of(devRole)).withAnyPath(List.of(oldRole)));
 * }</pre>
 *
 * @param principals principals read as given
 * @param anyPath principals read whatever path their entry names
 */
public record IdentityQuery(List<Principal> principals, List<Principal> anyPath) {
  /** Copies the lists. */
  public IdentityQuery {
    principals = List.copyOf(principals);
    anyPath = List.copyOf(anyPath);
  }

  /**
   * These principals, as given.
   *
   * @param principals the principals
   * @return the query
   */
  public static IdentityQuery of(Collection<? extends Principal> principals) {
    return new IdentityQuery(List.copyOf(principals), List.of());
  }

  /**
   * The same query, with these principals found under any IAM path too.
   *
   * @param more the principals
   * @return the query
   */
  public IdentityQuery withAnyPath(Collection<? extends Principal> more) {
    List<Principal> all = new ArrayList<>(anyPath);
    all.addAll(more);
    return new IdentityQuery(principals, all);
  }

  /**
   * Every principal of the query.
   *
   * @return the principals as given, then those found under any path
   */
  public List<Principal> all() {
    List<Principal> all = new ArrayList<>(principals);
    all.addAll(anyPath);
    return all;
  }
}
