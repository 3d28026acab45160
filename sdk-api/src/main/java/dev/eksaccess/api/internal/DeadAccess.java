package dev.eksaccess.api.internal;

import dev.eksaccess.api.Audit;
import dev.eksaccess.api.EksAccessException;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.spi.IamDirectory;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.IdentitySnapshot;
import dev.eksaccess.api.spi.PrincipalMatching;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Finds access that IAM has left dead: mappings and entries that name a role IAM no longer has, and
 * access entries bound to a role that was deleted and created again under the same name (EKS binds
 * an entry to the role's unique id when the entry is created, so the new role matches nothing; the
 * EKS API reference on {@code AccessEntry.principalArn}). One {@code GetRole} per distinct role, at
 * most {@link #MAX_LOOKUPS}; an IAM failure becomes a finding, never an exception, and a refusal
 * (AccessDenied) stops the lookups, since every further one would be refused too.
 */
public final class DeadAccess {
  /** The most roles one audit asks IAM about. */
  public static final int MAX_LOOKUPS = 1000;

  private DeadAccess() {}

  /**
   * An access entry bound to a role that was created again after it.
   *
   * @param mapping the entry as read
   * @param entryCreated when the entry was created
   * @param role the role IAM has now under that name
   */
  public record Dead(
      IdentityMapping mapping, Instant entryCreated, IamDirectory.RoleDetails role) {}

  /**
   * What the check found.
   *
   * @param findings the findings, in mapping order
   * @param dead the entries a repair can recreate
   * @param lookups how many roles IAM was asked about
   */
  public record Result(List<Audit.Finding> findings, List<Dead> dead, int lookups) {
    public Result {
      findings = List.copyOf(findings);
      dead = List.copyOf(dead);
    }
  }

  /** What IAM said of one role: its details, that it is missing, or why it could not say. */
  private record Answer(IamDirectory.@Nullable RoleDetails role, @Nullable String failure) {}

  /**
   * Checks every role mapping of {@code ids} against {@code iam}.
   *
   * @param ids the mappings
   * @param matching the backend's matching rule (aws-auth or Access Entries)
   * @param backend the backend's name, for messages
   * @param iam the directory
   * @return the findings and the dead entries
   */
  public static Result check(
      IdentitySnapshot ids, PrincipalMatching matching, String backend, IamDirectory iam) {
    boolean entries = matching == PrincipalMatching.IAM_PRINCIPAL;
    Map<String, Answer> answers = new LinkedHashMap<>();
    List<Audit.Finding> findings = new ArrayList<>();
    List<Dead> dead = new ArrayList<>();
    @Nullable String stopped = null;
    int notChecked = 0;
    int lookups = 0;
    for (IdentityMapping m : ids.mappings()) {
      if (!(m.principal() instanceof IamRole role) || !iam.covers(role.accountId())) {
        continue; // IAM answers for roles of its own account; users are not looked up
      }
      String key = role.accountId() + "/" + role.name().toLowerCase(Locale.ROOT);
      Answer a = answers.get(key);
      if (a == null) {
        if (stopped != null || lookups >= MAX_LOOKUPS) {
          notChecked++;
          continue;
        }
        lookups++;
        try {
          a = new Answer(iam.role(role.accountId(), role.name()).orElse(null), null);
        } catch (EksAccessException e) {
          a = new Answer(null, e.getMessage());
          if (!e.retryable()) {
            stopped = e.getMessage();
          }
        }
        answers.put(key, a);
      }
      String object = (entries ? "access entry " : "mapping ") + role;
      String failure = a.failure();
      IamDirectory.RoleDetails now = a.role();
      if (failure != null) {
        findings.add(
            new Audit.Finding(
                Audit.Finding.Code.IAM_LOOKUP_FAILED,
                object,
                "could not be checked against IAM, so whether it is dead is unknown: " + failure));
      } else if (now == null) {
        findings.add(
            new Audit.Finding(
                Audit.Finding.Code.MAPPING_TO_MISSING_ROLE,
                object,
                entries
                    ? "names a role IAM does not have, so it lets no one in. EKS bound the entry"
                        + " to the deleted role's unique id: a role created again with this name"
                        + " will not match it either. Revoke it (planRevoke), and grant the new"
                        + " role once it exists."
                    : "names a role IAM does not have, so it lets no one in. aws-auth compares"
                        + " ARNs as text: whoever creates a role of this name in account "
                        + role.accountId()
                        + " gets this mapping's access. Revoke it (planRevoke) unless that is"
                        + " meant."));
      } else if (entries && !now.role().path().equals(role.path())) {
        findings.add(
            new Audit.Finding(
                Audit.Finding.Code.MAPPING_TO_MISSING_ROLE,
                object,
                "names the role under path "
                    + role.path()
                    + ", and IAM has "
                    + role.name()
                    + " under "
                    + now.role().path()
                    + " ("
                    + now.role()
                    + "): a different role, created after the one this entry was made for, so"
                    + " the entry lets no one in. Revoke it (planRevoke) and grant "
                    + now.role()
                    + "."));
      } else if (entries) {
        Optional<Instant> created = ids.createdAtOf(m);
        if (created.isPresent() && now.createDate().isAfter(created.get())) {
          findings.add(
              new Audit.Finding(
                  Audit.Finding.Code.DEAD_ENTRY_ROLE_RECREATED,
                  object,
                  "was created at "
                      + created.get()
                      + ", and IAM's role of this name (id "
                      + now.roleId()
                      + ") at "
                      + now.createDate()
                      + ": the role was deleted and created again, and EKS keeps the entry bound"
                      + " to the old role's id, so the entry lets no one in (\"it worked"
                      + " yesterday\"). Delete the entry and create it again with the same groups"
                      + " and policies: ClusterAccess.planRepairDeadAccess() shows that plan."));
          dead.add(new Dead(m, created.get(), now));
        }
      }
    }
    if (notChecked > 0) {
      findings.add(
          new Audit.Finding(
              Audit.Finding.Code.IAM_LOOKUP_FAILED,
              backend,
              notChecked
                  + " role mapping(s) were not checked against IAM: "
                  + (stopped != null
                      ? "IAM refused an earlier lookup (" + stopped + ")"
                      : "an audit asks IAM about at most " + MAX_LOOKUPS + " roles")
                  + "."));
    }
    return new Result(findings, dead, lookups);
  }
}
