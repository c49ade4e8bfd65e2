package org.oisrstream.jobs.live;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a {@link LiveHlsOutput} folder over HTTP with the JDK's server: the viewer page at {@code /}, the
 * HLS player (hls.js, from its WebJar on the class path) at {@value #PLAYER_PATH}, and the folder's playlists,
 * segments and status under {@value #FILES_PREFIX}. Loopback only unless another address is given.
 *
 * <p>Only GET and HEAD, only regular files inside the folder (the request path is decoded, resolved against
 * the folder's real path and must stay inside it; dot files, i.e. half-written temporaries, are refused),
 * only the file types the page needs, each with its content type.
 */
public final class LiveServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveServer.class);
    public static final String FILES_PREFIX = "/hls/";
    public static final String PLAYER_PATH = "/hls.min.js";
    static final String VIEWER_RESOURCE = "/org/oisrstream/jobs/live/viewer.html";
    static final String HLS_JS_RESOURCE = "/META-INF/resources/webjars/hls.js/" + HlsJs.VERSION + "/dist/hls.min.js";

    private final HttpServer server;
    private final ExecutorService executor;
    private final Path root;

    private LiveServer(HttpServer server, ExecutorService executor, Path root) {
        this.server = server;
        this.executor = executor;
        this.root = root;
    }

    /**
     * @param root    the folder to serve (made if missing)
     * @param address where to listen; null for loopback
     * @param port    0 for any free port
     */
    public static LiveServer start(Path root, InetAddress address, int port) throws IOException {
        Files.createDirectories(root);
        Path real = root.toRealPath();
        HttpServer server = HttpServer.create(new InetSocketAddress(
                address == null ? InetAddress.getLoopbackAddress() : address, port), 32);
        ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "oisr-live-http");
            t.setDaemon(true);
            return t;
        });
        LiveServer live = new LiveServer(server, executor, real);
        server.createContext("/", live::handle);
        server.setExecutor(executor);
        server.start();
        return live;
    }

    /** The viewer page's address. */
    public URI uri() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/");
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n".getBytes());
                return;
            }
            String path = exchange.getRequestURI().getPath();
            if (path == null) {
                notFound(exchange);
            } else if (path.equals("/") || path.equals("/index.html")) {
                resource(exchange, VIEWER_RESOURCE, "text/html; charset=utf-8");
            } else if (path.equals(PLAYER_PATH)) {
                resource(exchange, HLS_JS_RESOURCE, "text/javascript; charset=utf-8");
            } else if (path.startsWith(FILES_PREFIX)) {
                file(exchange, path.substring(FILES_PREFIX.length()));
            } else {
                notFound(exchange);
            }
        } catch (IOException e) {
            LOG.debug("HTTP request failed: {}", e.toString());
        }
    }

    private void resource(HttpExchange exchange, String name, String type) throws IOException {
        try (InputStream in = LiveServer.class.getResourceAsStream(name)) {
            if (in == null) {
                send(exchange, 500, "text/plain; charset=utf-8", ("missing resource " + name + "\n").getBytes());
                return;
            }
            send(exchange, 200, type, in.readAllBytes());
        }
    }

    private void file(HttpExchange exchange, String relative) throws IOException {
        Path file = resolve(root, relative);
        String type = file == null ? null : contentType(file.getFileName().toString());
        if (type == null || !Files.isRegularFile(file)) {
            notFound(exchange);
            return;
        }
        byte[] body;
        try {
            body = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            notFound(exchange);
            return;
        }
        exchange.getResponseHeaders().set("Cache-Control", type.startsWith("video/") ? "max-age=3600" : "no-cache");
        send(exchange, 200, type, body);
    }

    /** The file {@code relative} names inside {@code root}, or null if it would leave it or is hidden. */
    static Path resolve(Path root, String relative) {
        if (relative.isEmpty() || relative.contains("\\") || relative.contains("\0")) {
            return null;
        }
        for (String part : relative.split("/", -1)) {
            if (part.isEmpty() || part.startsWith(".")) {
                return null;
            }
        }
        Path candidate = root.resolve(relative).normalize();
        if (!candidate.startsWith(root)) {
            return null;
        }
        try {
            Path real = candidate.toRealPath();
            return real.startsWith(root) ? real : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The content type of a served file, or null for a type that is not served. */
    static String contentType(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".m3u8")) {
            return "application/vnd.apple.mpegurl";
        } else if (lower.endsWith(".ts")) {
            return "video/mp2t";
        } else if (lower.endsWith(".json")) {
            return "application/json";
        }
        return null;
    }

    private static void notFound(HttpExchange exchange) throws IOException {
        send(exchange, 404, "text/plain; charset=utf-8", "not found\n".getBytes());
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** The hls.js version bundled (the WebJar's, see the parent pom). */
    static final class HlsJs {
        static final String VERSION = Objects.requireNonNullElse(version(), "1.4.12");

        private HlsJs() {
        }

        private static String version() {
            try (InputStream in = LiveServer.class.getResourceAsStream(
                    "/META-INF/maven/org.webjars.npm/hls.js/pom.properties")) {
                if (in == null) {
                    return null;
                }
                var p = new java.util.Properties();
                p.load(in);
                return p.getProperty("version");
            } catch (IOException e) {
                return null;
            }
        }
    }
}
