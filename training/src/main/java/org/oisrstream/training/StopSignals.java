package org.oisrstream.training;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns SIGTERM (Kubernetes' preemption and eviction signal) and SIGINT into a request to stop at the next step
 * boundary, instead of the JVM's default of exiting at once: the training loop then writes a checkpoint and
 * returns, and the program exits with {@link TrainMain#EXIT_INTERRUPTED}. The previous handlers come back on
 * {@link #close()}. A second signal of the same kind while the stop is pending falls through to the previous
 * handler (an impatient Ctrl-C twice still exits at once).
 *
 * <p>Uses {@code sun.misc.Signal} (module jdk.unsupported, exported in every JDK since 9): the JDK's only way to
 * replace the exit-on-SIGTERM behaviour rather than race it from a shutdown hook. Where it cannot be installed
 * (e.g. {@code -Xrs}) the request stays available through {@link #request()}, which the trainer's shutdown hook
 * calls.
 */
public final class StopSignals implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);
    private static final String[] SIGNALS = {"TERM", "INT"};

    private final AtomicBoolean requested = new AtomicBoolean();
    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();

    private StopSignals() {
    }

    public static StopSignals install() {
        StopSignals s = new StopSignals();
        for (String name : SIGNALS) {
            try {
                Signal signal = new Signal(name);
                SignalHandler[] before = new SignalHandler[1];
                before[0] = Signal.handle(signal, sig -> {
                    if (!s.requested.compareAndSet(false, true)) {
                        before[0].handle(sig);
                        return;
                    }
                    LOG.info("SIG{}: stopping after this iteration with a checkpoint", sig.getName());
                });
                s.signals.add(signal);
                s.previous.add(before[0]);
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                LOG.debug("cannot handle SIG{} ({}); the shutdown hook covers it", name, e.getMessage());
            }
        }
        return s;
    }

    public boolean requested() {
        return requested.get();
    }

    public void request() {
        requested.set(true);
    }

    @Override
    public void close() {
        for (int i = 0; i < signals.size(); i++) {
            Signal.handle(signals.get(i), previous.get(i));
        }
    }
}
