package org.oisrstream.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oisrstream.jobs.kafka.SaslSslBroker;
import org.oisrstream.jobs.upscale.UpscaleJob;
import org.oisrstream.jobs.upscale.UpscaleJobParameters;
import org.oisrstream.operators.media.TestClips;

/**
 * The tools and the job against a SASL_SSL (SCRAM-SHA-512) broker: with the right credentials in a
 * {@code --kafka-config} file, topics, ingest, the job (parameters as {@code flink run} passes them) and assemble
 * work end to end; without credentials, with a wrong password, or plaintext, each tool fails with one clear line
 * in bounded time. No password appears in anything printed or logged (Kafka's and Flink's INFO logs included).
 */
class SecuredKafkaTest {

    private static final int MAX_RECORD = 8 << 20;

    @TempDir
    static Path dir;

    private static SaslSslBroker broker;
    private static final String USER = "oisr-job";
    private static final String PASSWORD = "pw-" + UUID.randomUUID();
    private static final StringWriter LOGS = new StringWriter();
    private static final List<String> PRINTED = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        captureLogs();
        broker = SaslSslBroker.start(dir, MAX_RECORD);
        broker.addUser(USER, PASSWORD);
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.reconfigure();
    }

    /** Everything logged from here on, Kafka's and Flink's INFO config dumps included, also goes to LOGS. */
    private static void captureLogs() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        WriterAppender capture = WriterAppender.newBuilder().setName("secret-capture").setTarget(LOGS)
                .setLayout(PatternLayout.newBuilder().withPattern("%c %m%n").build()).build();
        capture.start();
        config.addAppender(capture);
        config.getRootLogger().addAppender(capture, Level.ALL, null);
        for (String name : List.of("org.apache.kafka", "org.apache.flink.connector.kafka", "kafka")) {
            LoggerConfig logger = new LoggerConfig(name, Level.INFO, false);
            logger.addAppender(capture, Level.ALL, null);
            config.addLogger(name, logger);
        }
        ctx.updateLoggers();
    }

    private static CliRun oisr(String... args) {
        CliRun run = CliRun.run(args);
        PRINTED.add(run.out());
        PRINTED.add(run.err());
        return run;
    }

    private static String lastLine(CliRun run) {
        List<String> lines = run.err().lines().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    @Test
    void toolsAndJobWorkWithCredentialsAndFailWithOneLineWithout() throws Exception {
        String servers = broker.address();
        String config = broker.clientConfig(USER, PASSWORD).toString();
        TestClips.Clip clip = TestClips.write(dir.resolve("clip.mkv"), TestClips.ClipSpec.of(64, 48, 30, 30));

        CliRun topics = oisr("topics", "--bootstrap-servers", servers, "--kafka-config", config,
                "--max-record-bytes", "" + MAX_RECORD, "sec.in", "sec.out", "sec.dead");
        assertEquals(0, topics.exit(), topics.err());
        CliRun ingest = oisr("ingest", clip.path().toString(), "--bootstrap-servers", servers, "--kafka-config", config,
                "--topic", "sec.in", "--stream-id", "cam", "--chunk-seconds", "0.5", "--max-record-bytes", "" + MAX_RECORD);
        assertEquals(0, ingest.exit(), ingest.err());
        assertTrue(ingest.err().contains(" 30 frames, "), ingest.err());

        // The job as a cluster runs it: from program arguments, the secret only in the file they name.
        UpscaleJobParameters params = UpscaleJobParameters.fromArgs(new String[] {"--bootstrap-servers", servers,
                "--kafka-config", config, "--kafka-property", "client.dns.lookup=use_all_dns_ips",
                "--input-topic", "sec.in", "--output-topic", "sec.out", "--dead-letter-topic", "sec.dead",
                "--group-id", "sec", "--transactional-id-prefix", "sec", "--checkpoint-interval-ms", "500",
                "--parallelism", "1", "--model", "nearest", "--scale", "2", "--chunks-in-flight", "1",
                "--frames-in-flight", "4", "--max-record-bytes", "" + MAX_RECORD});
        assertFalse(String.join(" ", params.toArgs()).contains(PASSWORD), "job parameters hold no secret");
        assertFalse(params.toString().contains(PASSWORD), "nor does their description");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1,
                UpscaleJob.jobConfiguration(params));
        JobClient job = UpscaleJob.start(env, params);
        Path out = dir.resolve("upscaled.mp4");
        try {
            CliRun assemble = oisr("assemble", "--bootstrap-servers", servers, "--kafka-config", config,
                    "--topic", "sec.out", "--dead-letter-topic", "sec.dead", "--stream-id", "cam",
                    "--output", out.toString(), "--timeout", "PT120S", "--max-record-bytes", "" + MAX_RECORD);
            assertEquals(0, assemble.exit(), assemble.err());
            assertTrue(assemble.err().contains(" 30 frames, "), assemble.err());
        } finally {
            job.cancel().get();
        }
        assertTrue(Files.size(out) > 0);

        // oisr upscale against the secured cluster: its own topics, ingest, local job and assembly, all with the file.
        Path local = dir.resolve("local.mp4");
        CliRun upscale = oisr("upscale", clip.path().toString(), local.toString(), "--bootstrap-servers", servers,
                "--kafka-config", config, "--model", "nearest", "--scale", "2", "--chunk-seconds", "0.5",
                "--max-record-bytes", "" + MAX_RECORD, "--timeout", "PT120S");
        assertEquals(0, upscale.exit(), upscale.err());
        assertTrue(upscale.err().contains("wrote " + local + ": 30 frames"), upscale.err());

        // Plaintext (no settings at all) at the SASL_SSL listener: the connection just closes; bounded wait.
        CliRun plain = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> oisr("topics", "--bootstrap-servers",
                servers, "--kafka-property", "default.api.timeout.ms=5000", "sec.other"));
        assertEquals(1, plain.exit(), plain.err());
        assertTrue(lastLine(plain).startsWith("oisr topics: creating topics [sec.other] failed: no answer from Kafka at "
                + servers + " within 5 s"), plain.err());

        // TLS right, wrong password: refused by the broker.
        String wrong = broker.clientConfig(USER, "not-" + PASSWORD).toString();
        CliRun badLogin = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> oisr("ingest",
                clip.path().toString(), "--bootstrap-servers", servers, "--kafka-config", wrong, "--topic", "sec.in",
                "--stream-id", "intruder", "--max-record-bytes", "" + MAX_RECORD));
        assertEquals(1, badLogin.exit(), badLogin.err());
        assertTrue(lastLine(badLogin).startsWith("oisr ingest: ") && lastLine(badLogin).contains("refused the credentials"),
                badLogin.err());

        // TLS right, no login at all.
        CliRun anonymous = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> oisr("assemble",
                "--bootstrap-servers", servers, "--kafka-config", broker.clientConfigWithoutCredentials().toString(),
                "--topic", "sec.out", "--stream-id", "cam", "--output", dir.resolve("anon.mp4").toString(),
                "--timeout", "PT10S"));
        assertEquals(1, anonymous.exit(), anonymous.err());
        assertTrue(lastLine(anonymous).startsWith("oisr assemble: creating a Kafka consumer failed: no SASL login for"
                + " Kafka at " + servers + "; set sasl.jaas.config"), anonymous.err());
        assertFalse(Files.exists(dir.resolve("anon.mp4")));

        for (CliRun failed : List.of(plain, badLogin, anonymous)) {
            assertEquals(1, failed.err().lines().filter(l -> l.startsWith("oisr ")).count(), failed.err());
            System.out.println("without the right credentials: " + lastLine(failed));
        }
        String logged = LOGS.toString();
        assertTrue(logged.contains("sasl.jaas.config = [hidden]"), "Kafka's config dumps were captured");
        for (String secret : List.of(PASSWORD, broker.truststorePassword(), broker.keystorePassword())) {
            assertFalse(logged.contains(secret), "a secret is in the logs");
            for (String printed : PRINTED) {
                assertFalse(printed.contains(secret), "a secret was printed: " + printed);
            }
        }
    }

    @Test
    void jobParametersRefuseSecretsAndPointAtTheFile() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> UpscaleJobParameters.fromArgs(new String[] {"--bootstrap-servers", "b:9092",
                        "--kafka-property", "sasl.jaas.config=x required password=\"" + PASSWORD + "\";"}));
        assertTrue(e.getMessage().contains("sasl.jaas.config=... is a secret") && e.getMessage().contains("--kafka-config"),
                e.getMessage());
        assertFalse(e.getMessage().contains(PASSWORD));
        UpscaleJobParameters params = UpscaleJobParameters.fromArgs(new String[] {"--bootstrap-servers", "b:9092",
                "--kafka-config", broker.clientConfig(USER, PASSWORD).toString(),
                "--kafka-property", "security.protocol=SASL_SSL", "--kafka-property", "sasl.mechanism=SCRAM-SHA-512"});
        assertEquals(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512"), params.kafka().inline());
        assertTrue(params.kafka().properties().get("sasl.jaas.config").contains(PASSWORD), "read from the file");
        assertEquals("[hidden]", params.kafka().describe().get("sasl.jaas.config"));
        assertEquals("[hidden]", params.kafka().describe().get("ssl.truststore.password"));
        UpscaleJobParameters back = UpscaleJobParameters.fromArgs(params.toArgs().toArray(String[]::new));
        assertEquals(params, back, "the file path and non-secret settings round-trip");
        CliRun missing = oisr("topics", "--bootstrap-servers", "b:9092", "--kafka-config", dir.resolve("nope").toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("Kafka client config " + dir.resolve("nope") + " does not exist"), missing.err());
    }
}
