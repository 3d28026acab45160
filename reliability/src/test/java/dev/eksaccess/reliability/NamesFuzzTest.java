package dev.eksaccess.reliability;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes names as a requester would pass them into a grant: each is refused by the grant chain with
 * {@link dev.eksaccess.api.InvalidInputException}, or aws-auth written with it reads back exactly,
 * by a YAML 1.1 reader (as EKS's) and a YAML 1.2 reader ({@link HostileNamesReadBack}).
 */
class NamesFuzzTest {
  /**
   * The first byte chooses how the rest becomes a string: UTF-8, or raw UTF-16 code units (which
   * can hold a lone surrogate, as a string from a broken decoder can).
   */
  static String name(byte[] input) {
    if (input.length > 0 && input[0] == 1) {
      StringBuilder b = new StringBuilder();
      for (int i = 1; i + 1 < input.length; i += 2) {
        b.append((char) (((input[i] & 0xff) << 8) | (input[i + 1] & 0xff)));
      }
      return b.toString();
    }
    return new String(input, StandardCharsets.UTF_8);
  }

  @FuzzTest(maxDuration = "5m")
  @DictionaryFile(resourcePath = "names.dict")
  void aNameIsRefusedOrReadBackExactlyByBothYamlVersions(byte[] input) {
    HostileNamesReadBack.check(name(input), HostileNamesOfflinePropertyTest.EXISTING);
  }
}
