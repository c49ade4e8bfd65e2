package org.oisrstream.jobs.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.oisrstream.model.util.Folders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka 4 cluster inside this JVM: one KRaft process that is broker and controller at once,
 * listening on free loopback ports, its log in a temporary folder that {@link #close()} deletes.
 * With {@link Builder#dataDir} the log lives in a folder of the caller's choosing instead and survives a stop:
 * a broker started again on the same folder has its topics, committed records and group offsets, and comes
 * back on the same ports (unless {@link Builder#port} says otherwise or a port is taken meanwhile).
 * Temporary folders left behind by a killed process are deleted by the next start ({@link StaleKafkaFolders}).
 *
 * <p>It is set up for what the upscaler needs: large records ({@code message.max.bytes}, default 64 MiB), and
 * replication factor 1 / min ISR 1 for the internal topics, so that idempotent producers and transactions
 * (Flink's exactly-once Kafka sink, {@code read_committed} consumers) work on one broker.
 */
public final class EmbeddedKafka implements AutoCloseable {

    public static final int DEFAULT_MAX_MESSAGE_BYTES = ChunkTopics.DEFAULT_MAX_RECORD_BYTES;
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final int NODE_ID = 1;
    private static final String TEMP_PREFIX = "oisr-kafka-";
    private static final String CONFIG_FILE = "server.properties";
    private static final String PORTS_FILE = "oisr-ports.properties";

    private final Path dataDir;
    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final int maxMessageBytes;
    private final boolean temporary;
    /** Extra listener name to host:port (e.g. a SASL_SSL listener for tests of secured clients). */
    private final Map<String, String> extraListeners = new java.util.LinkedHashMap<>();
    private boolean closed;

    private EmbeddedKafka(Path dataDir, KafkaRaftServer server, String bootstrapServers, int maxMessageBytes,
            boolean temporary) {
        this.dataDir = dataDir;
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.maxMessageBytes = maxMessageBytes;
        this.temporary = temporary;
    }

    /** Starts a broker with the default record limit and waits until it answers. */
    public static EmbeddedKafka start() {
        return builder().start();
    }

    /**
     * Starts a broker whose largest record is {@code maxMessageBytes}; {@code overrides} are further broker
     * settings (they win over the defaults here). Blocks until the broker serves metadata.
     */
    public static EmbeddedKafka start(int maxMessageBytes, Map<String, String> overrides) {
        return builder().maxMessageBytes(maxMessageBytes).overrides(overrides).start();
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
        return builder().maxMessageBytes(maxMessageBytes).overrides(overrides).extraListener(extra).start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options of a broker; {@link #start()} starts it and blocks until it serves metadata. */
    public static final class Builder {
        private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
        private Map<String, String> overrides = Map.of();
        private Path dataDir;
        private int port;
        private ExtraListener extraListener;

        private Builder() {
        }

        /** The largest record batch the broker accepts ({@code message.max.bytes}). */
        public Builder maxMessageBytes(int maxMessageBytes) {
            if (maxMessageBytes <= 0) {
                throw new IllegalArgumentException("maxMessageBytes must be positive, got " + maxMessageBytes);
            }
            this.maxMessageBytes = maxMessageBytes;
            return this;
        }

        /** Further broker settings; they win over the defaults here. */
        public Builder overrides(Map<String, String> overrides) {
            this.overrides = Map.copyOf(overrides);
            return this;
        }

        /** Keep the log in this folder (created if absent, reused if it holds a log); not deleted on close. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** The client port; 0 (the default) means the port of the last start on the same data dir, else a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /** A further listener on a free port, e.g. SASL_SSL (null: none). */
        public Builder extraListener(ExtraListener extra) {
            this.extraListener = extra;
            return this;
        }

        public EmbeddedKafka start() {
            return dataDir == null ? startTemporary(this) : startPersistent(this);
        }
    }

    private static EmbeddedKafka startTemporary(Builder options) {
        StaleKafkaFolders.deleteFoldersOfDeadProcesses(TEMP_PREFIX);
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory(TEMP_PREFIX);
            StaleKafkaFolders.markOwned(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary folder for the Kafka log", e);
        }
        try {
            int brokerPort = options.port != 0 ? options.port : freePort();
            return launch(options, dataDir, brokerPort, freePort(), true);
        } catch (RuntimeException e) {
            Folders.deleteQuietly(dataDir);
            throw e;
        }
    }

    private static EmbeddedKafka startPersistent(Builder options) {
        Path dataDir = options.dataDir.toAbsolutePath();
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the Kafka data folder " + dataDir, e);
        }
        Properties previous = readPorts(dataDir);
        int brokerPort = options.port != 0 ? options.port : reusablePort(previous, "broker.port");
        int controllerPort = reusablePort(previous, "controller.port");
        return launch(options, dataDir, brokerPort, controllerPort, false);
    }

    private static EmbeddedKafka launch(Builder options, Path dataDir, int brokerPort, int controllerPort,
            boolean temporary) {
        Properties props = brokerProperties(dataDir, brokerPort, controllerPort, options.maxMessageBytes);
        String extraAddress = null;
        if (options.extraListener != null) {
            extraAddress = "127.0.0.1:" + freePort();
            addListener(props, options.extraListener, extraAddress);
        }
        options.overrides.forEach(props::setProperty);
        writeConfig(dataDir, props, brokerPort, controllerPort);
        if (!Files.exists(dataDir.resolve("log").resolve("meta.properties"))) {
            format(dataDir);
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        EmbeddedKafka kafka = new EmbeddedKafka(dataDir, server, "127.0.0.1:" + brokerPort, options.maxMessageBytes,
                temporary);
        if (options.extraListener != null) {
            kafka.extraListeners.put(options.extraListener.name(), extraAddress);
        }
        try {
            kafka.awaitReady(Duration.ofSeconds(60));
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
        LOG.info("Kafka broker up at {} (log in {})", kafka.bootstrapServers, dataDir);
        return kafka;
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

    /** The folder holding the broker's configuration and log. */
    public Path dataDir() {
        return dataDir;
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
            if (temporary) {
                Folders.deleteQuietly(dataDir);
            }
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
        // A broker for the clients of one machine. The defaults' pools (8 request handlers and 3 network threads per
        // listener, 4 group coordinator threads, 10 background threads) and a no-op metadata record every 500 ms
        // kept it waking while idle; on a small machine each wakeup preempts one of the model's threads and the
        // other waits for it (docs/benchmarks.md, session 8: with the local cluster's changes, 615 -> 303 wakeups/s).
        p.setProperty("num.io.threads", "2");
        p.setProperty("num.network.threads", "1");
        p.setProperty("background.threads", "2");
        p.setProperty("group.coordinator.threads", "1");
        p.setProperty("metadata.max.idle.interval.ms", "5000");
        // The log cleaner compacts only the broker's internal topics here (offsets, transaction state: small keys).
        // Its default 128 MB dedupe buffer sat in the JVM heap for the whole run, above G1's marking threshold, so
        // every young collection started a concurrent cycle (0.6 s of CPU in 40 s of upscaling, taken from the model).
        p.setProperty("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
        return p;
    }

    private static void writeConfig(Path dataDir, Properties props, int brokerPort, int controllerPort) {
        store(dataDir.resolve(CONFIG_FILE), props);
        // The ports a restart on this folder comes back on (kept apart: Kafka warns about keys it does not know).
        Properties ports = new Properties();
        ports.setProperty("broker.port", Integer.toString(brokerPort));
        ports.setProperty("controller.port", Integer.toString(controllerPort));
        store(dataDir.resolve(PORTS_FILE), ports);
    }

    private static void store(Path file, Properties props) {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            props.store(w, "oisr embedded Kafka");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static Properties readPorts(Path dataDir) {
        Properties p = new Properties();
        Path file = dataDir.resolve(PORTS_FILE);
        if (Files.isRegularFile(file)) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return p;
    }

    /** The port stored under {@code key} if it is still free, else a free one. */
    private static int reusablePort(Properties previous, String key) {
        String value = previous.getProperty(key);
        if (value != null && value.matches("\\d{1,5}")) {
            int port = Integer.parseInt(value);
            if (port > 0 && port <= 65535 && isFree(port)) {
                return port;
            }
            LOG.info("port {} of the last start is taken; using another", port);
        }
        return freePort();
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void format(Path dataDir) {
        Path configFile = dataDir.resolve(CONFIG_FILE);
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
}
