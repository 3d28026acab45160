package dev.eksaccess.api;

import java.util.Arrays;
import java.util.List;

/**
 * A value was built without one of its required attributes.
 *
 * <pre>{@code
 * IdentityMapping.builder().build();   // throws: principal is required
 * }</pre>
 */
public class IncompleteValueException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception for the named missing attributes.
   *
   * @param missingAttributes the attributes that were not set
   */
  public IncompleteValueException(String... missingAttributes) {
    super(
        ErrorCode.INCOMPLETE_VALUE,
        Arrays.stream(missingAttributes.length == 0 ? new String[] {"value"} : missingAttributes)
            .map(a -> new Problem(a, null, "is required but was not set; set it on the builder."))
            .toList());
  }

  /**
   * Creates the exception with a message from the value generator.
   *
   * @param message what is missing
   */
  public IncompleteValueException(String message) {
    super(ErrorCode.INCOMPLETE_VALUE, List.of(new Problem("value", null, message)));
  }
}
