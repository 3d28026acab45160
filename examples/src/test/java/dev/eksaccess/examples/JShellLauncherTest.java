package dev.eksaccess.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The argument handling of {@code ./jshell-eks-access}: the launcher is copied beside a stand-in
 * {@code mvnw} and {@code jshell} that record how they were called, so each case shows what the
 * launcher would build and start, and that a bad argument stops it before any build.
 */
class JShellLauncherTest {
  Path checkout;
  Path cache;
  Path cwd;

  record Run(int status, String out, String err) {}

  @BeforeEach
  void standIns(@TempDir Path base) throws IOException {
    checkout = Files.createDirectories(base.resolve("checkout"));
    cache = Files.createDirectories(base.resolve("cache"));
    cwd = Files.createDirectories(base.resolve("cwd"));
    Files.copy(
        Path.of("../jshell-eks-access"),
        checkout.resolve("jshell-eks-access"),
        StandardCopyOption.COPY_ATTRIBUTES);
    executable(
        checkout.resolve("mvnw"),
        """
        #!/usr/bin/env bash
        printf '%s\\n' "$@" > "$(dirname "$0")/mvnw.args"
        for a in "$@"; do
          case "$a" in -Dmdep.outputFile=*) f="${a#*=}"; mkdir -p "$(dirname "$f")"; echo dep.jar > "$f" ;; esac
        done
        """);
    Files.createDirectories(checkout.resolve("bin"));
    executable(
        checkout.resolve("bin/jshell"),
        """
        #!/usr/bin/env bash
        printf '%s\\n' "$@" > "$(dirname "$0")/../jshell.args"
        """);
  }

  private static void executable(Path file, String text) throws IOException {
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  Run launch(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", checkout + "/jshell-eks-access"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
    Map<String, String> env = pb.environment();
    env.put("PATH", checkout.resolve("bin") + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("XDG_CACHE_HOME", cache.toString());
    Process p = pb.start();
    p.getOutputStream().close();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the launcher finished").isTrue();
    return new Run(
        p.exitValue(),
        new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  boolean built() {
    return Files.exists(checkout.resolve("mvnw.args"));
  }

  List<String> argsOf(String recorded) throws IOException {
    return Files.readAllLines(checkout.resolve(recorded));
  }

  @Test
  void anUnknownOptionPrintsTheUsageAndExits2BeforeBuilding() throws Exception {
    Run r = launch("--offline", "--verbose");

    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .contains("unknown option: --verbose")
        .contains("Usage: ./jshell-eks-access");
    assertThat(built()).isFalse();
  }

  @Test
  void aMissingBuildDirectoryOrScriptIsRefusedBeforeBuilding() throws Exception {
    Run noDir = launch("--build-dir");
    Run noScript = launch("nowhere.jsh");

    assertThat(noDir.status()).isEqualTo(2);
    assertThat(noDir.err()).contains("--build-dir needs a directory");
    assertThat(noScript.status()).isEqualTo(2);
    assertThat(noScript.err()).contains("no readable JShell script: nowhere.jsh");
    assertThat(built()).isFalse();
  }

  @Test
  void helpPrintsTheUsageAndBuildsNothing() throws Exception {
    Run r = launch("--help");

    assertThat(r.status()).isZero();
    assertThat(r.out()).contains("Usage: ./jshell-eks-access").contains("--build-dir DIR");
    assertThat(built()).isFalse();
  }

  @Test
  void aWritableCheckoutBuildsInPlaceAndStartsJShellWithTheImports() throws Exception {
    Run r = launch();

    assertThat(r.status()).as(r.err()).isZero();
    assertThat(argsOf("mvnw.args"))
        .contains("-pl", "examples", "-Dmdep.outputFile=examples/target/classpath.txt")
        .noneMatch(a -> a.startsWith("-Deksaccess.buildRoot") || a.equals("-o"));
    assertThat(argsOf("jshell.args"))
        .containsSubsequence(
            "--class-path",
            "examples/target/classes:dep.jar",
            "--startup",
            "DEFAULT",
            "--startup",
            "examples/src/main/jshell/eks-access.jsh");
  }

  @Test
  void aBuildDirectoryOfflineAndScriptsAreHandedOn() throws Exception {
    Files.writeString(cwd.resolve("drill.jsh"), "/exit\n");
    Path elsewhere = cache.resolve("build");

    Run r = launch("--offline", "--build-dir", elsewhere.toString(), "--", "drill.jsh");

    assertThat(r.status()).as(r.err()).isZero();
    assertThat(argsOf("mvnw.args"))
        .contains("-o", "-Deksaccess.buildRoot=" + elsewhere)
        .contains("-Dmdep.outputFile=" + elsewhere + "/examples/classpath.txt");
    List<String> jshell = argsOf("jshell.args");
    assertThat(jshell).contains(elsewhere + "/examples/classes:dep.jar");
    assertThat(jshell.get(jshell.size() - 1)).isEqualTo(cwd.resolve("drill.jsh").toString());
  }
}
