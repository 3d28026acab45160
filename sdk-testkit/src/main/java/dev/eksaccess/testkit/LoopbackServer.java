package dev.eksaccess.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.function.Function;

/**
 * The WireMock server under the wire-level fakes: a free loopback port, one catch-all stub, and
 * every request handed to the fake's own function, which keeps the state. Enough threads that
 * concurrent callers overlap when a fake adds latency.
 */
final class LoopbackServer {
  private final WireMockServer server;

  LoopbackServer(String name, Function<Request, ResponseDefinition> serve) {
    server =
        new WireMockServer(
            WireMockConfiguration.options()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                .containerThreads(40)
                .extensions(new Handler(name, serve)));
    server.start();
    server.stubFor(any(anyUrl()).willReturn(aResponse().withTransformers(name)));
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.port();
  }

  void stop() {
    server.stop();
  }

  private record Handler(String name, Function<Request, ResponseDefinition> serve)
      implements ResponseDefinitionTransformerV2 {
    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
      return serve.apply(serveEvent.getRequest());
    }

    @Override
    public boolean applyGlobally() {
      return false;
    }

    @Override
    public String getName() {
      return name;
    }
  }
}
