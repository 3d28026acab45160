package dev.eksaccess.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.eksaccess.api.AccessPolicy;
import dev.eksaccess.api.ClusterRole;
import dev.eksaccess.api.ConflictException;
import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.Scope;
import dev.eksaccess.api.UnsupportedGrantException;
import dev.eksaccess.api.spi.IdentityBackend;
import dev.eksaccess.api.spi.IdentityChange;
import dev.eksaccess.api.spi.IdentityChanges;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.IdentitySnapshot;
import dev.eksaccess.api.spi.PolicyAssociation;
import dev.eksaccess.api.spi.RbacBackend;
import dev.eksaccess.api.spi.RbacBinding;
import dev.eksaccess.api.spi.RbacChange;
import dev.eksaccess.api.spi.RbacChanges;
import dev.eksaccess.api.spi.RbacSubject;
import dev.eksaccess.api.spi.Version;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fakes reject what the real systems reject, and write nothing when they do. */
class FakeStrictnessTest {
  static final IamRole DEV = IamRole.of("arn:aws:iam::111122223333:role/Dev");

  /** Writes against the version the backend is at now, as a planner that just read it would. */
  private static void writeNow(IdentityBackend ids, IdentityChanges changes) {
    ids.write(changes, ids.read().version());
  }

  private static IdentityChanges put(IdentityMapping m) {
    return IdentityChanges.of(List.of(new IdentityChange.Put(m)));
  }

  @Test
  void writingBackWhatWasReadIsANoOp() {
    ClusterState world = ClusterState.empty("prod");
    IdentityBackend ids = Fakes.awsAuth(world);
    IdentitySnapshot before = ids.read();
    assertThat(ids.write(IdentityChanges.none(), before.version()).writes()).isZero();
    assertThat(world.requests()).noneMatch(RecordedRequest::isWrite);
    assertThat(ids.read()).isEqualTo(before);
  }

  @Test
  void aStaleVersionIsRefusedAndNothingIsWritten() {
    ClusterState world = ClusterState.empty("prod");
    IdentityBackend ids = Fakes.accessEntries(world);
    Version v = ids.read().version();
    ids.write(put(IdentityMapping.of(DEV).withGroups(List.of("a"))), v);
    var e =
        catchThrowableOfType(
            ConflictException.class,
            () -> ids.write(put(IdentityMapping.of(DEV).withGroups(List.of("b"))), v));
    assertThat(e.getMessage()).contains("nothing was written");
    assertThat(world.mappings())
        .singleElement()
        .satisfies(m -> assertThat(m.groups()).containsExactly("a"));
  }

