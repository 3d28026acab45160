package dev.eksaccess.api;

import java.util.Objects;

/**
 * A guard a plan would violate, with what it protects and how to override it.
 *
 * <pre>{@code
 * plan.violations().forEach(v -> System.err.println(v.guard() + ": " + v.message()));
 * }</pre>
 *
 * @param guard the guard
 * @param message what would happen, and how to override if intended
 */
public record Violation(Guard guard, String message) {
  /** Checks for nulls. */
  public Violation {
    Objects.requireNonNull(guard, "guard");
    Objects.requireNonNull(message, "message");
  }
}
