package dev.eksaccess.accessentries;

import dev.eksaccess.accessentries.internal.EksCalls;
import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.RetryPolicy;
import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.services.eks.EksAsyncClient;
import software.amazon.awssdk.services.eks.EksClient;

/**
 * Entry point for the Access Entries backend.
 *
 * <pre>{@code
 * AccessEntriesBackend ids = AccessEntries.backend(EksClient.create(), "prod");
 *
 * AccessEntriesBackend tuned = AccessEntries.builder(EksClient.create(), "prod")
 *     .concurrency(4)
 *     .consistencyRetry(RetryPolicy.of(20, Duration.ofMillis(500), Duration.ofSeconds(10)))
 *     .build();
 * }</pre>
 */
public final class AccessEntries {
  private AccessEntries() {}

  /**
   * The backend for one cluster, with the defaults: 8 concurrent calls, and EKS's eventual
   * consistency retried up to 12 times with backoff from 250 ms to 10 s.
   *
   * @param eks the EKS client (its region and credentials decide which cluster is meant)
   * @param clusterName the cluster's name
   * @return the backend
   */
  public static AccessEntriesBackend backend(EksClient eks, String clusterName) {
    return builder(eks, clusterName).build();
  }

  /**
   * The backend over the async client; the same behaviour, calls joined on the backend's pool.
   *
   * @param eks the async EKS client
   * @param clusterName the cluster's name
   * @return the backend
   */
  public static AccessEntriesBackend backend(EksAsyncClient eks, String clusterName) {
    return new Builder(EksCalls.of(Objects.requireNonNull(eks, "eks"), requireName(clusterName)))
        .build();
  }

  /**
   * A builder for a tuned backend.
   *
   * @param eks the EKS client
   * @param clusterName the cluster's name
   * @return the builder
   */
  public static Builder builder(EksClient eks, String clusterName) {
    return new Builder(EksCalls.of(Objects.requireNonNull(eks, "eks"), requireName(clusterName)));
  }

  private static String requireName(String clusterName) {
    Objects.requireNonNull(clusterName, "clusterName");
    if (!clusterName.matches("[0-9A-Za-z][A-Za-z0-9_-]{0,99}")) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_ARGUMENT,
          "clusterName",
          clusterName,
          "is not an EKS cluster name: 1-100 letters, digits, '-' and '_', starting with a letter"
              + " or digit.");
    }
    return clusterName;
  }

  /** Builds an {@link AccessEntriesBackend}. */
  public static final class Builder {
    private final EksCalls eks;
    private int concurrency = 8;
    private int readConcurrency = 32;
    private RetryPolicy consistencyRetry =
        RetryPolicy.of(12, Duration.ofMillis(250), Duration.ofSeconds(10));

    private Builder(EksCalls eks) {
      this.eks = eks;
    }

    /**
     * How many principals are read or written at once (default 8).
     *
     * @param concurrency 1 to 64
     * @return this builder
     * @throws InvalidInputException outside 1 to 64
     */
    public Builder concurrency(int concurrency) {
      if (concurrency < 1 || concurrency > 64) {
        throw InvalidInputException.of(
            ErrorCode.INVALID_ARGUMENT,
            "concurrency",
            String.valueOf(concurrency),
            "must be 1 to 64.");
      }
      this.concurrency = concurrency;
      return this;
    }

    /**
     * How many entries a full read (audit, who-can, migration, an expiry sweep) reads at once
     * (default 32); the list's pages are read in turn while the entries of the pages read so far
     * are described. Throttling is left to the AWS SDK client's retry strategy, which backs off;
     * give the client {@code RetryMode.ADAPTIVE} to also rate-limit on its side.
     *
     * <pre>{@code
     * AccessEntries.builder(eks, "prod").readConcurrency(16).build();
     * }</pre>
     *
     * @param readConcurrency 1 to 64
     * @return this builder
     * @throws InvalidInputException outside 1 to 64
     */
    public Builder readConcurrency(int readConcurrency) {
      if (readConcurrency < 1 || readConcurrency > 64) {
        throw InvalidInputException.of(
            ErrorCode.INVALID_ARGUMENT,
            "readConcurrency",
            String.valueOf(readConcurrency),
            "must be 1 to 64.");
      }
      this.readConcurrency = readConcurrency;
      return this;
    }

    /**
     * How to retry EKS's two eventual-consistency answers: a just-created IAM role refused as an
     * invalid principal, and a just-created entry not found by AssociateAccessPolicy. Nothing else
     * is retried here; throttling stays with the AWS SDK client's own retry policy.
     *
     * @param retry the policy
     * @return this builder
     */
    public Builder consistencyRetry(RetryPolicy retry) {
      this.consistencyRetry = Objects.requireNonNull(retry, "retry");
      return this;
    }

    /**
     * Builds the backend.
     *
     * @return the backend
     */
    public AccessEntriesBackend build() {
      return new AccessEntriesBackend(eks, concurrency, readConcurrency, consistencyRetry);
    }
  }
}
