package dev.eksaccess.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArnTest {

  @Test
  void parsesARoleWithItsPath() {
    Arn arn = Arn.parse("arn:aws:iam::111122223333:role/teams/platform/DevTeamRole");
    assertThat(arn.partition()).isEqualTo("aws");
    assertThat(arn.service()).isEqualTo("iam");
    assertThat(arn.region()).isEmpty();
    assertThat(arn.accountId()).isEqualTo("111122223333");
    assertThat(arn.resourceType()).isEqualTo("role");
    assertThat(arn.path()).isEqualTo("/teams/platform/");
    assertThat(arn.resourceName()).isEqualTo("DevTeamRole");
    assertThat(arn.isIamRole()).isTrue();
    assertThat(arn).hasToString("arn:aws:iam::111122223333:role/teams/platform/DevTeamRole");
  }

  @ParameterizedTest(name = "{0} is a valid partition")
  @CsvSource({"aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b"})
  void acceptsEveryEksPartition(String partition) {
    IamRole role = IamRole.of("arn:" + partition + ":iam::111122223333:role/Dev");
    assertThat(role.arn().partition()).isEqualTo(partition);
  }

  @Test
  void roleWithPathKeepsItAndKnowsItsPathlessForm() {
    IamRole role = IamRole.of("arn:aws:iam::111122223333:role/teams/DevTeamRole");
    assertThat(role.path()).isEqualTo("/teams/");
    assertThat(role.withoutPath())
        .isEqualTo(IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole"));
    assertThat(role.isServiceLinked()).isFalse();
  }

  @Test
  void serviceLinkedRoleIsARoleAndSaysSo() {
    IamRole slr =
        IamRole.of(
            "arn:aws:iam::111122223333:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS");
    assertThat(slr.isServiceLinked()).isTrue();
    assertThat(slr.name()).isEqualTo("AWSServiceRoleForAmazonEKS");
  }

  @Test
  void userIsAUserNotARole() {
    assertThat(IamUser.of("arn:aws:iam::111122223333:user/jane").name()).isEqualTo("jane");
    var e =
        catchThrowableOfType(
            InvalidInputException.class, () -> IamRole.of("arn:aws:iam::111122223333:user/jane"));
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARN);
    assertThat(e.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.location()).isEqualTo("principal");
              assertThat(p.message()).contains("IAM user").contains("IamUser.of");
            });
  }

  @Test
  void assumedRoleIsRefusedAsARoleWithTheRoleItBelongsTo() {
    var e =
        catchThrowableOfType(
            InvalidInputException.class,
            () -> IamRole.of("arn:aws:sts::111122223333:assumed-role/DevTeamRole/jane"));
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARN);
    assertThat(e.getMessage())
        .contains("STS assumed-role session")
        .contains("arn:aws:iam::111122223333:role/DevTeamRole")
        .contains("Caller.of");
  }

  @Test
  void assumedRoleIsACallerWhoseRoleHasNoPath() {
    Caller c = Caller.of("arn:aws:sts::111122223333:assumed-role/DevTeamRole/jane@example.com");
    assertThat(c.kind()).isEqualTo(Caller.Kind.ASSUMED_ROLE);
    assertThat(c.role()).contains(IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole"));
    assertThat(c.sessionName()).contains("jane@example.com");
    assertThat(c.canonicalArn().value()).isEqualTo("arn:aws:iam::111122223333:role/DevTeamRole");
    assertThat(c.principal()).contains(IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole"));
  }

  @Test
  void assumedRoleInAnotherPartitionKeepsThePartition() {
    Caller c = Caller.of("arn:aws-cn:sts::111122223333:assumed-role/Dev/s1");
    assertThat(c.role().orElseThrow().arn().value())
        .isEqualTo("arn:aws-cn:iam::111122223333:role/Dev");
  }

  @Test
  void userAndRoleCallersAreTheirOwnPrincipal() {
    Caller user = Caller.of("arn:aws:iam::111122223333:user/jane");
    assertThat(user.kind()).isEqualTo(Caller.Kind.USER);
    assertThat(user.principal()).contains(IamUser.of("arn:aws:iam::111122223333:user/jane"));
    assertThat(user.role()).isEmpty();
    assertThat(user.sessionName()).isEmpty();

    Caller role = Caller.of("arn:aws:iam::111122223333:role/ops/Deployer");
    assertThat(role.principal())
        .contains(IamRole.of("arn:aws:iam::111122223333:role/ops/Deployer"));
    assertThat(role.canonicalArn()).isEqualTo(role.arn());
  }

  @Test
  void federatedUserIsACallerButNoPrincipal() {
    Caller c = Caller.of("arn:aws:sts::111122223333:federated-user/bob");
    assertThat(c.kind()).isEqualTo(Caller.Kind.FEDERATED_USER);
    assertThat(c.principal()).isEmpty();
    var e =
        catchThrowableOfType(
            InvalidInputException.class,
            () -> IamUser.of("arn:aws:sts::111122223333:federated-user/bob"));
    assertThat(e.getMessage()).contains("federated-user");
  }

  @Test
  void rootIsACallerButNoPrincipal() {
    Caller c = Caller.of("arn:aws:iam::111122223333:root");
    assertThat(c.kind()).isEqualTo(Caller.Kind.ROOT);
    assertThat(c.principal()).isEmpty();
    var e =
        catchThrowableOfType(
            InvalidInputException.class, () -> IamRole.of("arn:aws:iam::111122223333:root"));
    assertThat(e.getMessage()).contains("root user");
  }

  @Test
  void wrongPartitionNamesTheValidOnes() {
    var e =
        catchThrowableOfType(
            InvalidInputException.class,
            () -> IamRole.of("arn:aws-moon:iam::111122223333:role/Dev"));
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARN);
    assertThat(e.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.location()).isEqualTo("principal.partition");
              assertThat(p.value()).isEqualTo("aws-moon");
              assertThat(p.message()).contains("aws-cn").contains("aws-us-gov");
            });
  }

  @Test
  void elevenDigitAccountSaysHowManyDigits() {
    var e =
        catchThrowableOfType(
            InvalidInputException.class, () -> IamRole.of("arn:aws:iam::11112222333:role/Dev"));
    assertThat(e.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.location()).isEqualTo("principal.account");
              assertThat(p.message()).contains("11 digits").contains("exactly 12");
            });
  }

  @Test
  void reportsEveryProblemAtOnce() {
    var e =
        catchThrowableOfType(
            InvalidInputException.class, () -> IamRole.of("arn:awz:iam:us-east-1:123:role/Dev"));
    assertThat(e.problems())
        .extracting(InvalidInputException.Problem::location)
        .containsExactly("principal.partition", "principal.region", "principal.account");
  }

  @Test
  void emptyIsRefusedWithAnExample() {
    var e = catchThrowableOfType(InvalidInputException.class, () -> IamRole.of(""));
    assertThat(e.getMessage()).contains("is empty").contains("arn:aws:iam::111122223333:role/Name");
  }

  @Test
  void trailingNewlineIsRefusedAndNamed() {
    var e =
        catchThrowableOfType(
            InvalidInputException.class, () -> IamRole.of("arn:aws:iam::111122223333:role/Dev\n"));
    assertThat(e.getMessage()).contains("(a newline)").contains("\\n");
  }

  @Test
  void innerWhitespaceIsRefusedWithItsIndex() {
    var e =
        catchThrowableOfType(
            InvalidInputException.class, () -> Arn.parse("arn:aws:iam::111122223333:role/De v"));
    assertThat(e.getMessage()).contains("index 33");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "not-an-arn, expected the six colon-separated parts",
    "arn:aws:iam::111122223333, expected the six colon-separated parts",
    "arn:aws:iam::111122223333:role/, which IAM does not allow",
    "arn:aws:iam::111122223333:role/a//b, invalid IAM path segment",
    "arn:aws:sts::111122223333:assumed-role/OnlyRole, assumed-role/ROLE_NAME/SESSION_NAME",
    "arn:aws:iam:::role/Dev, is missing",
  })
  void malformedArnsSayWhatIsWrong(String text, String expected) {
    var e = catchThrowableOfType(InvalidInputException.class, () -> Arn.parse(text));
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARN);
    assertThat(e.getMessage()).contains(expected);
  }

  @Test
  void accessPolicyArnsUseTheAwsAccount() {
    assertThat(AccessPolicy.VIEW.arn("aws-cn"))
        .isEqualTo("arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSViewPolicy");
    assertThat(
            AccessPolicy.fromArn("arn:aws:eks::aws:cluster-access-policy/AmazonEKSAutoNodePolicy"))
        .isEqualTo(AccessPolicy.named("AmazonEKSAutoNodePolicy"));
    var e =
        catchThrowableOfType(
            InvalidInputException.class,
            () -> AccessPolicy.fromArn("arn:aws:iam::aws:policy/AdministratorAccess"));
    assertThat(e.getMessage()).contains("cluster-access-policy");
    assertThat(
            catchThrowableOfType(
                    InvalidInputException.class, () -> AccessPolicy.named("Amazon EKS"))
                .code())
        .isEqualTo(ErrorCode.INVALID_NAME);
  }

  @Test
  void assumedRoleArnsCheckTheRoleAndSessionNames() {
    assertThat(
            catchThrowableOfType(
                    InvalidInputException.class,
                    () -> Caller.of("arn:aws:sts::111122223333:assumed-role/Bad!Name/jane"))
                .getMessage())
        .contains("role name \"Bad!Name\"");
    assertThat(
            catchThrowableOfType(
                    InvalidInputException.class,
                    () -> Caller.of("arn:aws:sts::111122223333:assumed-role/Dev/ja#ne"))
                .getMessage())
        .contains("session name \"ja#ne\"");
  }

  @Test
  void principalsNeedATwelveDigitAccount() {
    assertThat(
            catchThrowableOfType(
                    InvalidInputException.class, () -> IamRole.of("arn:aws:iam::aws:role/X"))
                .problems())
        .singleElement()
        .satisfies(p -> assertThat(p.location()).isEqualTo("principal.account"));
  }

  @Test
  void equalityIsOnTheText() {
    assertThat(Arn.parse("arn:aws:iam::111122223333:role/Dev"))
        .isEqualTo(Arn.parse("arn:aws:iam::111122223333:role/Dev"))
        .isNotEqualTo(Arn.parse("arn:aws:iam::111122223333:role/dev"));
    assertThat(Optional.of(Arn.parse("arn:aws:iam::111122223333:role/Dev").hashCode()))
        .contains("arn:aws:iam::111122223333:role/Dev".hashCode());
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "arn:aws:iam::111122223333:role/../admin",
        "arn:aws:iam::111122223333:role/./admin",
        "arn:aws:iam::111122223333:role/teams/../admin",
        "arn:aws:iam::111122223333:user/../admin"
      })
  void dotAndDotDotPathSegmentsAreRefusedBecauseThePathWouldBeDropped(String arn) {
    var e = catchThrowableOfType(InvalidInputException.class, () -> Arn.parse(arn));

    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARN);
    assertThat(e.getMessage())
        .contains("no real path needs . or ..")
        .contains("/NAME would become")
        .contains("exactly as IAM shows it");
  }

  @Test
  void aPathSegmentThatOnlyContainsDotsIsStillAPath() {
    assertThat(IamRole.of("arn:aws:iam::111122223333:role/.../admin").path()).isEqualTo("/.../");
    assertThat(IamRole.of("arn:aws:iam::111122223333:role/v1.2/admin").path()).isEqualTo("/v1.2/");
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "arn:aws:iam::aws:role/R",
        "arn:aws:iam::aws:user/U",
        "arn:aws:iam::aws:root",
        "arn:aws:sts::aws:assumed-role/R/s1",
        "arn:aws:sts::111122223333:assumed-role/a//x/s1",
        "arn:aws:sts::111122223333:assumed-role//x/s1",
        "arn:aws:sts::111122223333:assumed-role/a/../s1",
        "arn:aws:sts::111122223333:assumed-role/a b/x/s1"
      })
  void aCallerWhoseRoleOrAccountCannotExistIsRefusedAtCallerOf(String arn) {
    var e = catchThrowableOfType(InvalidInputException.class, () -> Caller.of(arn));
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARN);
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "arn:aws:iam::111122223333:role/R",
        "arn:aws:iam::111122223333:role/teams/R",
        "arn:aws:iam::111122223333:user/U",
        "arn:aws:iam::111122223333:root",
        "arn:aws:sts::111122223333:assumed-role/R/s1",
        "arn:aws:sts::111122223333:assumed-role/Org/Team/Admin/s1",
        "arn:aws:sts::111122223333:federated-user/bob"
      })
  void everyGetterOfAnAcceptedCallerWorks(String arn) {
    Caller c = Caller.of(arn);
    assertThat(c.canonicalArn().value()).startsWith("arn:aws:");
    c.role().ifPresent(r -> assertThat(r.arn().accountId()).isEqualTo("111122223333"));
    c.principal().ifPresent(p -> assertThat(p.accountId()).isEqualTo("111122223333"));
    assertThat(c.kind()).isNotNull();
    assertThat(Caller.of(c.arn().value())).isEqualTo(c);
  }
}
