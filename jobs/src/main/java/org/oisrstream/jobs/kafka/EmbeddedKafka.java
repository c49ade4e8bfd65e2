package org.oisrstream.jobs.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka 4 cluster inside this JVM: one KRaft process that is broker and controller at once,
 * listening on free loopback ports, its log in a temporary folder that {@link #close()} deletes.
 *
 * <p>It is set up for what the upscaler needs: large records ({@code message.max.bytes}, default 64 MiB), and
 * replication factor 1 / min ISR 1 for the internal topics, so that idempotent producers and transactions
 * (Flink's exactly-once Kafka sink, {@code read_committed} consumers) work on one broker.
 */
public final class EmbeddedKafka implements AutoCloseable {

    public static final int DEFAULT_MAX_MESSAGE_BYTES = ChunkTopics.DEFAULT_MAX_RECORD_BYTES;
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final int NODE_ID = 1;

    private final Path dataDir;
    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final int maxMessageBytes;
    /** Extra listener name to host:port (e.g. a SASL_SSL listener for tests of secured clients). */
    private final Map<String, String> extraListeners = new java.util.LinkedHashMap<>();
    private boolean closed;

    private EmbeddedKafka(Path dataDir, KafkaRaftServer server, String bootstrapServers, int maxMessageBytes) {
        this.dataDir = dataDir;
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.maxMessageBytes = maxMessageBytes;
    }

    /** Starts a broker with the default record limit and waits until it answers. */
    public static EmbeddedKafka start() {
        return start(DEFAULT_MAX_MESSAGE_BYTES, Map.of());
    }

    /**
     * Starts a broker whose largest record is {@code maxMessageBytes}; {@code overrides} are further broker
     * settings (they win over the defaults here). Blocks until the broker serves metadata.
     */
    public static EmbeddedKafka start(int maxMessageBytes, Map<String, String> overrides) {
        return start(maxMessageBytes, overrides, null);
    }

    /**
     * A further listener besides the PLAINTEXT one (which stays, for the broker itself and for set-up as a
     * super-user): {@code name} is its listener name, {@code securityProtocol} e.g. {@code SASL_SSL}, and
     * {@code brokerSettings} what it needs (keystore, SASL mechanisms, JAAS for the listener, ...).
     */
    public record ExtraListener(String name, String securityProtocol, Map<String, String> brokerSettings) {
    }

    /** {@link #start(int, Map)} with an {@link ExtraListener} on a free port (see {@link #listenerAddress}). */
    public static EmbeddedKafka start(int maxMessageBytes, Map<String, String> overrides, ExtraListener extra) {
        if (maxMessageBytes <= 0) {
            throw new IllegalArgumentException("maxMessageBytes must be positive, got " + maxMessageBytes);
        }
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("oisr-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary folder for the Kafka log", e);
        }
        try {
            int brokerPort = freePort();
            int controllerPort = freePort();
            Properties props = brokerProperties(dataDir, brokerPort, controllerPort, maxMessageBytes);
            String extraAddress = null;
            if (extra != null) {
                extraAddress = "127.0.0.1:" + freePort();
                addListener(props, extra, extraAddress);
            }
            overrides.forEach(props::setProperty);
            format(dataDir, props);
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
            EmbeddedKafka kafka = new EmbeddedKafka(dataDir, server, "127.0.0.1:" + brokerPort, maxMessageBytes);
            if (extra != null) {
                kafka.extraListeners.put(extra.name(), extraAddress);
            }
            try {
                kafka.awaitReady(Duration.ofSeconds(60));
            } catch (RuntimeException e) {
                kafka.close();
                throw e;
            }
            LOG.info("Kafka broker up at {} (log in {})", kafka.bootstrapServers, dataDir);
            return kafka;
        } catch (RuntimeException e) {
            deleteRecursively(dataDir);
            throw e;
        }
    }

    /** {@code host:port} for clients' {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** {@code host:port} of the {@link ExtraListener} named {@code name}. */
    public String listenerAddress(String name) {
        String address = extraListeners.get(name);
        if (address == null) {
            throw new IllegalArgumentException("no listener " + name + " on this broker");
        }
        return address;
    }

    private static void addListener(Properties props, ExtraListener extra, String address) {
        String url = extra.name() + "://" + address;
        props.setProperty("listeners", props.getProperty("listeners") + "," + url);
        props.setProperty("advertised.listeners", props.getProperty("advertised.listeners") + "," + url);
        props.setProperty("listener.security.protocol.map", props.getProperty("listener.security.protocol.map") + ","
                + extra.name() + ":" + extra.securityProtocol());
        extra.brokerSettings().forEach(props::setProperty);
    }

    /** The broker's {@code message.max.bytes}: the largest record batch it accepts. */
    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    /** A new admin client on this broker; the caller closes it. */
    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            deleteRecursively(dataDir);
        }
        LOG.info("Kafka broker at {} stopped", bootstrapServers);
    }

    static Properties brokerProperties(Path dataDir, int brokerPort, int controllerPort, int maxMessageBytes) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", Integer.toString(NODE_ID));
        p.setProperty("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", dataDir.resolve("log").toString());
        p.setProperty("num.partitions", "1");
        p.setProperty("auto.create.topics.enable", "false");
        // One broker: every internal topic has one replica and needs one in sync.
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("min.insync.replicas", "1");
        p.setProperty("default.replication.factor", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        // Flink's exactly-once sink keeps a transaction open for up to a checkpoint interval plus its
        // processing; its default transaction timeout is one hour, so the broker must allow that much.
        p.setProperty("transaction.max.timeout.ms", Long.toString(TimeUnit.HOURS.toMillis(1)));
        // Upscaled chunks are large: a 2 s 4K chunk is tens of MB.
        p.setProperty("message.max.bytes", Integer.toString(maxMessageBytes));
        p.setProperty("replica.fetch.max.bytes", Integer.toString(maxMessageBytes));
        p.setProperty("socket.request.max.bytes",
                Integer.toString((int) Math.min(Integer.MAX_VALUE, Math.max(104857600L, 2L * maxMessageBytes))));
        p.setProperty("log.retention.hours", "-1");
        return p;
    }

    private static void format(Path dataDir, Properties props) {
        Path configFile = dataDir.resolve("server.properties");
        try (Writer w = Files.newBufferedWriter(configFile, StandardCharsets.UTF_8)) {
            props.store(w, "oisr embedded Kafka");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + configFile, e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc;
        try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            rc = StorageTool.execute(new String[] {
                    "format", "--cluster-id", Uuid.randomUuid().toString(), "--config", configFile.toString()}, ps);
        }
        if (rc != 0) {
            throw new IllegalStateException("formatting the Kafka log folder failed: "
                    + out.toString(StandardCharsets.UTF_8).strip());
        }
    }

    private void awaitReady(Duration timeout) {
        try (Admin admin = admin()) {
            int nodes = admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
            if (nodes < 1) {
                throw new IllegalStateException("Kafka broker at " + bootstrapServers + " reports no nodes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
        } catch (Exception e) {
            throw new IllegalStateException("Kafka broker at " + bootstrapServers + " did not come up: " + e, e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    LOG.warn("could not delete {}: {}", path, e.toString());
                }
            });
        } catch (IOException e) {
            LOG.warn("could not clean up {}: {}", dir, e.toString());
        }
    }
}
