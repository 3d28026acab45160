package dev.eksaccess.api.spi;

import dev.eksaccess.api.Principal;
import java.util.Objects;

/**
 * One change to layer 1.
 *
 * <pre>{@code
 * IdentityChange add = new IdentityChange.Put(mapping);
 * IdentityChange remove = new IdentityChange.Remove(IamRole.of(arn));
 * }</pre>
 */
public sealed interface IdentityChange {
  /**
   * Creates the principal's mapping, or replaces it whole.
   *
   * @param mapping the mapping as it should be
   */
  record Put(IdentityMapping mapping) implements IdentityChange {
    /** Checks for null. */
    public Put {
      Objects.requireNonNull(mapping, "mapping");
    }
  }

  /**
   * Removes the principal's mapping (and, Access Entries, its policy associations).
   *
   * @param principal the principal whose mapping goes
   */
  record Remove(Principal principal) implements IdentityChange {
    /** Checks for null. */
    public Remove {
      Objects.requireNonNull(principal, "principal");
    }
  }

  /**
   * Adds a whole-account mapping ({@link Capability#ACCOUNT_MAPPINGS}).
   *
   * @param accountId the 12-digit account id
   */
  record AddAccount(String accountId) implements IdentityChange {
    /** Checks for null. */
    public AddAccount {
      Objects.requireNonNull(accountId, "accountId");
    }
  }

  /**
   * Removes a whole-account mapping ({@link Capability#ACCOUNT_MAPPINGS}).
   *
   * @param accountId the 12-digit account id
   */
  record RemoveAccount(String accountId) implements IdentityChange {
    /** Checks for null. */
    public RemoveAccount {
      Objects.requireNonNull(accountId, "accountId");
    }
  }
}
