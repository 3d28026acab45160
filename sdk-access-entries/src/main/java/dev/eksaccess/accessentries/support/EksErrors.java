package dev.eksaccess.accessentries.support;

import dev.eksaccess.api.BackendException;
import dev.eksaccess.api.ConflictException;
import dev.eksaccess.api.Deadline;
import dev.eksaccess.api.EksAccessException;
import dev.eksaccess.api.support.BackendSupport;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns the AWS SDK's exceptions into the SDK's, with EKS's error code, message and request id, and
 * what to do. Credentials never appear: only EKS's own answer is quoted.
 */
@BackendSupport
public final class EksErrors {
  private static final Set<String> THROTTLING =
      Set.of("ThrottlingException", "TooManyRequestsException", "Throttling");

  private EksErrors() {}

  /** EKS's error code, or {@code ""} when there was no answer. */
  public static String code(SdkException e) {
    if (e instanceof AwsServiceException a && a.awsErrorDetails() != null) {
      String code = a.awsErrorDetails().errorCode();
      return code == null ? "" : code;
    }
    return "";
  }

  /** EKS's error message, or the exception's. */
  public static String message(SdkException e) {
    if (e instanceof AwsServiceException a) {
      AwsErrorDetails d = a.awsErrorDetails();
      if (d != null && d.errorMessage() != null) {
        return d.errorMessage();
      }
    }
    return String.valueOf(e.getMessage());
  }

  /** Whether the failure is one of the two signatures of EKS's eventual consistency. */
  public static boolean notYetConsistent(SdkException e, boolean creating) {
    String message = message(e).toLowerCase(Locale.ROOT);
    return creating
        ? code(e).equals("InvalidParameterException") && message.contains("invalid principal")
        : code(e).equals("ResourceNotFoundException")
            && message.contains("principalarn could not be found");
  }

  /** Whether EKS refused because the cluster is in CONFIG_MAP mode (no access entries yet). */
  public static boolean configMapOnly(SdkException e) {
    return code(e).equals("InvalidRequestException")
        && message(e).contains("authentication mode must be set");
  }

  /** Whether EKS answered 404 Not Found. */
  public static boolean notFound(SdkException e) {
    return code(e).equals("ResourceNotFoundException");
  }

  /**
   * The SDK's exception for a failed call.
   *
   * @param what the call and its target, such as {@code "CreateAccessEntry arn:aws:iam::..."}
   * @param e the AWS SDK's exception
   * @return a {@link ConflictException} for 409, a {@link
   *     dev.eksaccess.api.DeadlineExceededException} when the call ran out of the time the current
   *     {@link Deadline} left it, else a {@link BackendException}
   */
  public static EksAccessException failure(String what, SdkException e) {
    Optional<Deadline> deadline = Deadline.current();
    if (e instanceof ApiCallTimeoutException && deadline.isPresent() && deadline.get().ranOut()) {
      // the time the operation's deadline left for this call ran out: not a backend fault
      return deadline.get().exceeded(what, e);
    }
    if (!(e instanceof AwsServiceException a)) {
      return new BackendException(
          what
              + " failed without an answer from EKS ("
              + e.getMessage()
              + "); a write may or may not have landed, so read before retrying.",
          0,
          null,
          true,
          e);
    }
    String code = code(e);
    int status = a.statusCode();
    String said = what + " failed: " + code + " (HTTP " + status + "): " + message(e);
    if (status == 409) {
      return new ConflictException(
          said + " Another writer got there first; read again and re-apply the changes.", e);
    }
    String hint =
        switch (code) {
          case "AccessDeniedException" ->
              " The caller lacks this IAM permission on the cluster; grant it in IAM.";
          case "ExpiredTokenException", "ExpiredToken" ->
              " The AWS credentials expired; refresh them and try again.";
          case "InvalidRequestException" ->
              message(e).contains("authentication mode")
                  ? " Move the cluster to API_AND_CONFIG_MAP first (AuthenticationModes.of(eks,"
                      + " cluster).plan(AuthenticationMode.API_AND_CONFIG_MAP).apply())."
                  : "";
          default -> "";
        };
    boolean retryable =
        status >= 500 || status == 429 || THROTTLING.contains(code) || a.retryable();
    return new BackendException(
        said + hint + (retryable ? " Retrying may succeed." : ""),
        status,
        a.requestId(),
        retryable,
        e);
  }
}
