package org.oisrstream.jobs.kafka;

import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Kafka client settings given the way Kafka's own tools take them: a file of standard client properties
 * ({@code --kafka-config client.properties}, e.g. {@code security.protocol}, {@code sasl.mechanism},
 * {@code sasl.jaas.config}, {@code ssl.truststore.location}) and single {@code key=value} settings
 * ({@code --kafka-property}) that win over the file. Every Kafka client of the project (producers, consumers,
 * admin clients, the job's source and sink) starts from these and adds its own chunk settings.
 *
 * <p>Secrets stay out of sight: {@link #toString()} and {@link #describe()} mask every value whose key is
 * secret ({@link #isSecret}); the job takes the file's path as a parameter, never its contents.
 */
public final class KafkaClientConfig implements Serializable {

    private static final long serialVersionUID = 1L;

    /** How long a client waits for the cluster by default before giving up with a clear error. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);
    public static final String MASK = "[hidden]";

    private static final KafkaClientConfig NONE = new KafkaClientConfig(null, Map.of(), Map.of());

    private final String file;
    private final Map<String, String> fromFile;
    private final Map<String, String> inline;

    private KafkaClientConfig(String file, Map<String, String> fromFile, Map<String, String> inline) {
        this.file = file;
        this.fromFile = Collections.unmodifiableMap(new TreeMap<>(fromFile));
        this.inline = Collections.unmodifiableMap(new TreeMap<>(inline));
    }

    /** No settings beyond the bootstrap servers: a PLAINTEXT cluster without authentication. */
    public static KafkaClientConfig none() {
        return NONE;
    }

    /**
     * Reads {@code file} (may be null) and adds {@code inline} settings over it.
     *
     * @throws IllegalArgumentException with a one-line reason that never quotes the file's content
     */
    public static KafkaClientConfig load(Path file, Map<String, String> inline) {
        Map<String, String> fromFile = new LinkedHashMap<>();
        if (file != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException("Kafka client config " + file + " does not exist");
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalArgumentException("cannot read Kafka client config " + file + ": "
                        + e.getClass().getSimpleName());
            }
            p.stringPropertyNames().forEach(k -> fromFile.put(k, p.getProperty(k)));
        }
        return new KafkaClientConfig(file == null ? null : file.toString(), fromFile,
                inline == null ? Map.of() : inline);
    }

    /** Parses {@code key=value} settings (as {@code --kafka-property} gives them); the value may contain '='. */
    public static Map<String, String> parse(List<String> keyValues) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String kv : keyValues == null ? List.<String>of() : keyValues) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                // Do not echo the argument: it may be a secret typed without its key.
                throw new IllegalArgumentException("a Kafka property must be key=value, got an argument without '='"
                        + " or without a key");
            }
            out.put(kv.substring(0, eq).strip(), kv.substring(eq + 1));
        }
        return out;
    }

    /** Whether a setting holds a secret: passwords, JAAS configs (they embed passwords), keys, secrets, tokens. */
    public static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.endsWith("jaas.config") || k.contains("secret") || k.endsWith(".key")
                || k.contains("token") || k.contains("credential") || k.endsWith("keystore.certificate.chain");
    }

    /** The file the settings came from, or null. */
    public String file() {
        return file;
    }

    /** The settings given one by one (over the file's). */
    public Map<String, String> inline() {
        return inline;
    }

    /** All settings: the file's, then the inline ones over them. */
    public Map<String, String> properties() {
        Map<String, String> all = new TreeMap<>(fromFile);
        all.putAll(inline);
        return all;
    }

    public boolean isEmpty() {
        return fromFile.isEmpty() && inline.isEmpty();
    }

    /** A copy with {@code more} settings over these (inline). */
    public KafkaClientConfig with(Map<String, String> more) {
        Map<String, String> merged = new LinkedHashMap<>(inline);
        merged.putAll(more);
        return new KafkaClientConfig(file, fromFile, merged);
    }

    /**
     * The settings for a client: these, then {@code bootstrap.servers}. Callers put their own required settings
     * (serializers, isolation, sizes) on top.
     */
    public Properties clientProperties(String bootstrapServers) {
        Properties p = new Properties();
        properties().forEach(p::setProperty);
        p.setProperty("bootstrap.servers", Objects.requireNonNull(bootstrapServers, "bootstrapServers"));
        return p;
    }

    /** How long to wait for the cluster: {@code default.api.timeout.ms} if set, else {@link #DEFAULT_WAIT}. */
    public Duration waitTimeout() {
        String v = properties().get("default.api.timeout.ms");
        if (v != null) {
            try {
                long ms = Long.parseLong(v.strip());
                if (ms > 0) {
                    return Duration.ofMillis(ms);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("default.api.timeout.ms must be a number of milliseconds");
            }
        }
        return DEFAULT_WAIT;
    }

    /** The settings with secret values masked, for logs and messages. */
    public Map<String, String> describe() {
        Map<String, String> masked = new TreeMap<>();
        properties().forEach((k, v) -> masked.put(k, isSecret(k) ? MASK : v));
        return masked;
    }

    @Override
    public String toString() {
        return "KafkaClientConfig" + (file == null ? "" : "(file " + file + ")") + describe();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KafkaClientConfig other && Objects.equals(file, other.file)
                && fromFile.equals(other.fromFile) && inline.equals(other.inline);
    }

    @Override
    public int hashCode() {
        return Objects.hash(file, fromFile, inline);
    }
}
