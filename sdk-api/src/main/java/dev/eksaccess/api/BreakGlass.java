package dev.eksaccess.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.eksaccess.api.spi.BreakGlassMark;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An emergency cluster-admin grant that expires: on aws-auth a {@code system:masters} mapping, on
 * Access Entries {@code AmazonEKSClusterAdminPolicy} at cluster scope, each recording why, by whom
 * and until when. It is the only way eks-access grants {@code system:masters}. Plan it like a
 * grant, then sweep expired ones with {@link ClusterAccess#expireBreakGlass()}.
 *
 * <pre>{@code
 * BreakGlass incident = ClusterAccess.breakGlass(IamRole.of("arn:aws:iam::111122223333:role/BreakGlass"))
 *     .forDuration(Duration.ofHours(2))
 *     .because("INC-123");
 * prod.plan(incident).apply();
 * // later, on a schedule:
 * prod.expireBreakGlass();
 * }</pre>
 *
 * <p>The role must be one kept for emergencies: a role that already has an ordinary mapping is
 * refused, because expiry removes the whole mapping. Planning it again while it is in force moves
 * its expiry (extends or shortens it) without a moment without access.
 */
public final class BreakGlass {
  /**
   * The username of a break-glass mapping in aws-auth: STS's session name shows who used it in the
   * API server's audit log. With groups exactly {@code [system:masters]} it is how aws-auth tells a
   * break-glass mapping from an ordinary one.
   */
  public static final String AWS_AUTH_USERNAME = "break-glass:{{SessionName}}";

  /** The longest a break-glass grant may last; longer access is an ordinary grant. */
  public static final Duration MAX_DURATION = Duration.ofHours(24);

  private final IamRole role;
  private final Duration duration;
  private final String reason;

  private BreakGlass(IamRole role, Duration duration, String reason) {
    this.role = role;
    this.duration = duration;
    this.reason = reason;
  }

  static DurationStep start(IamRole role) {
    Objects.requireNonNull(role, "role");
    return duration -> {
      Objects.requireNonNull(duration, "duration");
      if (duration.compareTo(Duration.ofMinutes(1)) < 0 || duration.compareTo(MAX_DURATION) > 0) {
        throw InvalidInputException.of(
            ErrorCode.INVALID_GRANT,
            "breakGlass(" + role + ").forDuration",
            duration.toString(),
            "must be from one minute to "
                + MAX_DURATION.toHours()
                + " hours; break-glass is for emergencies. Extend it by planning it again before"
                + " it expires.");
      }
      return reason -> {
        // checked the way it is stored, so a bad reason fails here, before any plan is made
        Instant probe = Instant.EPOCH;
        new BreakGlassMark(reason, probe, probe.plus(duration), Optional.empty());
        return new BreakGlass(role, duration, reason.strip());
      };
    };
  }

  /** The first step: how long the grant lasts. */
  @FunctionalInterface
  public interface DurationStep {
    /**
     * How long the grant lasts, from when it is planned.
     *
     * @param duration one minute to {@link #MAX_DURATION}
     * @return the next step
     * @throws InvalidInputException if the duration is out of range
     */
    ReasonStep forDuration(Duration duration);
  }

  /** The last step: why. */
  @FunctionalInterface
  public interface ReasonStep {
    /**
     * Why, such as an incident id; recorded with the grant and shown in plans and audits.
     *
     * @param reason 1 to 200 letters, digits, spaces or {@code _ . : / = + - @}
     * @return the break-glass grant, ready to plan
     * @throws InvalidInputException if the reason is empty, too long or has other characters
     */
    BreakGlass because(String reason);
  }

  /**
   * The role that gets cluster-admin.
   *
   * @return the role
   */
  public IamRole role() {
    return role;
  }

  /**
   * How long it lasts from when it is planned.
   *
   * @return the duration
   */
  public Duration duration() {
    return duration;
  }

  /**
   * Why.
   *
   * @return the reason
   */
  public String reason() {
    return reason;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BreakGlass b
        && role.equals(b.role)
        && duration.equals(b.duration)
        && reason.equals(b.reason);
  }

  @Override
  public int hashCode() {
    return Objects.hash(role, duration, reason);
  }

  @Override
  public String toString() {
    return "break-glass " + role + " for " + duration + " (" + reason + ")";
  }

  /** Writes the {@code breakGlass} array that plans and audits share in their JSON. */
  static void writeJson(JsonGenerator json, List<Active> all) throws IOException {
    json.writeArrayFieldStart("breakGlass");
    for (Active b : all) {
      json.writeStartObject();
      json.writeStringField("principal", b.principal().arn().value());
      json.writeStringField("reason", b.mark().reason());
      json.writeStringField("grantedAt", b.mark().grantedAt().toString());
      json.writeStringField("expiresAt", b.mark().expiresAt().toString());
      if (b.mark().grantedBy().isPresent()) {
        json.writeStringField("grantedBy", b.mark().grantedBy().get());
      }
      json.writeNumberField("remainingSeconds", b.remaining().toSeconds());
      json.writeEndObject();
    }
    json.writeEndArray();
  }

  /**
   * A break-glass grant found on a cluster, with the time it had left when read.
   *
   * <pre>{@code
   * prod.plan(incident).breakGlass().forEach(a -> System.out.println(a));
   * // role/BreakGlass: INC-123, until 2026-11-23T12:00:00Z (1h 59m left), by arn:aws:sts::…
   * }</pre>
   *
   * @param principal the role (or user) it maps
   * @param mark the reason, grant time, expiry and granter
   * @param remaining the time left when read; zero once expired
   */
  public record Active(Principal principal, BreakGlassMark mark, Duration remaining) {
    /** Checks for null. */
    public Active {
      Objects.requireNonNull(principal, "principal");
      Objects.requireNonNull(mark, "mark");
      Objects.requireNonNull(remaining, "remaining");
      if (remaining.isNegative()) {
        throw InvalidInputException.of(
            ErrorCode.INVALID_ARGUMENT,
            "remaining",
            remaining.toString(),
            "is negative; pass Duration.ZERO once expired.");
      }
    }

    /**
     * Whether it had expired when read.
     *
     * @return true if expired
     */
    public boolean expired() {
      return remaining.isZero(); // never negative: checked above
    }

    @Override
    public String toString() {
      return principal
          + ": "
          + mark.reason()
          + ", until "
          + mark.expiresAt()
          + " ("
          + (expired() ? "expired; expireBreakGlass() removes it" : left(remaining) + " left")
          + ")"
          + mark.grantedBy().map(by -> ", by " + by).orElse("");
    }

    static String left(Duration d) {
      long minutes = (d.toSeconds() + 59) / 60; // round up: "0m left" would read as expired
      return minutes >= 60 ? (minutes / 60) + "h " + (minutes % 60) + "m" : minutes + "m";
    }
  }
}
