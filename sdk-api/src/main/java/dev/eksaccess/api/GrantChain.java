package dev.eksaccess.api;

import dev.eksaccess.api.support.ReservedNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The immutable step objects behind {@link ClusterAccess#grant(Principal)}. */
final class GrantChain {
  private GrantChain() {}

  static Grant.SubjectStep start(Principal principal) {
    Objects.requireNonNull(principal, "principal");
    return new Grant.SubjectStep() {
      @Override
      public Grant.BindStep asGroup(String group) {
        Objects.requireNonNull(group, "group");
        return new Bind(principal, grantable(Subject.ofGroups(group)), List.of());
      }

      @Override
      public Grant.UserStep asUser(String usernameTemplate) {
        Objects.requireNonNull(usernameTemplate, "usernameTemplate");
        return new User(principal, grantable(Subject.ofUser(usernameTemplate, List.of())));
      }
    };
  }

  /**
   * The subject, if no name in it can become one Kubernetes or EKS keeps for itself: checked at the
   * step that received the name, on every backend.
   */
  private static Subject grantable(Subject subject) {
    ReservedNames.requireGrantable(subject);
    return subject;
  }

  /** A bind step; all state is final, so a partial chain can be reused. */
  static class Bind implements Grant.BindStep {
    final Principal principal;
    final Subject subject;
    final List<Binding> done;

    Bind(Principal principal, Subject subject, List<Binding> done) {
      this.principal = principal;
      this.subject = subject;
      this.done = done;
    }

    @Override
    public Grant.ScopeStep bind(ClusterRole role) {
      Objects.requireNonNull(role, "role");
      requireRbacSubject(role);
      return new ScopeChoice(this, role);
    }

    @Override
    public Grant bind(Role role) {
      Objects.requireNonNull(role, "role");
      requireRbacSubject(role);
      return new Grant(
          principal,
          subject,
          Grant.plus(done, new Binding(role, Scope.namespaces(role.namespace()))));
    }

    @Override
    public Grant.ScopeStep bind(AccessPolicy policy) {
      Objects.requireNonNull(policy, "policy");
      return new ScopeChoice(this, policy);
    }

    @Override
    public Grant.ScopeStep bind(ClusterRoleDefinition definition) {
      Objects.requireNonNull(definition, "definition");
      requireRbacSubject(definition.role());
      return new ScopeChoice(this, definition);
    }

    @Override
    public Grant bind(RoleDefinition definition) {
      Objects.requireNonNull(definition, "definition");
      requireRbacSubject(definition.role());
      return new Grant(
          principal,
          subject,
          Grant.plus(
              done, new Binding(definition, Scope.namespaces(definition.role().namespace()))));
    }

    /** RBAC binds names; a templated username differs per session, so only groups can be bound. */
    private void requireRbacSubject(RoleRef role) {
      Optional<String> user = subject.username();
      if (subject.groups().isEmpty() && user.isPresent() && user.get().contains("{{")) {
        throw InvalidInputException.of(
            ErrorCode.INVALID_GRANT,
            "bind(" + role + ")",
            user.get(),
            "is a username template, which RBAC cannot bind: its value differs per session. Add"
                + " .inGroups(..) and the binding will name the groups.");
      }
    }
  }

  static final class User extends Bind implements Grant.UserStep {
    User(Principal principal, Subject subject) {
      super(principal, subject, List.of());
    }

    @Override
    public Grant.BindStep inGroups(String first, String... more) {
      List<String> groups = new ArrayList<>();
      groups.add(Objects.requireNonNull(first, "first"));
      groups.addAll(List.of(more));
      return new Bind(principal, grantable(new Subject(subject.username(), groups)), done);
    }
  }

  private record ScopeChoice(Bind bind, Bindable target) implements Grant.ScopeStep {
    @Override
    public Grant inNamespace(String namespace) {
      Objects.requireNonNull(namespace, "namespace");
      return finish(Scope.namespaces(namespace));
    }

    @Override
    public Grant inNamespaces(String first, String... more) {
      return finish(Scope.namespaces(first, more));
    }

    @Override
    public Grant clusterWide() {
      return finish(Scope.cluster());
    }

    private Grant finish(Scope scope) {
      return new Grant(
          bind.principal, bind.subject, Grant.plus(bind.done, new Binding(target, scope)));
    }
  }
}
