package dev.eksaccess.migration;

import dev.eksaccess.accessentries.AccessEntriesBackend;
import dev.eksaccess.accessentries.AccessEntryType;
import dev.eksaccess.api.AccessPolicy;
import dev.eksaccess.api.BreakGlass;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.ManagedEntry;
import dev.eksaccess.api.Principal;
import dev.eksaccess.api.Scope;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.PolicyAssociation;
import dev.eksaccess.api.support.AccessEntryRules;
import dev.eksaccess.api.support.PrincipalKeys;
import dev.eksaccess.awsauth.AwsAuthDocument;
import dev.eksaccess.awsauth.AwsAuthEntry;
import dev.eksaccess.awsauth.SectionError;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Plans the move of a cluster from aws-auth to Access Entries. It only reads: the {@link
 * MigrationPlan} it returns does nothing until each of its steps is called.
 *
 * <p>How each aws-auth mapping becomes an entry (the mapping in force for each ARN; duplicates
 * shadowed by a later one are ignored, as EKS ignores them):
 *
 * <ul>
 *   <li>a role or user → a STANDARD entry with the mapping's username and groups, named with its
 *       real IAM path (from the {@link RoleResolver}); a principal IAM no longer has is a blocker;
 *   <li>{@code system:masters} → AmazonEKSClusterAdminPolicy at cluster scope, other groups kept;
 *   <li>a node role ({@code system:node:{{EC2PrivateDNSName}}}) → EC2_LINUX, or EC2_WINDOWS with
 *       {@code eks:kube-proxy-windows}; a {@code system:node:{{SessionName}}} role → FARGATE_LINUX
 *       with {@code system:node-proxier}, else HYBRID_LINUX;
 *   <li>a principal that already has an entry → skipped (EKS created it, or an earlier run did);
 *   <li>not representable, and so blocking the move to API: {@code mapAccounts}, service-linked
 *       roles, other {@code system:} groups, usernames EKS refuses, sections EKS cannot read.
 * </ul>
 *
 * <pre>{@code
 * MigrationPlan plan = Migration.fromAwsAuth(
 *     awsAuth.document(), entries, RoleResolver.iam(iam, "111122223333"));
 * System.out.println(plan);
 * plan.switchToApiAndConfigMap(modes);
 * plan.createEntries(entries);
 * plan.verify(entries);               // every principal maps as before?
 * plan.switchToApi(modes, entries, awsAuth); // refused while anything blocks
 * plan.removeAwsAuth(modes, awsAuth, awsAuthVersion);
 * }</pre>
 */
public final class Migration {
  private static final String MASTERS = "system:masters";
  private static final String EC2_NODE = "system:node:{{EC2PrivateDNSName}}";
  private static final String SESSION_NODE = "system:node:{{SessionName}}";

  private Migration() {}

  /**
   * Plans the migration against the cluster's current access entries.
   *
   * @param awsAuth the aws-auth document, as read from the cluster
   * @param entries the cluster's Access Entries backend (read, not written; a {@code CONFIG_MAP}
   *     cluster has none)
   * @param resolver how to find each principal's IAM path
   * @return the plan
   */
  public static MigrationPlan fromAwsAuth(
      AwsAuthDocument awsAuth, AccessEntriesBackend entries, RoleResolver resolver) {
    // a CONFIG_MAP cluster has no entries yet (EKS refuses to list them), which is where most start
    List<IdentityMapping> existing = entries.isEnabled() ? entries.read().mappings() : List.of();
    return fromAwsAuth(awsAuth, existing, resolver);
  }

