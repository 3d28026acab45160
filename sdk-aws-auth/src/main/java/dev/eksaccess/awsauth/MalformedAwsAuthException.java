package dev.eksaccess.awsauth;

import dev.eksaccess.api.EksAccessException;
import dev.eksaccess.api.ErrorCode;

/**
 * The existing aws-auth ConfigMap cannot be read as written. eks-access never overwrites it unless
 * the caller asks for a repair.
 *
 * <pre>{@code
 * catch (MalformedAwsAuthException e) {
 *   System.err.printf("aws-auth %s line %d column %d: %s%n",
 *       e.section(), e.line(), e.column(), e.getMessage());
 * }
 * }</pre>
 */
public class MalformedAwsAuthException extends EksAccessException {
  private static final long serialVersionUID = 1L;

  private final String section;
  private final int line;
  private final int column;

  /**
   * Creates the exception.
   *
   * @param section the data key, such as {@code mapRoles}
   * @param line the 1-based line within that section
   * @param column the 1-based column within that line
   * @param message what is wrong there and how to fix it
   */
  public MalformedAwsAuthException(String section, int line, int column, String message) {
    super(ErrorCode.MALFORMED_AWS_AUTH, message, null);
    this.section = section;
    this.line = line;
    this.column = column;
  }

  /**
   * The data key that is malformed.
   *
   * @return the section, such as {@code mapRoles}
   */
  public String section() {
    return section;
  }

  /**
   * Where the problem is.
   *
   * @return the 1-based line within the section
   */
  public int line() {
    return line;
  }

  /**
   * Where the problem is.
   *
   * @return the 1-based column
   */
  public int column() {
    return column;
  }
}
