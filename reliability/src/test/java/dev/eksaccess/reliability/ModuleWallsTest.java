package dev.eksaccess.reliability;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.eksaccess.api.support.BackendSupport;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The walls between modules, over the main classes of every module: a module's {@code internal}
 * package is its own, what modules share is {@code support} API marked {@link BackendSupport}, and
 * the backends do not reach into each other.
 */
class ModuleWallsTest {
  /** Each module's root package. */
  private static final Map<String, String> MODULES =
      Map.of(
          "dev.eksaccess.api", "sdk-api",
          "dev.eksaccess.awsauth", "sdk-aws-auth",
          "dev.eksaccess.accessentries", "sdk-access-entries",
          "dev.eksaccess.kubernetes", "sdk-kubernetes",
          "dev.eksaccess.rbac", "sdk-rbac",
          "dev.eksaccess.migration", "sdk-migration",
          "dev.eksaccess.testkit", "sdk-testkit");

  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages(MODULES.keySet().toArray(String[]::new));

  private static Optional<String> moduleOf(String packageName) {
    return MODULES.keySet().stream()
        .filter(root -> packageName.equals(root) || packageName.startsWith(root + "."))
        .findFirst()
        .map(MODULES::get);
  }

  @Test
  void everyModuleIsSeen() {
    assertThat(MAIN.stream().map(c -> moduleOf(c.getPackageName())).flatMap(Optional::stream))
        .as("the main classes of every module are on this test's classpath")
        .containsAll(MODULES.values());
  }

  @Test
  void anInternalPackageIsUsedOnlyByItsOwnModule() {
    classes()
        .should(
            new ArchCondition<JavaClass>("use no other module's internal package") {
              @Override
              public void check(JavaClass item, ConditionEvents events) {
                Optional<String> own = moduleOf(item.getPackageName());
                for (Dependency d : item.getDirectDependenciesFromSelf()) {
                  String target = d.getTargetClass().getPackageName();
                  boolean internal = target.contains(".internal");
                  if (internal && !moduleOf(target).equals(own)) {
                    events.add(SimpleConditionEvent.violated(item, d.getDescription()));
                  }
                }
              }
            })
        .check(MAIN);
  }

  @Test
  void everySupportTypeIsMarkedForBackendImplementers() {
    classes()
        .that()
        .resideInAPackage("..support..")
        .and()
        .arePublic()
        .and()
        .areTopLevelClasses()
        .and()
        .areNotAnnotations()
        .should()
        .beAnnotatedWith(BackendSupport.class)
        .because("support API is public for backends, not applications, and says so")
        .check(MAIN);
  }

  @Test
  void backendsDoNotReachIntoEachOther() {
    noClasses()
        .that()
        .resideInAPackage("dev.eksaccess.awsauth..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.eksaccess.accessentries..", "dev.eksaccess.rbac..")
        .check(MAIN);
    noClasses()
        .that()
        .resideInAPackage("dev.eksaccess.accessentries..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.eksaccess.awsauth..", "dev.eksaccess.rbac..")
        .check(MAIN);
    noClasses()
        .that()
        .resideInAPackage("dev.eksaccess.rbac..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.eksaccess.awsauth..", "dev.eksaccess.accessentries..")
        .check(MAIN);
  }

  @Test
  void theApiDependsOnNoBackend() {
    noClasses()
        .that()
        .resideInAPackage("dev.eksaccess.api..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.eksaccess.awsauth..",
            "dev.eksaccess.accessentries..",
            "dev.eksaccess.rbac..",
            "dev.eksaccess.kubernetes..",
            "dev.eksaccess.migration..",
            "dev.eksaccess.testkit..")
        .check(MAIN);
  }

  @Test
  void theOfflineAuthorizerNeedsNoClientAndOnlyItsPackageUsesItsEngine() {
    classes()
        .that()
        .resideInAPackage("dev.eksaccess.api.authz..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..", "org.jspecify..", "dev.eksaccess.api..", "com.fasterxml.jackson.core..")
        .because("the authorizer decides offline: no Kubernetes or AWS client (JSON out only)")
        .check(MAIN);
    classes()
        .that()
        .resideInAPackage("dev.eksaccess.api.authz..")
        .and()
        .arePublic()
        .should()
        .haveSimpleNameNotContaining("Index")
        .andShould()
        .haveSimpleNameNotContaining("Evaluator")
        .because("the engine is package-private; callers ask RbacAuthorizer")
        .check(MAIN);
  }
}
