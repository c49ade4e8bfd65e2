package org.oisrstream.jobs.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientConfigTest {

    @TempDir
    Path dir;

    @Test
    void fileThenInlineSettingsWithSecretsMasked() throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, "security.protocol=SASL_SSL\nsasl.mechanism=PLAIN\n"
                + "sasl.jaas.config=PlainLoginModule required username=\"u\" password=\"hunter2\";\n"
                + "ssl.truststore.password=trust-me\nssl.keystore.key=-----BEGIN PRIVATE KEY-----\n");
        KafkaClientConfig config = KafkaClientConfig.load(file, KafkaClientConfig.parse(
                List.of("sasl.mechanism=SCRAM-SHA-512", "client.id=a=b")));
        assertEquals("SCRAM-SHA-512", config.properties().get("sasl.mechanism"), "inline wins");
        assertEquals("a=b", config.inline().get("client.id"), "values may hold '='");
        assertEquals("b:1", config.clientProperties("b:1").getProperty("bootstrap.servers"));
        String shown = config.toString() + config.describe();
        for (String secret : List.of("hunter2", "trust-me", "PRIVATE KEY")) {
            assertFalse(shown.contains(secret), shown);
        }
        assertTrue(shown.contains("security.protocol=SASL_SSL"), shown);
        assertEquals(KafkaClientConfig.DEFAULT_WAIT, config.waitTimeout());
        assertEquals(Duration.ofSeconds(5), config.with(Map.of("default.api.timeout.ms", "5000")).waitTimeout());
    }

    @Test
    void badInputIsOneLineWithoutTheValue() {
        IllegalArgumentException noKey = assertThrows(IllegalArgumentException.class,
                () -> KafkaClientConfig.parse(List.of("hunter2")));
        assertFalse(noKey.getMessage().contains("hunter2"));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> KafkaClientConfig.load(dir.resolve("nope.properties"), Map.of()));
        assertTrue(missing.getMessage().endsWith("nope.properties does not exist"), missing.getMessage());
        assertTrue(KafkaClientConfig.isSecret("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config"));
        assertTrue(KafkaClientConfig.isSecret("sasl.oauthbearer.client.credentials.client.secret"));
        assertFalse(KafkaClientConfig.isSecret("ssl.truststore.location"));
    }
}
