package dev.eksaccess.testkit;

import dev.eksaccess.api.BackendException;
import dev.eksaccess.api.Change;
import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.spi.RbacBackend;
import dev.eksaccess.api.spi.RbacBinding;
import dev.eksaccess.api.spi.RbacChange;
import dev.eksaccess.api.spi.RbacChanges;
import dev.eksaccess.api.spi.RbacRole;
import dev.eksaccess.api.spi.RbacSnapshot;
import dev.eksaccess.api.spi.Version;
import dev.eksaccess.api.spi.WriteResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An in-memory {@link RbacBackend} as strict as the API server: a binding's roleRef cannot change,
 * deleting what does not exist is a 404, and a stale version writes nothing.
 */
final class InMemoryRbacBackend implements RbacBackend {
  private final ClusterState world;

  InMemoryRbacBackend(ClusterState world) {
    this.world = world;
  }

  @Override
  public String name() {
    return "rbac";
  }

  @Override
  public RbacSnapshot read() {
    synchronized (world) {
      world.record(new RecordedRequest(name(), "read", false));
      return new RbacSnapshot(
          Version.of(Long.toString(world.rbacVersion())), world.liveRoles(), world.liveBindings());
    }
  }

  @Override
  public WriteResult write(RbacChanges changes, Version expected) {
    if (changes.isEmpty()) {
      synchronized (world) {
        return new WriteResult(Version.of(Long.toString(world.rbacVersion())), 0);
      }
    }
    return world.write(
        Change.Layer.RBAC,
        "RBAC objects of cluster " + world.clusterName(),
        () -> {
          Version now = Version.of(Long.toString(world.rbacVersion()));
          ClusterState.requireCurrent(
              "RBAC objects of cluster " + world.clusterName(), now, expected);
          List<RbacBinding> bindings = new ArrayList<>(world.liveBindings());
          List<RbacRole> roles = new ArrayList<>(world.liveRoles());
          for (RbacChange change : changes.changes()) {
            apply(change, bindings, roles);
          }
          world.liveBindings().clear();
          world.liveBindings().addAll(bindings);
          world.liveRoles().clear();
          world.liveRoles().addAll(roles);
          world.bumpRbac();
          world.record(new RecordedRequest(name(), "write", true));
          return new WriteResult(
              Version.of(Long.toString(world.rbacVersion())), changes.changes().size());
        });
  }

  private static void apply(RbacChange change, List<RbacBinding> bindings, List<RbacRole> roles) {
    if (change instanceof RbacChange.PutBinding put) {
      RbacBinding want = put.binding();
      Optional<RbacBinding> have = find(bindings, want.namespace(), want.name());
      if (have.isPresent() && !have.get().roleRef().equals(want.roleRef())) {
        throw InvalidInputException.of(
            ErrorCode.INVALID_NAME,
            want + ".roleRef",
            want.roleRef().toString(),
            "cannot change once the binding exists (the API server answers 422); delete the binding"
                + " and create it again.");
      }
      have.ifPresent(bindings::remove);
      bindings.add(want);
    } else if (change instanceof RbacChange.DeleteBinding delete) {
      RbacBinding have =
          find(bindings, delete.namespace(), delete.name())
              .orElseThrow(
                  () ->
                      new BackendException(
                          "binding "
                              + delete.namespace()
                              + "/"
                              + delete.name()
                              + " not found (404).",
                          404,
                          null,
                          false,
                          null));
      bindings.remove(have);
    } else if (change instanceof RbacChange.PutRole put) {
      roles.removeIf(
          r -> r.namespace().equals(put.role().namespace()) && r.name().equals(put.role().name()));
      roles.add(put.role());
    } else if (change instanceof RbacChange.DeleteRole delete) {
      boolean removed =
          roles.removeIf(
              r -> r.namespace().equals(delete.namespace()) && r.name().equals(delete.name()));
      if (!removed) {
        throw new BackendException(
            "role " + delete.namespace() + "/" + delete.name() + " not found (404).",
            404,
            null,
            false,
            null);
      }
    }
  }

  private static Optional<RbacBinding> find(
      List<RbacBinding> bindings, String namespace, String name) {
    return bindings.stream()
        .filter(b -> b.namespace().equals(namespace) && b.name().equals(name))
        .findFirst();
  }
}
