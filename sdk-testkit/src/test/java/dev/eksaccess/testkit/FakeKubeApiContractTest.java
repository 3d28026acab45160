package dev.eksaccess.testkit;

import org.junit.jupiter.api.AfterAll;

/**
 * {@link FakeKubeApi} answers every request of the contract as kube-apiserver v1.20 does; the
 * real-server tier runs the same cases against a real server.
 */
class FakeKubeApiContractTest extends KubeApiContract {
  static final FakeKubeApi API = FakeKubeApi.start();

  @AfterAll
  static void stop() {
    API.close();
  }

  @Override
  protected String baseUrl() {
    return API.baseUrl();
  }
}
