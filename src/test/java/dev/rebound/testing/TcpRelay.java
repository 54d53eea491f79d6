package dev.rebound.testing;

import static java.util.concurrent.TimeUnit.SECONDS;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay to a server (the test database), so a test can take that server away and bring it
 * back without touching it: {@link #cut()} stops listening and drops every open connection (a
 * client sees "connection refused" and its open connections lost, as when PostgreSQL stops),
 * {@link #restore()} listens again on the same port.
 *
 * <pre>{@code
 * TcpRelay relay = TcpRelay.start(vertx, db.url().host(), db.url().port());
 * String url = db.urlText().replace(":" + db.url().port() + "/", ":" + relay.port() + "/");
 * }</pre>
 */
public final class TcpRelay {
  private final Vertx vertx;
  private final String targetHost;
  private final int targetPort;
  private final NetClient client;
  private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
  private NetServer server;
  private int port;

  private TcpRelay(Vertx vertx, String targetHost, int targetPort) {
    this.vertx = vertx;
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.client = vertx.createNetClient();
  }

  /** Listening on a free port of 127.0.0.1. */
  public static TcpRelay start(Vertx vertx, String targetHost, int targetPort) throws Exception {
    TcpRelay relay = new TcpRelay(vertx, targetHost, targetPort);
    relay.listen(0);
    return relay;
  }

  public int port() {
    return port;
  }

  /** Stops accepting and closes every relayed connection, both ends. */
  public void cut() throws Exception {
    server.close().await(10, SECONDS);
    open.forEach(NetSocket::close);
    open.clear();
  }

  /** Accepts again, on the port it had. */
  public void restore() throws Exception {
    listen(port);
  }

  private void listen(int onPort) throws Exception {
    // Reuse the port although connections it accepted may linger in TIME_WAIT.
    server = vertx.createNetServer(new NetServerOptions().setReuseAddress(true).setReusePort(true))
        .connectHandler(this::relay);
    port = server.listen(onPort, "127.0.0.1").await(10, SECONDS).actualPort();
  }

  private void relay(NetSocket incoming) {
    incoming.pause();
    open.add(incoming);
    client.connect(targetPort, targetHost).onComplete(connected -> {
      if (connected.failed()) {
        incoming.close();
        return;
      }
      NetSocket outgoing = connected.result();
      open.add(outgoing);
      incoming.handler(outgoing::write);
      outgoing.handler(incoming::write);
      incoming.closeHandler(v -> outgoing.close());
      outgoing.closeHandler(v -> incoming.close());
      incoming.resume();
    });
  }
}
