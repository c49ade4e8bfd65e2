package org.oisrstream.jobs.local;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.junit.jupiter.api.Test;

/** A cluster started in the background (while the broker starts) is closed whether or not it came up. */
class LocalClusterTest {

    @Test
    void aClusterStartedInTheBackgroundRunsAndIsClosedWhenDone() throws Exception {
        CompletableFuture<LocalCluster> starting = LocalCluster.startInBackground(new Configuration(), 1);
        LocalCluster cluster = starting.get(2, TimeUnit.MINUTES);
        assertTrue(cluster.isRunning());
        LocalCluster.closeWhenStarted(starting);
        assertFalse(cluster.isRunning());
    }

    @Test
    void aClusterThatCannotStartReportsWhyAndNeedsNoClosing() {
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_PORT, "not-a-port");
        CompletableFuture<LocalCluster> starting = LocalCluster.startInBackground(conf, 1);
        ExecutionException failed = assertThrows(ExecutionException.class, () -> starting.get(2, TimeUnit.MINUTES));
        assertTrue(failed.getCause() != null);
        LocalCluster.closeWhenStarted(starting);
    }
}
