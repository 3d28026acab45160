/** The eks-access API: model, fluent grants, planner, explanations and the backend SPI. */
@SuppressWarnings("module") // qualified exports name modules that are built later
module dev.eksaccess.api {
  requires transitive org.jspecify;
  requires com.fasterxml.jackson.core;
  requires org.slf4j;

  exports dev.eksaccess.api;
  exports dev.eksaccess.api.spi;
  exports dev.eksaccess.api.internal to
      dev.eksaccess.awsauth,
      dev.eksaccess.accessentries,
      dev.eksaccess.kubernetes,
      dev.eksaccess.migration,
      dev.eksaccess.rbac,
      dev.eksaccess.testkit;
}
