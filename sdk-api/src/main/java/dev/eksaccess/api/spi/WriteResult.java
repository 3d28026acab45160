package dev.eksaccess.api.spi;

import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.InvalidInputException;
import java.util.Objects;

/**
 * What a backend write did.
 *
 * <pre>{@code
 * WriteResult r = backend.write(changes, version);
 * r.version();   // the version after the write
 * r.writes();    // remote writes issued: 0 for an empty batch
 * }</pre>
 *
 * @param version the state's version after the write
 * @param writes how many remote write calls the backend issued
 */
public record WriteResult(Version version, int writes) {
  /** Checks the values. */
  public WriteResult {
    Objects.requireNonNull(version, "version");
    if (writes < 0) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_ARGUMENT, "writes", String.valueOf(writes), "must be 0 or more.");
    }
  }
}
