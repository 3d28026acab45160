package dev.eksaccess.testkit;

import java.util.Objects;
import java.util.Optional;

/**
 * One call a fake backend received, in order, like MockWebServer's recorded requests: reads, writes
 * that landed, and writes the fake refused (a conflict, an injected fault), which carry why.
 *
 * <pre>{@code
 * assertThat(prod.requests()).filteredOn(RecordedRequest::isWrite).hasSize(1);
 * assertThat(prod.requests()).filteredOn(RecordedRequest::failed).isEmpty();
 * }</pre>
 *
 * @param backend the backend's name, such as {@code access-entries} or {@code rbac}
 * @param operation {@code read} or {@code write}
 * @param isWrite whether it changed the world: a write that landed (a refused write did not)
 * @param failure why the fake refused it, for a write that did not land
 */
public record RecordedRequest(
    String backend, String operation, boolean isWrite, Optional<String> failure) {
  /** Checks for nulls. */
  public RecordedRequest {
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(failure, "failure");
  }

  /**
   * A call that succeeded.
   *
   * @param backend the backend's name
   * @param operation {@code read} or {@code write}
   * @param isWrite whether it changed the world
   */
  public RecordedRequest(String backend, String operation, boolean isWrite) {
    this(backend, operation, isWrite, Optional.empty());
  }

  /**
   * Whether the fake refused it.
   *
   * @return true for a write that did not land
   */
  public boolean failed() {
    return failure.isPresent();
  }
}
