package dev.eksaccess.testkit;

import dev.eksaccess.api.BackendException;
import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.spi.IamDirectory;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * IAM's roles of one account, in memory: an {@link IamDirectory} for tests, as strict as IAM (role
 * names are unique in an account whatever their case; a role created again gets a new unique id),
 * with faults to inject. {@link FakeIamApi} serves the same roles over IAM's wire protocol, for the
 * real {@code IamClient}.
 *
 * <pre>{@code
 * FakeIam iam = FakeIam.forAccount("111122223333")
 *     .createRole("arn:aws:iam::111122223333:role/DevTeamRole", Instant.parse("2026-01-01T00:00:00Z"));
 * ClusterAccess prod = ClusterAccess.builder().clusterName("prod").identities(ids).iam(iam).build();
 * iam.deleteRole("DevTeamRole").createRole("arn:aws:iam::111122223333:role/DevTeamRole", later);
 * prod.audit().findings();   // DEAD_ENTRY_ROLE_RECREATED access entry arn:aws:iam::...:role/DevTeamRole
 * }</pre>
 */
public final class FakeIam implements IamDirectory {
  private final String accountId;
  // by lower-cased role name: IAM names are unique in an account whatever their case
  private final Map<String, RoleDetails> roles = new LinkedHashMap<>();
  private final Deque<EksFault> faults = new ArrayDeque<>();
  private final List<String> requests = new ArrayList<>();
  private long nextId = 1;

  private FakeIam(String accountId) {
    this.accountId = accountId;
  }

  /**
   * An IAM with no roles, answering for one account, as IAM answers for its credentials' account.
   *
   * @param accountId the 12-digit account id
   * @return the fake
   * @throws InvalidInputException if {@code accountId} is not 12 digits
   */
  public static FakeIam forAccount(String accountId) {
    Objects.requireNonNull(accountId, "accountId");
    if (!accountId.matches("\\d{12}")) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_ARGUMENT, "accountId", accountId, "is not a 12-digit AWS account id.");
    }
    return new FakeIam(accountId);
  }

  /**
   * The account this IAM answers for.
   *
   * @return the 12-digit account id
   */
  public String accountId() {
    return accountId;
  }

  /**
   * Creates a role, as {@code iam create-role} does, with a new unique id.
   *
   * @param arn the role's ARN, with its path
   * @param createDate when IAM created it
   * @return this fake
   * @throws InvalidInputException if the ARN is not a role of this account, or the account has a
   *     role of that name already (IAM: {@code EntityAlreadyExists})
   */
  public synchronized FakeIam createRole(String arn, Instant createDate) {
    IamRole role = IamRole.of(arn);
    requireAccount(role.accountId());
    String key = role.name().toLowerCase(Locale.ROOT);
    if (roles.containsKey(key)) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_ARGUMENT,
          "arn",
          arn,
          "EntityAlreadyExists: Role with name "
              + role.name()
              + " already exists; delete it first to create it again.");
    }
    roles.put(key, new RoleDetails(role, roleId(), createDate));
    return this;
  }

  /**
   * Deletes a role, as {@code iam delete-role} does.
   *
   * @param roleName the role's name
   * @return this fake
   * @throws InvalidInputException if there is no such role (IAM: {@code NoSuchEntity})
   */
  public synchronized FakeIam deleteRole(String roleName) {
    if (roles.remove(roleName.toLowerCase(Locale.ROOT)) == null) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_ARGUMENT,
          "roleName",
          roleName,
          "NoSuchEntity: The role with name " + roleName + " cannot be found.");
    }
    return this;
  }

  /**
   * Makes the next lookup fail as IAM would: {@link EksFault#accessDenied()} (403, not retryable),
   * {@link EksFault#throttling()} (400 {@code Throttling}, retryable), {@link
   * EksFault#serverError()} (500). Faults are used in the order queued.
   *
   * @param fault the fault
   * @return this fake
   */
  public synchronized FakeIam failNext(EksFault fault) {
    faults.add(Objects.requireNonNull(fault, "fault"));
    return this;
  }

  /**
   * Every lookup, in order: {@code GetRole NAME} or {@code ListRoles PREFIX}.
   *
   * @return the log
   */
  public synchronized List<String> requests() {
    return List.copyOf(requests);
  }

  /** The roles, in creation order. */
  synchronized List<RoleDetails> all() {
    return List.copyOf(roles.values());
  }

  @Override
  public boolean covers(String accountId) {
    return this.accountId.equals(accountId);
  }

  @Override
  public synchronized Optional<RoleDetails> role(String accountId, String roleName) {
    requireAccount(accountId);
    Objects.requireNonNull(roleName, "roleName");
    requests.add("GetRole " + roleName);
    fault("GetRole " + roleName);
    return Optional.ofNullable(roles.get(roleName.toLowerCase(Locale.ROOT)));
  }

  @Override
  public synchronized List<RoleDetails> roles(String accountId, String pathPrefix) {
    requireAccount(accountId);
    IamDirectory.requirePathPrefix(pathPrefix);
    requests.add("ListRoles " + pathPrefix);
    fault("ListRoles");
    return roles.values().stream().filter(r -> r.role().path().startsWith(pathPrefix)).toList();
  }

  private void fault(String what) {
    EksFault f = faults.poll();
    if (f == null) {
      return;
    }
    throw switch (f.kind()) {
      case ACCESS_DENIED ->
          new BackendException(
              "IAM "
                  + what
                  + " failed: AccessDenied (HTTP 403): User: "
                  + f.caller()
                  + " is not authorized to perform: iam:"
                  + what.substring(0, what.indexOf(' ') < 0 ? what.length() : what.indexOf(' '))
                  + " The caller lacks this IAM permission; grant it in IAM.",
              403,
              "fake-iam",
              false,
              null);
      case THROTTLING ->
          new BackendException(
              "IAM "
                  + what
                  + " failed: Throttling (HTTP 400): Rate exceeded. Retrying may succeed.",
              400,
              "fake-iam",
              true,
              null);
      default ->
          new BackendException(
              "IAM "
                  + what
                  + " failed: ServiceFailure (HTTP 500): internal error. Retrying may succeed.",
              500,
              "fake-iam",
              true,
              null);
    };
  }

  private void requireAccount(String accountId) {
    if (!covers(accountId)) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_ARGUMENT,
          "accountId",
          accountId,
          "is not the account this IAM answers for ("
              + this.accountId
              + "); IAM sees only its credentials' account.");
    }
  }

  /** A unique id in IAM's shape: AROA and 17 upper-case letters and digits, never reused. */
  private String roleId() {
    String n = Long.toString(nextId++, 36).toUpperCase(Locale.ROOT);
    return "AROA" + "0".repeat(17 - n.length()) + n;
  }

  @Override
  public String toString() {
    return "FakeIam[" + accountId + ", " + roles.size() + " roles]";
  }
}
