package dev.eksaccess.kubernetes.support;

import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.support.BackendSupport;
import java.util.List;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/** Loading Kubernetes manifests, with one way to say where YAML that does not parse went wrong. */
@BackendSupport
public final class Manifests {
  private Manifests() {}

  /**
   * Every document of a manifest, as snakeyaml-engine composes it (null for an empty document),
   * within the {@link YamlLimits}.
   *
   * @param source the file or label to name in errors
   * @param yaml the manifest
   * @return the documents, in order
   * @throws InvalidInputException ({@link ErrorCode#MALFORMED_MANIFEST}) naming the source, line
   *     and column, if the text is not YAML, nests deeper than {@link YamlLimits#MAX_DEPTH} levels,
   *     has too many aliases or an alias to a collection that contains it
   */
  public static List<Object> loadAll(String source, String yaml) {
    List<Object> all;
    try {
      all = YamlLimits.loadAll(source, yaml);
    } catch (MarkedYamlEngineException e) {
      String where =
          e.getProblemMark()
              .map(m -> source + " line " + (m.getLine() + 1) + " column " + (m.getColumn() + 1))
              .orElse(source);
      throw InvalidInputException.of(
          ErrorCode.MALFORMED_MANIFEST,
          where,
          null,
          "is not YAML: " + e.getProblem() + ". Fix the manifest there.");
    } catch (YamlEngineException e) {
      throw InvalidInputException.of(
          ErrorCode.MALFORMED_MANIFEST, source, null, "is not YAML: " + e.getMessage() + ".");
    }
    return all;
  }
}
