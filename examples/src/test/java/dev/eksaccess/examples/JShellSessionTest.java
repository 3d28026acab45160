package dev.eksaccess.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README's JShell session true: the startup script's imports, then every {@code jshell>}
 * line of the README's session, run by the JDK's own JShell engine, each accepted without an
 * exception.
 */
class JShellSessionTest {
  @Test
  void theReadmeSessionRunsAsWrittenAfterTheStartupScript() throws Exception {
    String readme = Files.readString(Path.of("../README.md"));
    int section = readme.indexOf("## Explore in JShell");
    assertThat(section).as("the README's JShell section").isPositive();
    int end = readme.indexOf("```\n\n", section + 1);
    List<String> session = session(readme.substring(readme.indexOf("```", section), end));
    assertThat(session).hasSizeGreaterThanOrEqualTo(4);
    int next = readme.indexOf("```", end + 3);
    List<String> real = session(readme.substring(next, readme.indexOf("```\n\n", next + 1)));
    assertThat(real)
        .as("the README's session on a real cluster")
        .anyMatch(l -> l.contains("EksClient"));

    try (JShell js = JShell.builder().executionEngine("local").build()) {
      for (String entry :
          Pattern.compile(Pattern.quote(File.pathSeparator))
              .splitAsStream(System.getProperty("java.class.path"))
              .toList()) {
        js.addToClasspath(entry);
      }
      String startup = Files.readString(Path.of("src/main/jshell/eks-access.jsh"));
      List<String> values = new ArrayList<>();
      for (String snippet : snippets(js, startup)) {
        run(js, snippet);
      }
      for (String line : session) {
        for (String snippet : snippets(js, line)) { // adds the ; JShell's prompt would add
          values.add(run(js, snippet));
        }
      }
      assertThat(values.get(values.size() - 1)).contains("DENIED: delete pods");

      // the real-cluster lines would call AWS: compiled (as one method that is never run) instead
      String method = "void onARealCluster() {\n" + String.join(";\n", real) + ";\n}";
      for (SnippetEvent e : js.eval(method)) {
        assertThat(e.status())
            .as("%s: %s", method, js.diagnostics(e.snippet()).map(d -> d.getMessage(null)).toList())
            .isEqualTo(Snippet.Status.VALID);
      }
    }
  }

  /** The lines of a README block typed at the {@code jshell>} prompt. */
  static List<String> session(String block) {
    List<String> lines = new ArrayList<>();
    for (String line : block.lines().toList()) {
      if (line.startsWith("jshell> ")) {
        lines.add(line.substring("jshell> ".length()));
      }
    }
    return lines;
  }

  /** Splits a script into complete snippets, as JShell reads a startup file. */
  static List<String> snippets(JShell js, String script) {
    List<String> out = new ArrayList<>();
    String rest = script;
    while (!rest.isBlank()) {
      SourceCodeAnalysis.CompletionInfo info = js.sourceCodeAnalysis().analyzeCompletion(rest);
      if (!info.source().isBlank()) {
        out.add(info.source());
      }
      rest = info.remaining();
    }
    return out;
  }

  static String run(JShell js, String snippet) {
    String value = "";
    for (SnippetEvent e : js.eval(snippet)) {
      assertThat(e.exception()).as("exception in: %s", snippet).isNull();
      assertThat(e.status())
          .as("%s: %s", snippet, js.diagnostics(e.snippet()).map(d -> d.getMessage(null)).toList())
          .isNotEqualTo(Snippet.Status.REJECTED);
      if (e.value() != null) {
        value = e.value();
      }
    }
    return value;
  }
}
