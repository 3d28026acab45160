package dev.eksaccess.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.eksaccess.api.AccessPolicy;
import dev.eksaccess.api.Arn;
import dev.eksaccess.api.Caller;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.IamUser;
import dev.eksaccess.api.InvalidInputException;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the ARN, principal, caller and access policy parsers: each parses or is refused with
 * {@link InvalidInputException}; what parses has getters that never fail and reads the same when
 * parsed again from its own text.
 */
class ArnFuzzTest {
  @FuzzTest(maxDuration = "5m")
  @DictionaryFile(resourcePath = "arn.dict")
  void anArnParsesOrIsRefusedWithTheDocumentedException(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    try {
      Arn arn = Arn.parse(text);
      String all =
          arn.partition()
              + arn.service()
              + arn.region()
              + arn.accountId()
              + arn.resource()
              + arn.resourceType()
              + arn.resourceName()
              + arn.path()
              + arn.isIamRole()
              + arn.isIamUser()
              + arn.isAssumedRole();
      assertThat(all).isNotNull();
      assertThat(Arn.parse(arn.value())).isEqualTo(arn).hasSameHashCodeAs(arn);
      assertThat(arn.toString()).isNotNull();
    } catch (InvalidInputException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
    try {
      Caller caller = Caller.of(text);
      // every getter of an accepted caller works: Caller.of refuses what they could not answer
      caller.kind();
      caller.accountId();
      caller.sessionName();
      caller.role().ifPresent(r -> assertThat(r.withoutPath().path()).isEqualTo("/"));
      caller.principal().ifPresent(p -> assertThat(p.arn().accountId()).hasSize(12));
      assertThat(caller.canonicalArn().value()).startsWith("arn:");
      assertThat(Caller.of(caller.arn().value())).isEqualTo(caller);
    } catch (InvalidInputException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
    try {
      IamRole role = IamRole.of(text);
      assertThat(role.withoutPath().arn().resourceName()).isEqualTo(role.arn().resourceName());
      role.isServiceLinked();
      role.name();
      assertThat(IamRole.of(role.arn().value())).isEqualTo(role);
    } catch (InvalidInputException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
    try {
      IamUser user = IamUser.of(text);
      user.name();
      assertThat(IamUser.of(user.arn().value())).isEqualTo(user);
    } catch (InvalidInputException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
    try {
      AccessPolicy policy = AccessPolicy.fromArn(text);
      assertThat(AccessPolicy.named(policy.name())).isEqualTo(policy);
      assertThat(AccessPolicy.fromArn(policy.arn(Arn.parse(text).partition()))).isEqualTo(policy);
    } catch (InvalidInputException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
    try {
      AccessPolicy.named(text).arn("aws");
    } catch (InvalidInputException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }
}
