package dev.eksaccess.api;

import dev.eksaccess.api.internal.DeadAccess;
import dev.eksaccess.api.spi.IdentityBackend;
import dev.eksaccess.api.spi.IdentityChange;
import dev.eksaccess.api.spi.IdentityChanges;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.IdentityQuery;
import dev.eksaccess.api.spi.IdentitySnapshot;
import dev.eksaccess.api.spi.PolicyAssociation;
import dev.eksaccess.api.spi.WriteResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The plan that brings dead access entries back to life: each access entry bound to a role that was
 * deleted and created again is deleted and created again with the same username, groups and
 * policies, so EKS binds it to the live role's id (EKS user guide and API reference: "delete and
 * recreate the entry"). Nothing is written until {@link #apply()}; print it first. Made by {@link
 * ClusterAccess#planRepairDeadAccess()}.
 *
 * <pre>{@code
 * DeadAccessRepair repair = prod.planRepairDeadAccess();
 * System.out.println(repair);
 * // -/+ access entry arn:aws:iam::111122223333:role/DevTeamRole
 * //       bound to a deleted role; created again for the role of id AROANEW (created ...)
 * //       groups acme:devs
 * repair.apply();
 * }</pre>
 *
 * <p>Recreating an entry gives its access to whoever holds the role now: review who created the
 * role again before applying. aws-auth has nothing to recreate (it matches ARNs as text, so a role
 * created again under the same name is matched again); its mappings to roles IAM no longer has are
 * listed in {@link #notes()}: revoke them, or create the role.
 */
public final class DeadAccessRepair {
  private final ClusterAccess cluster;
  private final List<DeadAccess.Dead> dead;
  private final List<Change> changes;
  private final List<String> notes;

  DeadAccessRepair(
      ClusterAccess cluster, List<DeadAccess.Dead> dead, List<Change> changes, List<String> notes) {
    this.cluster = cluster;
    this.dead = List.copyOf(dead);
    this.changes = List.copyOf(changes);
    this.notes = List.copyOf(notes);
  }

  static DeadAccessRepair of(
      ClusterAccess cluster, List<DeadAccess.Dead> found, List<Audit.Finding> findings) {
    List<DeadAccess.Dead> dead = new ArrayList<>();
    List<Change> changes = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (DeadAccess.Dead d : found) {
      IdentityMapping m = d.mapping();
      if (m.groups().contains("system:nodes")) {
        // the SPI does not carry the entry type, and a node entry created again as STANDARD would
        // not let nodes join; EKS recreates managed node group entries itself
        notes.add(
            "access entry "
                + m.principal()
                + " is a node entry bound to a deleted role: recreate it with its type (aws eks"
                + " delete-access-entry, then create-access-entry --type EC2_LINUX or the type it"
                + " had); eks-access does not recreate node entries.");
        continue;
      }
      dead.add(d);
      List<String> details = new ArrayList<>();
      details.add(
          "bound to a deleted role; created again for the role of id "
              + d.role().roleId()
              + " (created "
              + d.role().createDate()
              + ", after the entry's "
              + d.entryCreated()
              + "): whoever holds that role gets this access");
      m.username().ifPresent(u -> details.add("username " + u));
      if (!m.groups().isEmpty()) {
        details.add("groups " + String.join(", ", m.groups()));
      }
      for (PolicyAssociation p : m.policies()) {
        details.add("policy " + p);
      }
      changes.add(
          new Change(
              Change.Layer.IDENTITY,
              Change.Action.REPLACE,
              "access entry " + m.principal(),
              details));
    }
    for (Audit.Finding f : findings) {
      if (f.code() == Audit.Finding.Code.MAPPING_TO_MISSING_ROLE
          || f.code() == Audit.Finding.Code.IAM_LOOKUP_FAILED) {
        notes.add(f.toString());
      }
    }
    return new DeadAccessRepair(cluster, dead, changes, notes);
  }

  /**
   * The entries to delete and create again, one {@link Change.Action#REPLACE} each.
   *
   * @return the changes
   */
  public List<Change> changes() {
    return changes;
  }

  /**
   * What the repair does not do and a person should: mappings to roles IAM no longer has (revoke
   * them or create the role), node entries, roles IAM could not be asked about.
   *
   * @return one line each
   */
  public List<String> notes() {
    return notes;
  }

  /**
   * Whether there is nothing to recreate.
   *
   * @return true without changes
   */
  public boolean isEmpty() {
    return changes.isEmpty();
  }

  /**
   * Deletes each dead entry and creates it again, one entry at a time; an entry that changed since
   * the repair was planned is not touched.
   *
   * @return the changes made and the number of remote writes
   * @throws ConflictException if an entry changed since the repair was planned; the entries before
   *     it were repaired, nothing of it was written
   * @throws IncompleteApplyException if an entry was deleted and creating it again failed: the
   *     exception names the entry and what it held, to create again by hand or by applying a grant
   */
  public ApplyResult apply() {
    return cluster.events().observe(Operation.Kind.APPLY, op -> cluster.within(this::applyNow));
  }

  private ApplyResult applyNow() {
    IdentityBackend ids = cluster.identities();
    List<Change> applied = new ArrayList<>();
    int writes = 0;
    for (int i = 0; i < dead.size(); i++) {
      DeadAccess.Dead d = dead.get(i);
      IdentityMapping want = d.mapping();
      Principal p = want.principal();
      IdentitySnapshot now =
          cluster.retries().reading(() -> ids.read(IdentityQuery.of(List.of(p))));
      Optional<IdentityMapping> have =
          now.mappings().stream().filter(m -> m.principal().equals(p)).findFirst();
      if (have.isEmpty()
          || !have.get().equals(want)
          || !now.createdAtOf(have.get()).equals(Optional.of(d.entryCreated()))) {
        throw new ConflictException(
            "the access entry of "
                + p
                + " changed since the repair was planned"
                + (applied.isEmpty() ? "" : " (the entries before it were repaired)")
                + "; nothing of it was written. Plan the repair again.",
            null);
      }
      Deadline.checkCurrent("the repair of " + p);
      WriteResult removed =
          ids.write(IdentityChanges.of(List.of(new IdentityChange.Remove(p))), now.version());
      writes += removed.writes();
      try {
        // once deleted, the entry is created again whatever the deadline: a gap is worse
        writes +=
            Deadline.suspended(
                () -> {
                  IdentitySnapshot gone = ids.read(IdentityQuery.of(List.of(p)));
                  return ids.write(
                          IdentityChanges.of(List.of(new IdentityChange.Put(want))), gone.version())
                      .writes();
                });
      } catch (EksAccessException e) {
        throw new IncompleteApplyException(
            "the dead access entry of "
                + p
                + " was deleted, and creating it again failed: "
                + e.getMessage()
                + " The cluster has no entry for it now; create it again with "
                + changes.get(i).details().subList(1, changes.get(i).details().size())
                + " (plan the grant, or aws eks create-access-entry).",
            applied,
            List.of("no access entry for " + p + " (it was deleted to be created again)"),
            e);
      }
      applied.add(changes.get(i));
    }
    return new ApplyResult(applied, writes);
  }

  /** Reads like a plan: the replacements, then the notes. */
  @Override
  public String toString() {
    StringBuilder s =
        new StringBuilder("Repair of dead access in cluster ")
            .append(cluster.clusterName())
            .append(": ")
            .append(changes.size())
            .append(changes.size() == 1 ? " entry to recreate\n" : " entries to recreate\n");
    changes.forEach(c -> s.append(c).append('\n'));
    if (!notes.isEmpty()) {
      s.append("Not repaired here:\n");
      notes.forEach(n -> s.append("  ").append(n).append('\n'));
    }
    return s.toString();
  }
}