  /**
   * Plans the migration offline, against a known list of existing entries.
   *
   * @param awsAuth the aws-auth document
   * @param existing the principals that already have access entries
   * @param resolver how to find each principal's IAM path
   * @return the plan
   */
  public static MigrationPlan fromAwsAuth(
      AwsAuthDocument awsAuth, List<IdentityMapping> existing, RoleResolver resolver) {
    Objects.requireNonNull(awsAuth, "awsAuth");
    Objects.requireNonNull(existing, "existing");
    Objects.requireNonNull(resolver, "resolver");
    List<MigratedEntry> out = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    List<MigrationPlan.Blocker> blockers = new ArrayList<>();
    for (SectionError e : awsAuth.sectionErrors()) {
      blockers.add(
          new MigrationPlan.Blocker(
              MigrationPlan.Blocker.Reason.UNREADABLE_SECTION,
              e.section().key()
                  + " cannot be read by EKS ("
                  + e.problem()
                  + "); repair aws-auth first so that nothing in it is silently left behind."));
    }
    for (String account : awsAuth.accounts()) {
      blockers.add(
          new MigrationPlan.Blocker(
              MigrationPlan.Blocker.Reason.ACCOUNT_MAPPING,
              "mapAccounts "
                  + account
                  + ": Access Entries cannot map a whole account; create an entry per role or user"
                  + " of that account."));
    }
    for (AwsAuthEntry e : awsAuth.roleMappings()) {
      if (e.sso().isPresent()) {
        blockers.add(
            new MigrationPlan.Blocker(
                MigrationPlan.Blocker.Reason.SSO_MAPPING,
                e.source()
                    + " is an sso: mapping; map the Identity Center role by its ARN (with its"
                    + " aws-reserved path) instead."));
      }
    }
    // EKS matches both sections (mapRoles first, the last duplicate wins), so a role ARN under
    // mapUsers is the role's mapping and migrates as one
    for (AwsAuthEntry e : awsAuth.mappingsInForce()) {
      Optional<Principal> principal = e.principal();
      if (principal.isEmpty()) {
        blockers.add(
            new MigrationPlan.Blocker(
                MigrationPlan.Blocker.Reason.NOT_AN_IAM_PRINCIPAL,
                e.source() + " names " + e.arn() + ", which is no IAM role or user ARN."));
        continue;
      }
      Principal written = principal.get();
      boolean role = written instanceof IamRole;
      if (written instanceof IamRole r && r.isServiceLinked()) {
        blockers.add(
            new MigrationPlan.Blocker(
                MigrationPlan.Blocker.Reason.SERVICE_LINKED_ROLE,
                e.source()
                    + " maps the service-linked role "
                    + e.arn()
                    + ", which Access Entries refuse; EKS gives the service its own access."));
        continue;
      }
      if (e.username().orElse("").equals(BreakGlass.AWS_AUTH_USERNAME)
          && e.groups().contains(MASTERS)) {
        // its expiry lives in a ConfigMap annotation that an access entry would not carry over:
        // migrated, a temporary admin would become a permanent one
        blockers.add(
            new MigrationPlan.Blocker(
                MigrationPlan.Blocker.Reason.BREAK_GLASS,
                e.source()
                    + " maps "
                    + e.arn()
                    + " for break-glass, which expires; let it expire (ClusterAccess.expireBreakGlass())"
                    + " or revoke it before migrating, and grant break-glass again after the switch if"
                    + " it is still needed."));
        continue;
      }
      Optional<IdentityMapping> entry =
          existing.stream().filter(m -> sameIdentity(m.principal(), written)).findFirst();
      if (entry.isPresent()) {
        Optional<ManagedEntry.Kind> managed = ManagedEntry.kindOf(entry.get());
        skipped.add(
            e.source()
                + " "
                + e.arn()
                + (managed.isPresent()
                    ? ": already has an AWS-managed access entry ("
                        + managed.get()
                        + "), which EKS keeps; it is left as it is."
                    : ": already has an access entry."));
        continue;
      }
      Optional<Principal> real = resolver.resolve(written);
      if (real.isEmpty()) {
        blockers.add(
            new MigrationPlan.Blocker(
                MigrationPlan.Blocker.Reason.PRINCIPAL_NOT_IN_IAM,
                e.source()
                    + " maps "
                    + e.arn()
                    + ", which IAM no longer has; delete the mapping, or create the "
                    + (role ? "role" : "user")
                    + " again."));
        continue;
      }
      try {
        migrate(e, real.get(), written, out, blockers);
      } catch (InvalidInputException cannotCarry) {
        // a name aws-auth holds that no access entry could (a control character, a placeholder EKS
        // does not know): EKS reads the entry, so the migration must not drop it silently
        blockers.add(
            new MigrationPlan.Blocker(
                MigrationPlan.Blocker.Reason.NAME_NOT_CARRIED,
                e.source()
                    + " maps "
                    + e.arn()
                    + " to a username or group an access entry cannot carry ("
                    + cannotCarry.problems().get(0)
                    + "); correct it in aws-auth first."));
      }
    }
    return new MigrationPlan(out, skipped, blockers, MigrationPlan.mappings(awsAuth));
  }

