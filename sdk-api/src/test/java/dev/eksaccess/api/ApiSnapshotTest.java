package dev.eksaccess.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public API of sdk-api, as a checked-in text file: a diff here is an API change to review.
 * Regenerate with {@code ./mvnw -pl sdk-api test -Dtest=ApiSnapshotTest -Dapi.update=true}.
 */
class ApiSnapshotTest {
  private static final List<String> PACKAGES =
      List.of("dev.eksaccess.api", "dev.eksaccess.api.authz", "dev.eksaccess.api.spi");

  @Test
  void publicApiMatchesTheCheckedInSnapshot() throws IOException {
    String actual = render();
    Path expected = Path.of("api/sdk-api.txt");
    if (Boolean.parseBoolean(System.getProperty("api.update"))) {
      Files.createDirectories(expected.getParent());
      Files.writeString(expected, actual);
    }
    assertThat(actual)
        .as(
            "public API changed: review, then run with -Dapi.update=true and commit api/sdk-api.txt")
        .isEqualTo(Files.readString(expected));
  }

  static String render() throws IOException {
    StringBuilder out = new StringBuilder();
    for (Class<?> type : publicTypes()) {
      out.append(describe(type)).append('\n');
      List<String> members = new ArrayList<>();
      for (Field f : type.getDeclaredFields()) {
        if (visible(f.getModifiers()) && !f.isSynthetic()) {
          members.add(
              "  field "
                  + mods(f.getModifiers())
                  + f.getGenericType().getTypeName()
                  + " "
                  + f.getName());
        }
      }
      for (Constructor<?> c : type.getDeclaredConstructors()) {
        if (visible(c.getModifiers()) && !c.isSynthetic()) {
          members.add(
              "  ctor "
                  + mods(c.getModifiers())
                  + "("
                  + params(c.getGenericParameterTypes())
                  + ")");
        }
      }
      for (Method m : type.getDeclaredMethods()) {
        if (visible(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()) {
          members.add(
              "  method "
                  + mods(m.getModifiers())
                  + m.getGenericReturnType().getTypeName()
                  + " "
                  + m.getName()
                  + "("
                  + params(m.getGenericParameterTypes())
                  + ")");
        }
      }
      members.stream().sorted().forEach(m -> out.append(m).append('\n'));
    }
    return out.toString();
  }

  /** Every public type (nested ones too) in the exported packages, by name. */
  static List<Class<?>> publicTypes() throws IOException {
    Path root = Path.of("target/classes");
    List<Class<?>> types = new ArrayList<>();
    for (String pkg : PACKAGES) {
      Path dir = root.resolve(pkg.replace('.', '/'));
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : files.filter(p -> p.toString().endsWith(".class")).toList()) {
          String simple = file.getFileName().toString().replace(".class", "");
          if (simple.equals("module-info") || simple.equals("package-info")) {
            continue;
          }
          Class<?> type = load(pkg + "." + simple);
          if (isPublicApi(type)) {
            types.add(type);
          }
        }
      }
    }
    types.sort(Comparator.comparing(Class::getName));
    return types;
  }

  private static boolean isPublicApi(Class<?> type) {
    for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
      if (!Modifier.isPublic(t.getModifiers()) || t.isAnonymousClass() || t.isLocalClass()) {
        return false;
      }
    }
    return true;
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name, false, ApiSnapshotTest.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String describe(Class<?> type) {
    String kind =
        type.isRecord()
            ? "record"
            : type.isEnum() ? "enum" : type.isInterface() ? "interface" : "class";
    StringBuilder s =
        new StringBuilder(mods(type.getModifiers() & ~Modifier.INTERFACE))
            .append(kind)
            .append(' ')
            .append(type.getName());
    if (type.getGenericSuperclass() != null
        && type.getSuperclass() != Object.class
        && type.getSuperclass() != Record.class
        && type.getSuperclass() != Enum.class) {
      s.append(" extends ").append(type.getGenericSuperclass().getTypeName());
    }
    if (type.getGenericInterfaces().length > 0) {
      s.append(" implements ").append(params(type.getGenericInterfaces()));
    }
    if (type.isSealed()) {
      s.append(" permits ")
          .append(
              Arrays.stream(type.getPermittedSubclasses())
                  .map(Class::getName)
                  .sorted()
                  .collect(Collectors.joining(", ")));
    }
    return s.toString();
  }

  private static boolean visible(int modifiers) {
    return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
  }

  private static String mods(int modifiers) {
    String m =
        Modifier.toString(
            modifiers
                & (Modifier.PUBLIC
                    | Modifier.PROTECTED
                    | Modifier.STATIC
                    | Modifier.FINAL
                    | Modifier.ABSTRACT));
    return m.isEmpty() ? "" : m + " ";
  }

  private static String params(Type[] types) {
    return Arrays.stream(types).map(Type::getTypeName).collect(Collectors.joining(", "));
  }
}
