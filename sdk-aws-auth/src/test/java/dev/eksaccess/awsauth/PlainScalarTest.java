package dev.eksaccess.awsauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.awsauth.internal.SectionParser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which plain scalars EKS's YAML 1.1 reader takes as something other than text. */
class PlainScalarTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "~", "null", "Null", "NULL", "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
        "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
        "0", "42", "-7", "+7", "1_000", "0b101", "0755", "0x1F", "3.14", "-.5", "1e9", ".inf",
        "-.Inf", "+.INF", ".nan", ".NaN"
      })
  void nullsBoolsAndNumbersAreNotText(String value) {
    assertThat(SectionParser.isPlainNonText(value)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", "nobody", "offline", "yesterday", "Trueish", "falsey", "ops", "arn:aws:iam::1:role/x",
        "acme:devs", "system:masters", "0.1.2", "1-2", "x", "TRUE!", "nan", "inf"
      })
  void everythingElseIsText(String value) {
    assertThat(SectionParser.isPlainNonText(value)).isFalse();
  }
}