  /** The groups EKS gives node entries of some type; anything else on a node role is lost. */
  private static final Set<String> NODE_GROUPS =
      Set.of(
          "system:bootstrappers", "system:nodes", "eks:kube-proxy-windows", "system:node-proxier");

  private static void migrate(
      AwsAuthEntry e,
      Principal real,
      Principal written,
      List<MigratedEntry> out,
      List<MigrationPlan.Blocker> blockers) {
    List<String> notes = new ArrayList<>();
    if (!real.arn().equals(written.arn())) {
      notes.add("named with its IAM path, as IAM has it: " + real.arn());
    }
    String username = e.username().orElse("");
    List<String> groups = e.groups();
    if (real instanceof IamRole role
        && (username.equals(EC2_NODE) || username.equals(SESSION_NODE))) {
      AccessEntryType type =
          username.equals(EC2_NODE)
              ? (groups.contains("eks:kube-proxy-windows")
                  ? AccessEntryType.EC2_WINDOWS
                  : AccessEntryType.EC2_LINUX)
              : (groups.contains("system:node-proxier")
                  ? AccessEntryType.FARGATE_LINUX
                  : AccessEntryType.HYBRID_LINUX);
      List<String> extra = groups.stream().filter(g -> !NODE_GROUPS.contains(g)).toList();
      if (!extra.isEmpty()) {
        // EKS gives a node entry its own groups and takes no others: these would be lost
        blockers.add(
            new MigrationPlan.Blocker(
                MigrationPlan.Blocker.Reason.NODE_ROLE_EXTRA_GROUPS,
                e.source()
                    + " gives the node role "
                    + e.arn()
                    + " the group(s) "
                    + extra
                    + " besides the node groups; a node access entry ("
                    + type
                    + ") cannot carry them. Bind what they grant to a node group in RBAC (such as"
                    + " system:nodes), or give it to a service account, and remove them from aws-auth"
                    + " first."));
        return;
      }
      notes.add("a node role: EKS sets its username and groups for type " + type);
      out.add(new MigratedEntry(e.source(), type, IdentityMapping.of(role), notes));
      return;
    }
    List<String> kept = new ArrayList<>();
    boolean admin = false;
    for (String g : groups) {
      if (g.equals(MASTERS)) {
        admin = true;
      } else if (g.startsWith("system:")) {
        blockers.add(
            new MigrationPlan.Blocker(
                MigrationPlan.Blocker.Reason.SYSTEM_GROUP,
                e.source()
                    + " gives "
                    + e.arn()
                    + " the group "
                    + g
                    + ", which Access Entries refuse and no access policy replaces; bind what it"
                    + " needs in RBAC to a group of your own first."));
        return;
      } else {
        kept.add(g);
      }
    }
    IdentityMapping m = IdentityMapping.of(real).withGroups(kept);
    if (admin) {
      m = m.withPolicy(new PolicyAssociation(AccessPolicy.CLUSTER_ADMIN, Scope.cluster()));
      notes.add("system:masters becomes AmazonEKSClusterAdminPolicy at cluster scope");
    }
    if (!username.isEmpty()) {
      IdentityMapping withName = m.withUsername(username);
      List<InvalidInputException.Problem> problems =
          AccessEntryRules.problems(withName, e.source().toString());
      if (problems.isEmpty()) {
        m = withName;
      } else {
        blockers.add(
            new MigrationPlan.Blocker(
                MigrationPlan.Blocker.Reason.USERNAME_REFUSED,
                e.source()
                    + " username "
                    + username
                    + " is refused by Access Entries ("
                    + problems.get(0).message()
                    + "); change it in aws-auth first, and in the RBAC bindings that name it."));
        return;
      }
    }
    out.add(new MigratedEntry(e.source(), AccessEntryType.STANDARD, m, notes));
  }

  /** EKS's identity of a principal: kind, account and name, whatever the path or case. */
  static boolean sameIdentity(Principal a, Principal b) {
    return PrincipalKeys.iamPrincipal(a).equals(PrincipalKeys.iamPrincipal(b));
  }
}
