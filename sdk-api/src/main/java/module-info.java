/**
 * The eks-access API: model, fluent grants, planner, explanations, the offline authorizer ({@code
 * authz}) and the backend SPI; {@code support} holds what backends share, marked {@link
 * dev.eksaccess.api.support.BackendSupport}. {@code internal} is this module's own and is not
 * exported.
 */
module dev.eksaccess.api {
  requires transitive org.jspecify;
  requires transitive com.fasterxml.jackson.core; // support.JsonText takes its generator
  requires org.slf4j;

  exports dev.eksaccess.api;
  exports dev.eksaccess.api.authz;
  exports dev.eksaccess.api.spi;
  exports dev.eksaccess.api.support;
}
