package dev.eksaccess.examples;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/** Compiles a snippet against the test class path and returns its errors: typing tests. */
final class Javac {
  private Javac() {}

  /** The API types a probe may use, imported one by one (the build forbids wildcard imports). */
  private static final String IMPORTS =
      Stream.of("ClusterAccess", "ClusterRole", "Grant", "IamRole", "Role")
          .map(t -> "import dev.eksaccess.api." + t + ";")
          .collect(Collectors.joining(" "));

  static List<String> errorsFor(String body) {
    String source = IMPORTS + "\n" + body;
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    JavaFileObject file =
        new SimpleJavaFileObject(URI.create("string:///Probe.java"), JavaFileObject.Kind.SOURCE) {
          @Override
          public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return source;
          }
        };
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> options =
        List.of("-classpath", classpath, "-proc:none", "-d", System.getProperty("java.io.tmpdir"));
    compiler.getTask(null, null, diagnostics, options, null, List.of(file)).call();
    List<String> errors = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      if (d.getKind() == Diagnostic.Kind.ERROR) {
        errors.add(d.getMessage(Locale.ROOT));
      }
    }
    return errors;
  }
}
