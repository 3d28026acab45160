package dev.eksaccess.api;

import dev.eksaccess.api.spi.PolicyRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A namespaced Role that a grant creates (and keeps up to date). Bind it like a {@link Role}: the
 * binding is in the Role's namespace. eks-access never changes a same-named Role it did not create.
 *
 * <pre>{@code
 * RoleDefinition deployer = RoleDefinition.of(Role.named("deployer").inNamespace("payments"),
 *     PolicyRule.resources(List.of("apps"), List.of("deployments"), List.of("get", "update")));
 * Grant g = ClusterAccess.grant(role).asGroup("acme:ci").bind(deployer);
 * }</pre>
 *
 * @param role the Role it defines
 * @param rules its rules
 */
public record RoleDefinition(Role role, List<PolicyRule> rules) implements Bindable {
  /**
   * Checks the definition.
   *
   * @throws InvalidInputException if it has no rules
   */
  public RoleDefinition {
    Objects.requireNonNull(role, "role");
    rules = List.copyOf(rules);
    if (rules.isEmpty()) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_GRANT, role.toString(), null, "has no rules; it would grant nothing.");
    }
  }

  /**
   * A Role with these rules.
   *
   * @param role the Role
   * @param first a rule
   * @param more more rules
   * @return the definition
   */
  public static RoleDefinition of(Role role, PolicyRule first, PolicyRule... more) {
    List<PolicyRule> all = new ArrayList<>();
    all.add(Objects.requireNonNull(first, "first"));
    all.addAll(List.of(more));
    return new RoleDefinition(role, all);
  }

  @Override
  public String toString() {
    return role + " " + rules;
  }
}
