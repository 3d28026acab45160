package dev.eksaccess.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Keeps the README honest: each of its java blocks is compiled and run in ReadmeExamples. */
class ReadmeExamplesTest {
  private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

  @Test
  void everyJavaBlockInTheReadmeIsCompiledAndRun() throws IOException {
    String readme = Files.readString(Path.of("../README.md"));
    String examples =
        squash(
            Files.readString(Path.of("src/test/java/dev/eksaccess/examples/ReadmeExamples.java")));
    List<String> blocks = new ArrayList<>();
    Matcher m = JAVA_BLOCK.matcher(readme);
    while (m.find()) {
      blocks.add(m.group(1));
    }
    assertThat(blocks).as("java blocks in README.md").hasSizeGreaterThanOrEqualTo(3);
    for (String block : blocks) {
      assertThat(examples)
          .as("README block not found verbatim in ReadmeExamples.java:%n%s", block)
          .contains(squash(block));
    }
  }

  /** Whitespace differences (formatter reflow, indentation) do not count. */
  private static String squash(String code) {
    return code.replaceAll("\\s+", "");
  }
}
