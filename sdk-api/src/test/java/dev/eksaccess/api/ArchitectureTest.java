package dev.eksaccess.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.eksaccess.api");

  @Test
  void sdkApiMentionsNoAwsOrKubernetesClientType() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("software.amazon..", "io.kubernetes..", "com.amazonaws..")
        .check(MAIN);
  }

  @Test
  void everyPublicExceptionIsAnEksAccessException() {
    classes()
        .that()
        .areAssignableTo(RuntimeException.class)
        .and()
        .arePublic()
        .should()
        .beAssignableTo(EksAccessException.class)
        .check(MAIN);
  }

  @Test
  void nothingWritesToStandardStreams() {
    noClasses()
        .should()
        .accessField(System.class, "out")
        .orShould()
        .accessField(System.class, "err")
        .check(MAIN);
  }

  @Test
  void noPublicSignatureMentionsAnInternalType() throws Exception {
    List<String> leaks = new ArrayList<>();
    for (Class<?> type : ApiSnapshotTest.publicTypes()) {
      List<Type> mentioned = new ArrayList<>();
      if (type.getGenericSuperclass() != null) {
        mentioned.add(type.getGenericSuperclass());
      }
      mentioned.addAll(List.of(type.getGenericInterfaces()));
      for (Field f : type.getDeclaredFields()) {
        if (visible(f.getModifiers())) {
          mentioned.add(f.getGenericType());
        }
      }
      for (Constructor<?> c : type.getDeclaredConstructors()) {
        if (visible(c.getModifiers())) {
          mentioned.addAll(List.of(c.getGenericParameterTypes()));
        }
      }
      for (Method m : type.getDeclaredMethods()) {
        if (visible(m.getModifiers()) && !m.isSynthetic()) {
          mentioned.add(m.getGenericReturnType());
          mentioned.addAll(List.of(m.getGenericParameterTypes()));
        }
      }
      for (Type t : mentioned) {
        collectInternal(t, type.getName(), leaks);
      }
    }
    assertThat(leaks).isEmpty();
  }

  private static boolean visible(int modifiers) {
    return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
  }

  private static void collectInternal(Type t, String where, List<String> leaks) {
    if (t instanceof Class<?> c) {
      if (c.getName().contains(".internal.")) {
        leaks.add(where + " mentions " + c.getName());
      }
    } else if (t instanceof ParameterizedType p) {
      collectInternal(p.getRawType(), where, leaks);
      for (Type a : p.getActualTypeArguments()) {
        collectInternal(a, where, leaks);
      }
    } else if (t instanceof WildcardType w) {
      for (Type b : w.getUpperBounds()) {
        collectInternal(b, where, leaks);
      }
    }
  }
}
