package org.oisrstream.jobs.kafka;

import java.time.Duration;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

/**
 * One clear line for the ways a Kafka client fails to talk to a cluster: no answer in time (wrong address, or a
 * plaintext client at a TLS/SASL listener, which just sees the connection close), TLS and SASL rejections,
 * missing ACLs. Kafka's own messages name the mechanism and principal, never a password.
 */
public final class KafkaFailures {

    private KafkaFailures() {
    }

    /** A message for {@code failure} of {@code what} (e.g. "listing topics") against {@code bootstrapServers}. */
    public static String explain(Throwable failure, String what, String bootstrapServers, Duration waited) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SslAuthenticationException) {
                return what + " failed: the TLS handshake with Kafka at " + bootstrapServers + " failed ("
                        + t.getMessage() + "); check ssl.truststore.* in --kafka-config";
            }
            if (t instanceof AuthenticationException) {
                return what + " failed: Kafka at " + bootstrapServers + " refused the credentials (" + t.getMessage()
                        + "); check sasl.mechanism and sasl.jaas.config in --kafka-config";
            }
            if (t instanceof AuthorizationException) {
                return what + " failed: not authorised on Kafka at " + bootstrapServers + " (" + t.getMessage()
                        + "); see the ACLs in docs/security.md";
            }
            if (t.getMessage() != null && t.getMessage().contains("'KafkaClient' entry in the JAAS configuration")) {
                return what + " failed: no SASL login for Kafka at " + bootstrapServers + "; set sasl.jaas.config"
                        + " (user and password) in --kafka-config";
            }
            if (t instanceof java.util.concurrent.TimeoutException
                    || t instanceof org.apache.kafka.common.errors.TimeoutException) {
                return what + " failed: no answer from Kafka at " + bootstrapServers + " within " + waited.toSeconds()
                        + " s; check --bootstrap-servers and the security settings (--kafka-config: security.protocol,"
                        + " SASL and TLS; the default is PLAINTEXT without authentication)";
            }
        }
        String message = failure.getMessage();
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
        if (root != failure && root.getMessage() != null && !text.contains(root.getMessage())) {
            text += ": " + root.getMessage();
        }
        return what + " failed on Kafka at " + bootstrapServers + ": " + text.replaceAll("\\s*\\R\\s*", " ");
    }
}
