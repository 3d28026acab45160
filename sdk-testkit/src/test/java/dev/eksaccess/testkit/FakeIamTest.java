package dev.eksaccess.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.spi.IamDirectory;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** FakeIam is as strict as IAM, and a bad input changes nothing. */
class FakeIamTest {
  static final Instant T = Instant.parse("2025-01-01T00:00:00Z");
  final FakeIam iam =
      FakeIam.forAccount("111122223333").createRole("arn:aws:iam::111122223333:role/Dev", T);

  @Test
  void aNameIsUniqueWhateverItsCaseAndARoleCreatedAgainHasANewId() {
    String id = iam.role("111122223333", "dev").orElseThrow().roleId();

    InvalidInputException e =
        catchThrowableOfType(
            InvalidInputException.class,
            () -> iam.createRole("arn:aws:iam::111122223333:role/teams/DEV", T));
    assertThat(e.getMessage()).contains("EntityAlreadyExists");
    assertThat(iam.role("111122223333", "Dev").orElseThrow().roleId()).isEqualTo(id);

    iam.deleteRole("Dev").createRole("arn:aws:iam::111122223333:role/Dev", T.plusSeconds(1));
    assertThat(iam.role("111122223333", "Dev").orElseThrow().roleId()).isNotEqualTo(id);
  }

  @Test
  void badInputsAreRefusedAndChangeNothing() {
    assertThat(
            catchThrowableOfType(InvalidInputException.class, () -> FakeIam.forAccount("1")).code())
        .isEqualTo(ErrorCode.INVALID_ARGUMENT);
    assertThat(catchThrowableOfType(InvalidInputException.class, () -> iam.deleteRole("Gone")))
        .hasMessageContaining("NoSuchEntity");
    assertThat(
            catchThrowableOfType(
                InvalidInputException.class,
                () -> iam.createRole("arn:aws:iam::444455556666:role/Other", T)))
        .hasMessageContaining("IAM sees only its credentials' account");
    assertThat(
            catchThrowableOfType(
                InvalidInputException.class, () -> iam.roles("111122223333", "aws-reserved")))
        .hasMessageContaining("is not an IAM path");
    assertThat(
            catchThrowableOfType(
                InvalidInputException.class,
                () ->
                    new IamDirectory.RoleDetails(
                        IamRole.of("arn:aws:iam::111122223333:role/Dev"), " ", T)))
        .hasMessageContaining("is blank");
    assertThat(iam.requests()).isEmpty();
    assertThat(iam.role("111122223333", "Dev")).isPresent();
  }
}
