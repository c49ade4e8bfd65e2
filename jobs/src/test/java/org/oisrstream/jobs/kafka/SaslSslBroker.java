package org.oisrstream.jobs.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

/**
 * Test material: the embedded broker with a SASL_SSL listener (TLS with a certificate made here by the JDK's
 * keytool, SCRAM-SHA-512 logins) next to its PLAINTEXT one, which stays for the broker itself and serves as the
 * super-user's way in to create SCRAM credentials (KRaft keeps them in the metadata log; the admin API writes
 * them). All passwords are random per broker, so tests can look for them in logs.
 */
public final class SaslSslBroker implements AutoCloseable {

    public static final String LISTENER = "SASL_SSL";
    public static final String MECHANISM = "SCRAM-SHA-512";

    private final EmbeddedKafka kafka;
    private final Path dir;
    private final String truststorePassword;
    private final String keystorePassword;

    private SaslSslBroker(EmbeddedKafka kafka, Path dir, String truststorePassword, String keystorePassword) {
        this.kafka = kafka;
        this.dir = dir;
        this.truststorePassword = truststorePassword;
        this.keystorePassword = keystorePassword;
    }

    /** Makes a key pair and trust store in {@code dir} and starts the broker. */
    public static SaslSslBroker start(Path dir, int maxMessageBytes) {
        String keystorePassword = "ks-" + UUID.randomUUID();
        String truststorePassword = "ts-" + UUID.randomUUID();
        Path keystore = dir.resolve("broker.p12");
        Path cert = dir.resolve("broker.crt");
        Path truststore = dir.resolve("truststore.p12");
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=IP:127.0.0.1,DNS:localhost", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", keystorePassword, "-keypass", keystorePassword);
        keytool("-exportcert", "-alias", "broker", "-rfc", "-keystore", keystore.toString(),
                "-storepass", keystorePassword, "-file", cert.toString());
        keytool("-importcert", "-noprompt", "-alias", "broker", "-file", cert.toString(), "-storetype", "PKCS12",
                "-keystore", truststore.toString(), "-storepass", truststorePassword);
        String l = "listener.name." + LISTENER.toLowerCase() + ".";
        Map<String, String> settings = Map.of(
                "sasl.enabled.mechanisms", MECHANISM,
                l + MECHANISM.toLowerCase() + ".sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                l + "ssl.keystore.location", keystore.toString(),
                l + "ssl.keystore.password", keystorePassword,
                l + "ssl.key.password", keystorePassword,
                l + "ssl.keystore.type", "PKCS12");
        EmbeddedKafka kafka = EmbeddedKafka.start(maxMessageBytes, Map.of(),
                new EmbeddedKafka.ExtraListener(LISTENER, "SASL_SSL", settings));
        return new SaslSslBroker(kafka, dir, truststorePassword, keystorePassword);
    }

    private static void keytool(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool " + args[0] + " failed: " + out.strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** host:port of the SASL_SSL listener. */
    public String address() {
        return kafka.listenerAddress(LISTENER);
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    public String truststorePassword() {
        return truststorePassword;
    }

    public String keystorePassword() {
        return keystorePassword;
    }

    /** Creates (or replaces) SCRAM credentials through the PLAINTEXT listener and waits until they log in. */
    public void addUser(String user, String password) throws Exception {
        try (Admin admin = kafka.admin()) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password))).all().get(30, TimeUnit.SECONDS);
        }
        KafkaClientConfig config = KafkaClientConfig.load(clientConfig(user, password), Map.of());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try (Admin admin = ChunkTopics.admin(address(), config.with(Map.of("default.api.timeout.ms", "5000")))) {
                admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("user " + user + " cannot log in: " + e, e);
                }
                Thread.sleep(200);
            }
        }
    }

    /** The client properties file (as Kafka's tools take it) for {@code user}; written once per user. */
    public Path clientConfig(String user, String password) {
        Properties p = trustOnly();
        p.setProperty("sasl.mechanism", MECHANISM);
        p.setProperty("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"" + user + "\" password=\"" + password + "\";");
        return write(p, "client-" + user + "-" + Integer.toHexString(password.hashCode()) + ".properties");
    }

    /** A SASL_SSL client config that trusts the broker but has no login. */
    public Path clientConfigWithoutCredentials() {
        Properties p = trustOnly();
        p.setProperty("sasl.mechanism", MECHANISM);
        return write(p, "client-anonymous.properties");
    }

    private Properties trustOnly() {
        Properties p = new Properties();
        p.setProperty("security.protocol", "SASL_SSL");
        p.setProperty("ssl.truststore.location", dir.resolve("truststore.p12").toString());
        p.setProperty("ssl.truststore.type", "PKCS12");
        p.setProperty("ssl.truststore.password", truststorePassword);
        return p;
    }

    private Path write(Properties p, String name) {
        Path file = dir.resolve(name);
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(w, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    @Override
    public void close() {
        kafka.close();
    }
}
