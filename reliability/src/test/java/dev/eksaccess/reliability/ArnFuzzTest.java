package dev.eksaccess.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.eksaccess.api.Arn;
import dev.eksaccess.api.Caller;
import dev.eksaccess.api.InvalidInputException;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the ARN and caller parsers: only {@link InvalidInputException}, and stable round trips.
 */
class ArnFuzzTest {
  @FuzzTest(maxDuration = "5m")
  void anArnParsesOrIsRefusedWithTheDocumentedException(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    try {
      Arn arn = Arn.parse(text);
      assertThat(Arn.parse(arn.value())).isEqualTo(arn);
    } catch (InvalidInputException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
    try {
      Caller caller = Caller.of(text);
      assertThat(Caller.of(caller.arn().value())).isEqualTo(caller);
    } catch (InvalidInputException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }
}
