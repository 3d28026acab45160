package dev.eksaccess.testkit;

import dev.eksaccess.api.Change;
import dev.eksaccess.api.ConflictException;
import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.spi.RbacBackend;
import dev.eksaccess.api.spi.RbacBinding;
import dev.eksaccess.api.spi.RbacChange;
import dev.eksaccess.api.spi.RbacChanges;
import dev.eksaccess.api.spi.RbacQuery;
import dev.eksaccess.api.spi.RbacRef;
import dev.eksaccess.api.spi.RbacRole;
import dev.eksaccess.api.spi.RbacSnapshot;
import dev.eksaccess.api.spi.Version;
import dev.eksaccess.api.spi.WriteResult;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An in-memory {@link RbacBackend} as strict as the API server and the Kubernetes backend: every
 * object has its own version, a change whose precondition no longer holds writes nothing (409), a
 * binding's roleRef cannot change (422), and deleting what is gone is what was wanted.
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
      return snapshot();
    }
  }

  /** The namespaces, when the world models them (see {@link ClusterState#addNamespaces}). */
  @Override
  public Optional<java.util.Set<String>> namespaces() {
    synchronized (world) {
      world.record(new RecordedRequest(name(), "namespaces", false));
      return world.namespaces();
    }
  }

  /** A full read: cheap in memory, and a backend may return more than asked. */
  @Override
  public RbacSnapshot read(RbacQuery query) {
    return read();
  }

  private RbacSnapshot snapshot() {
    Map<RbacRef, Version> versions = new HashMap<>();
    world.liveRoles().forEach(r -> versions.put(RbacRef.of(r), world.versionOf(RbacRef.of(r))));
    world.liveBindings().forEach(b -> versions.put(RbacRef.of(b), world.versionOf(RbacRef.of(b))));
    return new RbacSnapshot(
        Version.of(Long.toString(world.rbacVersion())),
        world.liveRoles(),
        world.liveBindings(),
        versions,
        true);
  }

  @Override
  public WriteResult write(RbacChanges changes) {
    Version last;
    synchronized (world) {
      last = Version.of(Long.toString(world.rbacVersion()));
    }
    int writes = 0;
    for (RbacChange change : changes.changes()) {
      boolean[] wrote = {false};
      last =
          world.write(
              Change.Layer.RBAC,
              name(),
              change.ref() + " of cluster " + world.clusterName(),
              () -> {
                Version v = apply(change);
                wrote[0] = !v.equals(NOTHING);
                return wrote[0] ? v : world.versionOf(change.ref());
              });
      if (wrote[0]) {
        writes++;
      }
    }
    return new WriteResult(last, writes);
  }

  /** What {@link #apply} returns when the change needed no write (a delete of what is gone). */
  private static final Version NOTHING = Version.of("nothing");

  /** Applies one change under the world's lock; returns the object's version after it. */
  private Version apply(RbacChange change) {
    RbacRef ref = change.ref();
    Version now = world.versionOf(ref);
    Version expected = change.expected();
    boolean delete =
        change instanceof RbacChange.DeleteBinding || change instanceof RbacChange.DeleteRole;
    if (delete && now.isAbsent()) {
      return NOTHING; // gone already: what was wanted, as the Kubernetes backend takes a 404
    }
    if (!expected.isAny() && !expected.equals(now)) {
      throw new ConflictException(
          ref
              + (expected.isAbsent()
                  ? " already exists (409 AlreadyExists)"
                  : now.isAbsent()
                      ? " was deleted since it was read (version " + expected.value() + ")"
                      : " is at version "
                          + now.value()
                          + ", not "
                          + expected.value()
                          + " (409 Conflict)")
              + "; nothing was written. Read it again and re-apply the change.",
          null);
    }
    if (change instanceof RbacChange.PutBinding put) {
      RbacBinding want = put.binding();
      Optional<RbacBinding> have = find(want.namespace(), want.name());
      if (have.isPresent() && !have.get().roleRef().equals(want.roleRef())) {
        throw InvalidInputException.of(
            ErrorCode.INVALID_NAME,
            want + ".roleRef",
            want.roleRef().toString(),
            "cannot change once the binding exists (the API server answers 422); delete the binding"
                + " and create it again.");
      }
      if (have.isPresent() && have.get().equals(want)) {
        return now; // the API server stores no new version for an unchanged object
      }
      have.ifPresent(world.liveBindings()::remove);
      world.liveBindings().add(want);
    } else if (change instanceof RbacChange.DeleteBinding) {
      find(ref.namespace(), ref.name()).ifPresent(world.liveBindings()::remove);
    } else if (change instanceof RbacChange.PutRole put) {
      List<RbacRole> roles = world.liveRoles();
      Optional<RbacRole> have =
          roles.stream()
              .filter(r -> r.namespace().equals(ref.namespace()) && r.name().equals(ref.name()))
              .findFirst();
      if (have.isPresent() && have.get().equals(put.role())) {
        return now;
      }
      have.ifPresent(roles::remove);
      roles.add(put.role());
    } else if (change instanceof RbacChange.DeleteRole) {
      world
          .liveRoles()
          .removeIf(r -> r.namespace().equals(ref.namespace()) && r.name().equals(ref.name()));
    }
    world.touch(ref);
    world.record(new RecordedRequest(name(), "write", true));
    return world.versionOf(ref);
  }

  private Optional<RbacBinding> find(String namespace, String name) {
    return world.liveBindings().stream()
        .filter(b -> b.namespace().equals(namespace) && b.name().equals(name))
        .findFirst();
  }
}