  @Test
  void aBatchIsAllOrNothing() {
    ClusterState world = ClusterState.empty("prod");
    IdentityBackend ids = Fakes.accessEntries(world);
    IdentityChanges batch =
        IdentityChanges.of(
            List.of(
                new IdentityChange.Put(IdentityMapping.of(DEV).withGroups(List.of("ok"))),
                new IdentityChange.Put(
                    IdentityMapping.of(IamRole.of("arn:aws:iam::111122223333:role/Other"))
                        .withGroups(List.of("system:masters")))));
    var e =
        catchThrowableOfType(
            InvalidInputException.class, () -> ids.write(batch, ids.read().version()));
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_GROUP);
    assertThat(e.getMessage()).contains("groups[0] \"system:masters\": starts with system:");
    assertThat(world.mappings()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"system:admin", "eks:me", "aws:x", "amazon:y", "iam:z"})
  void accessEntriesRefuseReservedUsernamePrefixes(String username) {
    IdentityBackend ids = Fakes.accessEntries(ClusterState.empty("prod"));
    var e =
        catchThrowableOfType(
            InvalidInputException.class,
            () -> writeNow(ids, put(IdentityMapping.of(DEV).withUsername(username))));
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_USERNAME);
  }

  @Test
  void accessEntriesNeedAColonBeforeTheSessionName() {
    IdentityBackend ids = Fakes.accessEntries(ClusterState.empty("prod"));
    var e =
        catchThrowableOfType(
            InvalidInputException.class,
            () -> writeNow(ids, put(IdentityMapping.of(DEV).withUsername("john{{SessionName}}"))));
    assertThat(e.getMessage()).contains("colon before {{SessionName}}");
    writeNow(ids, put(IdentityMapping.of(DEV).withUsername("jo:hn{{SessionName}}")));
  }

  @Test
  void accessEntriesRefuseServiceLinkedRoles() {
    IdentityBackend ids = Fakes.accessEntries(ClusterState.empty("prod"));
    IamRole slr =
        IamRole.of(
            "arn:aws:iam::111122223333:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS");
    var e =
        catchThrowableOfType(
            InvalidInputException.class, () -> writeNow(ids, put(IdentityMapping.of(slr))));
    assertThat(e.getMessage()).contains("service-linked");
  }

  @Test
  void accessEntriesHaveNoAccountMappings() {
    IdentityBackend ids = Fakes.accessEntries(ClusterState.empty("prod"));
    var e =
        catchThrowableOfType(
            UnsupportedGrantException.class,
            () ->
                writeNow(
                    ids,
                    IdentityChanges.of(List.of(new IdentityChange.AddAccount("111122223333")))));
    assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_BY_BACKEND);
  }

  @Test
  void awsAuthHasNoAccessPoliciesAndChecksAccounts() {
    ClusterState world = ClusterState.empty("prod");
    IdentityBackend ids = Fakes.awsAuth(world);
    var e =
        catchThrowableOfType(
            UnsupportedGrantException.class,
            () ->
                ids.write(
                    put(
                        IdentityMapping.of(DEV)
                            .withPolicies(
                                List.of(
                                    new PolicyAssociation(AccessPolicy.VIEW, Scope.cluster())))),
                    ids.read().version()));
    assertThat(e.getMessage()).contains("aws-auth has no access policies");
    var bad =
        catchThrowableOfType(
            InvalidInputException.class,
            () ->
                writeNow(ids, IdentityChanges.of(List.of(new IdentityChange.AddAccount("1234")))));
    assertThat(bad.getMessage()).contains("12-digit");
    writeNow(ids, IdentityChanges.of(List.of(new IdentityChange.AddAccount("111122223333"))));
    assertThat(world.accounts()).containsExactly("111122223333");
  }

  @Test
  void removingWhatIsNotThereIsANoOpAsInTheRealBackends() {
    // the real Access Entries backend calls nothing when there is no entry; aws-auth has no text
    IdentityBackend ids = Fakes.accessEntries(ClusterState.empty("prod"));

    writeNow(ids, IdentityChanges.of(List.of(new IdentityChange.Remove(DEV))));

    assertThat(ids.read().mappings()).isEmpty();
  }

  @Test
  void aBindingsRoleRefCannotChange() {
    ClusterState world = ClusterState.empty("prod");
    RbacBackend rbac = Fakes.rbac(world);
    RbacBinding view =
        RbacBinding.roleBinding("a", "b", ClusterRole.VIEW, List.of(RbacSubject.group("g")));
    rbac.write(RbacChanges.of(List.of(new RbacChange.PutBinding(view))));
    RbacBinding edit =
        RbacBinding.roleBinding("a", "b", ClusterRole.EDIT, List.of(RbacSubject.group("g")));
    var e =
        catchThrowableOfType(
            InvalidInputException.class,
            () -> rbac.write(RbacChanges.of(List.of(new RbacChange.PutBinding(edit)))));
    assertThat(e.getMessage()).contains("cannot change once the binding exists");
    assertThat(world.bindings()).containsExactly(view);
    // delete then create in one batch is how a roleRef changes
    rbac.write(
        RbacChanges.of(
            List.of(new RbacChange.DeleteBinding("a", "b"), new RbacChange.PutBinding(edit))));
    assertThat(world.bindings()).containsExactly(edit);
  }

  @Test
  void rbacStaleObjectVersionIsRefused() {
    ClusterState world = ClusterState.empty("prod");
    RbacBackend rbac = Fakes.rbac(world);
    RbacBinding b =
        RbacBinding.roleBinding("a", "b", ClusterRole.VIEW, List.of(RbacSubject.group("g")));
    rbac.write(RbacChanges.of(List.of(new RbacChange.PutBinding(b, Version.ABSENT))));
    var e =
        catchThrowableOfType(
            ConflictException.class,
            () ->
                rbac.write(
                    RbacChanges.of(
                        List.of(new RbacChange.DeleteBinding("a", "b", Version.of("0"))))));
    assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(world.bindings()).containsExactly(b);
  }

  @Test
  void rbacValuesRefuseWhatTheApiServerRefuses() {
    assertThat(
            catchThrowableOfType(
                    InvalidInputException.class,
                    () ->
                        new RbacBinding(
                            "",
                            "x",
                            dev.eksaccess.api.Role.named("r").inNamespace("a"),
                            List.of(),
                            java.util.Map.of()))
                .getMessage())
        .contains("ClusterRoleBinding can only refer to a ClusterRole");
    assertThat(
            catchThrowableOfType(
                    InvalidInputException.class, () -> RbacSubject.serviceAccount("", "x"))
                .getMessage())
        .contains("required for a ServiceAccount");
  }
}
