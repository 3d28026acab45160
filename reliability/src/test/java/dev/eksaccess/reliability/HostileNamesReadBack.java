package dev.eksaccess.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.api.ClusterAccess;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.Subject;
import dev.eksaccess.api.spi.IdentityChange;
import dev.eksaccess.api.spi.IdentityChanges;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.awsauth.AwsAuthDocument;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The property a name must have, checked without a cluster: the grant chain refuses it with {@link
 * InvalidInputException}, or aws-auth written with it reads back, by a YAML 1.1 reader (as EKS's)
 * and by a YAML 1.2 reader, as exactly that name. Shared by the property test and the fuzz target.
 */
final class HostileNamesReadBack {
  static final IamRole ROLE = IamRole.of("arn:aws:iam::111122223333:role/Probe");

  private HostileNamesReadBack() {}

  /**
   * Checks {@code name} as a group and as a username.
   *
   * @return whether the chain accepted it in some position (so it was written and read back)
   */
  static boolean check(String name, Map<String, String> existing) {
    boolean stored = false;
    for (boolean asUsername : new boolean[] {false, true}) {
      Subject subject;
      try {
        subject =
            asUsername
                ? ClusterAccess.grant(ROLE)
                    .asUser(name)
                    .inGroups("acme:g")
                    .bind(dev.eksaccess.api.ClusterRole.VIEW)
                    .clusterWide()
                    .subject()
                : ClusterAccess.grant(ROLE)
                    .asGroup(name)
                    .bind(dev.eksaccess.api.ClusterRole.VIEW)
                    .clusterWide()
                    .subject();
      } catch (InvalidInputException refused) {
        assertThat(refused.getMessage()).isNotBlank();
        continue;
      }
      IdentityMapping m =
          IdentityMapping.of(ROLE)
              .withUsername(subject.username().orElse("acme:probe"))
              .withGroups(subject.groups());
      AwsAuthDocument doc = AwsAuthDocument.parse(existing);
      if (!doc.sectionErrors().isEmpty()) {
        return stored; // an unreadable section is never edited: tested elsewhere
      }
      Map<String, String> data = doc.render(IdentityChanges.of(List.of(new IdentityChange.Put(m))));
      assertReadBack(
          Objects.requireNonNull(data.get("mapRoles")), m.username().orElseThrow(), m.groups());
      stored = true;
    }
    return stored;
  }

  /** The probe's entry, as both YAML versions read it: exactly this username and these groups. */
  @SuppressWarnings("unchecked")
  static void assertReadBack(String mapRoles, String username, List<String> groups) {
    Object yaml11 = new Yaml(new SafeConstructor(new LoaderOptions())).load(mapRoles);
    Object yaml12 = new Load(LoadSettings.builder().build()).loadFromString(mapRoles);
    for (Object read : List.of(yaml11, yaml12)) {
      String reader = read == yaml11 ? "YAML 1.1" : "YAML 1.2";
      Map<String, Object> entry = null;
      for (Object o : (List<Object>) read) {
        if (o instanceof Map<?, ?> m && ROLE.arn().value().equals(m.get("rolearn"))) {
          entry = (Map<String, Object>) m;
        }
      }
      assertThat(entry).as(reader + " finds the entry in\n" + mapRoles).isNotNull();
      Map<String, Object> e = Objects.requireNonNull(entry);
      assertThat(e.get("username")).as(reader + " username in\n" + mapRoles).isEqualTo(username);
      assertThat(e.get("groups")).as(reader + " groups in\n" + mapRoles).isEqualTo(groups);
    }
  }
}
