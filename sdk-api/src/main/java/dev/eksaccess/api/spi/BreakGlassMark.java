package dev.eksaccess.api.spi;

import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.support.TagValues;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a break-glass mapping records beside itself: why, by whom, since and until when. Backends
 * store it with the mapping (aws-auth: an annotation on the ConfigMap; Access Entries: tags on the
 * entry) as the flat {@link #attributes()}.
 *
 * <pre>{@code
 * BreakGlassMark mark = new BreakGlassMark("INC-123", now, now.plus(Duration.ofHours(2)),
 *     Optional.of("arn:aws:sts::111122223333:assumed-role/OnCall/jane"));
 * mark.remaining(now.plus(Duration.ofHours(1)));   // PT1H
 * }</pre>
 *
 * @param reason why, such as an incident id; 1 to 200 characters that an AWS tag value allows
 * @param grantedAt when it was granted, to the second
 * @param expiresAt when it expires, to the second; after {@code grantedAt}
 * @param grantedBy the identity that granted it, when known
 */
public record BreakGlassMark(
    String reason, Instant grantedAt, Instant expiresAt, Optional<String> grantedBy) {
  /** Why: the attribute names are tag keys (Access Entries) and JSON keys (aws-auth). */
  public static final String REASON = "eks-access.dev/break-glass-reason";

  /** When it was granted, ISO-8601 UTC. */
  public static final String GRANTED_AT = "eks-access.dev/break-glass-granted-at";

  /** When it expires, ISO-8601 UTC. */
  public static final String EXPIRES_AT = "eks-access.dev/break-glass-expires-at";

  /** Who granted it. */
  public static final String GRANTED_BY = "eks-access.dev/break-glass-granted-by";

  /**
   * Checks every value and truncates the times to seconds, as they are stored.
   *
   * @throws InvalidInputException naming the bad value and what to use instead
   */
  public BreakGlassMark {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(grantedAt, "grantedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(grantedBy, "grantedBy");
    grantedAt = grantedAt.truncatedTo(ChronoUnit.SECONDS);
    expiresAt = expiresAt.truncatedTo(ChronoUnit.SECONDS);
    String trimmed = reason.strip();
    if (trimmed.isEmpty() || trimmed.length() > 200 || !TagValues.allowed(trimmed)) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_GRANT,
          "breakGlass.because",
          reason,
          "must be 1 to 200 letters, digits, spaces or _ . : / = + - @ (it is stored as an AWS"
              + " tag value); name the incident, such as \"INC-123\".");
    }
    reason = trimmed;
    grantedBy.ifPresent(
        by -> {
          if (by.length() > TagValues.MAX_LENGTH || !TagValues.allowed(by)) {
            throw InvalidInputException.of(
                ErrorCode.INVALID_GRANT,
                "breakGlass.grantedBy",
                by,
                "has characters an AWS tag value cannot hold (or is over 256 characters); apply"
                    + " as an identity whose ARN has none of them.");
          }
        });
    if (!expiresAt.isAfter(grantedAt)) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_GRANT,
          "breakGlass.expiresAt",
          expiresAt.toString(),
          "is not after the grant time " + grantedAt + "; give a duration of at least a second.");
    }
  }

  /**
   * The time left at {@code now}; zero once expired.
   *
   * @param now the time to measure from
   * @return the remaining time, never negative
   */
  public Duration remaining(Instant now) {
    Duration left = Duration.between(now, expiresAt);
    return left.isNegative() ? Duration.ZERO : left;
  }

  /**
   * Whether it has expired at {@code now} (an expiry time is the first moment it no longer holds).
   *
   * @param now the time
   * @return true once {@code now} is at or after {@link #expiresAt()}
   */
  public boolean isExpiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }

  /**
   * The mark as flat attributes, in a fixed order, for a backend to store.
   *
   * @return the attributes; {@link #GRANTED_BY} only when known
   */
  public Map<String, String> attributes() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put(REASON, reason);
    out.put(GRANTED_AT, grantedAt.toString());
    out.put(EXPIRES_AT, expiresAt.toString());
    grantedBy.ifPresent(by -> out.put(GRANTED_BY, by));
    return out;
  }

  /**
   * Reads a mark back from stored attributes, ignoring any others (Access Entries hold other tags).
   * Attributes that are missing or unreadable, as after a hand edit, read as no mark: the mapping
   * is then an ordinary, permanent one that no expiry sweep removes, and the audit shows it so.
   *
   * @param attributes the stored attributes
   * @return the mark, or empty
   */
  public static Optional<BreakGlassMark> fromAttributes(Map<String, String> attributes) {
    String reason = attributes.get(REASON);
    String grantedAt = attributes.get(GRANTED_AT);
    String expiresAt = attributes.get(EXPIRES_AT);
    if (reason == null || grantedAt == null || expiresAt == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new BreakGlassMark(
              reason,
              Instant.parse(grantedAt),
              Instant.parse(expiresAt),
              Optional.ofNullable(attributes.get(GRANTED_BY)).filter(s -> !s.isEmpty())));
    } catch (DateTimeParseException | InvalidInputException unreadable) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return "break-glass until " + expiresAt + " (" + reason + ")";
  }
}
