package dev.eksaccess.api;

import dev.eksaccess.api.support.Texts;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Input that eks-access refuses, with every problem found at once and where each one is.
 *
 * <pre>{@code
 * try {
 *   IamRole.of("arn:aws:iam::11112222333:role/Dev");
 * } catch (InvalidInputException e) {
 *   e.problems().forEach(p -> System.err.println(p.location() + ": " + p.message()));
 * }
 * }</pre>
 */
public class InvalidInputException extends EksAccessException {
  private static final long serialVersionUID = 1L;

  /** One thing wrong with the input: where it is, what value it had, and what to do about it. */
  public record Problem(String location, @Nullable String value, String message) {
    /**
     * Creates a problem.
     *
     * @param location where the value came from, such as {@code "principal"} or {@code "groups[1]"}
     * @param value the offending value as given, or null when there was none
     * @param message what was wrong and how to fix it
     */
    public Problem {
      Objects.requireNonNull(location, "location");
      Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
      return value == null
          ? location + ": " + message
          : location + " " + quote(value) + ": " + message;
    }
  }

  @SuppressWarnings("serial") // the list is an immutable List.copyOf of records
  private final List<Problem> problems;

  /**
   * Creates an exception from one or more problems; the code describes the first.
   *
   * @param code what kind of input was wrong
   * @param problems every problem found, at least one
   */
  public InvalidInputException(ErrorCode code, List<Problem> problems) {
    this(code, problems, null);
  }

  InvalidInputException(ErrorCode code, List<Problem> problems, @Nullable Throwable cause) {
    super(code, render(problems), cause);
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("an InvalidInputException needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  /**
   * Creates an exception for a single problem.
   *
   * <pre>{@code
   * throw InvalidInputException.of(ErrorCode.INVALID_GROUP, "groups[0]", " devs",
   *     "has leading whitespace; Kubernetes compares group names exactly, so remove it.");
   * }</pre>
   *
   * @param code what kind of input was wrong
   * @param location where the value came from
   * @param value the offending value, or null
   * @param message what was wrong and how to fix it
   * @return the exception, to throw
   */
  public static InvalidInputException of(
      ErrorCode code, String location, @Nullable String value, String message) {
    return new InvalidInputException(code, List.of(new Problem(location, value, message)));
  }

  /**
   * Every problem found, in the order found.
   *
   * @return the problems, never empty
   */
  public List<Problem> problems() {
    return problems;
  }

  private static String render(List<Problem> problems) {
    return problems.stream().map(Problem::toString).collect(Collectors.joining("\n"));
  }

  static String quote(String value) {
    return Texts.quote(value);
  }
}
