package kg.neo4j;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.harness.Neo4j;
import org.neo4j.io.ByteUnit;
import org.neo4j.harness.Neo4jBuilder;
import org.neo4j.harness.Neo4jBuilders;
import org.neo4j.server.configuration.ServerSettings;

/**
 * A development Neo4j Community server (neo4j-harness, in-process) for the kg project.
 *
 * <p>Flags:
 * <ul>
 *   <li>{@code --port N}: Bolt port on 127.0.0.1 (0 or absent: a free port)</li>
 *   <li>{@code --http-port N}: HTTP port on 127.0.0.1 (0 or absent: a free port)</li>
 *   <li>{@code --data DIR}: Neo4j data directory (databases + transaction logs); persists
 *       across restarts, including after SIGKILL (recovery runs on the next start)</li>
 *   <li>{@code --work DIR}: harness working directory (logs, certificates; and the data when
 *       no --data is given). Default: a fresh temporary directory removed on shutdown.</li>
 *   <li>{@code --pagecache SIZE}: page cache, e.g. {@code 64m} (default) or {@code 1g}</li>
 * </ul>
 *
 * <p>When ready, prints {@code BOLT_URI=bolt://127.0.0.1:PORT} and
 * {@code HTTP_URI=http://127.0.0.1:PORT} on stdout. Auth is off. SIGTERM shuts down cleanly.
 */
public final class Main {
    private static final String HOST = "127.0.0.1";

    private Main() {}

    public static void main(String[] args) throws Exception {
        int boltPort = 0;
        int httpPort = 0;
        Path data = null;
        Path work = null;
        String pagecache = "64m";
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                value = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            switch (a) {
                case "--port" -> boltPort = Integer.parseInt(value != null ? value : need(args, ++i, a));
                case "--http-port" -> httpPort = Integer.parseInt(value != null ? value : need(args, ++i, a));
                case "--data" -> data = Path.of(value != null ? value : need(args, ++i, a)).toAbsolutePath();
                case "--work" -> work = Path.of(value != null ? value : need(args, ++i, a)).toAbsolutePath();
                case "--pagecache" -> pagecache = value != null ? value : need(args, ++i, a);
                case "-h", "--help" -> {
                    System.out.println("usage: kg.neo4j.Main [--port N] [--http-port N] [--data DIR] [--work DIR] [--pagecache SIZE]");
                    return;
                }
                default -> {
                    System.err.println("unknown argument: " + args[i]);
                    System.exit(2);
                }
            }
        }

        boolean tempWork = work == null;
        if (tempWork) {
            work = Files.createTempDirectory("kg-neo4j-");
        } else {
            Files.createDirectories(work);
        }
        if (data != null) {
            Files.createDirectories(data);
        }

        // Pick concrete ports up front (rather than letting the server bind port 0) so that
        // the advertised addresses -- the HTTP discovery document Neo4j Browser reads and the
        // routing table neo4j:// drivers read -- name the real ports.
        if (boltPort == 0) {
            boltPort = freePort();
        }
        if (httpPort == 0) {
            httpPort = freePort();
        }

        Neo4jBuilder builder = Neo4jBuilders.newInProcessBuilder(work)
                .withConfig(BoltConnector.enabled, true)
                .withConfig(BoltConnector.listen_address, new SocketAddress(HOST, boltPort))
                .withConfig(BoltConnector.advertised_address, new SocketAddress(HOST, boltPort))
                .withConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .withConfig(HttpConnector.enabled, true)
                .withConfig(HttpConnector.listen_address, new SocketAddress(HOST, httpPort))
                .withConfig(HttpConnector.advertised_address, new SocketAddress(HOST, httpPort))
                .withConfig(HttpsConnector.enabled, false)
                .withConfig(GraphDatabaseSettings.auth_enabled, false)
                .withConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.parse(pagecache))
                // dbms.usage_report.enabled=false
                .withConfig(GraphDatabaseSettings.udc_enabled, false)
                // no Browser telemetry either (client.allow_telemetry=false)
                .withConfig(ServerSettings.allow_telemetry, false)
                // Bolt's Netty event loops wait a 5 s quiet period each (boss + workers) on
                // shutdown; a dev server has nothing to drain, so stop in ~1 s instead of ~10 s.
                .withConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0);
        if (data != null) {
            builder = builder.withConfig(GraphDatabaseSettings.data_directory, data);
        }

        final Neo4j neo4j;
        try {
            neo4j = builder.build();
        } catch (Throwable t) {
            t.printStackTrace(System.err);
            dumpLogs(work, System.err);
            Throwable root = t;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            // last, so that it is in the tail the Python launcher shows
            System.err.println("kg-neo4j: failed to start: " + t + " (root cause: " + root + ")");
            if (tempWork) {
                deleteTree(work);
            }
            System.exit(1);
            return;
        }

        final Path workDir = work;
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                neo4j.close();
            } catch (Throwable t) {
                System.err.println("kg-neo4j: error during shutdown: " + t);
            } finally {
                if (tempWork) {
                    deleteTree(workDir);
                }
                stopped.countDown();
            }
        }, "kg-neo4j-shutdown"));

        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        out.println("BOLT_URI=bolt://" + HOST + ":" + neo4j.boltURI().getPort());
        out.println("HTTP_URI=http://" + HOST + ":" + neo4j.httpURI().getPort());
        out.flush();

        // Block until the JVM is asked to exit (SIGTERM / SIGINT run the hook above).
        stopped.await();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
            return socket.getLocalPort();
        }
    }

    private static String need(String[] args, int i, String flag) {
        if (i >= args.length) {
            System.err.println("missing value for " + flag);
            System.exit(2);
        }
        return args[i];
    }

    private static void dumpLogs(Path work, PrintStream err) {
        try (Stream<Path> files = Files.walk(work)) {
            // neo4j.log is the short user log; debug.log (very long) stays in the work dir
            files.filter(p -> p.getFileName().toString().equals("neo4j.log")).forEach(p -> {
                err.println("----- " + p + " -----");
                try {
                    err.println(Files.readString(p, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    err.println("(unreadable: " + e + ")");
                }
            });
        } catch (IOException e) {
            err.println("(no logs: " + e + ")");
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }
}
