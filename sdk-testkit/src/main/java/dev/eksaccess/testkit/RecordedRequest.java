package dev.eksaccess.testkit;

import java.util.Objects;

/**
 * One call a fake backend received, in order, like MockWebServer's recorded requests.
 *
 * <pre>{@code
 * assertThat(prod.requests()).filteredOn(RecordedRequest::isWrite).hasSize(1);
 * }</pre>
 *
 * @param backend the backend's name, such as {@code access-entries} or {@code rbac}
 * @param operation {@code read} or {@code write}
 * @param isWrite whether it changed the world
 */
public record RecordedRequest(String backend, String operation, boolean isWrite) {
  /** Checks for nulls. */
  public RecordedRequest {
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(operation, "operation");
  }
}
