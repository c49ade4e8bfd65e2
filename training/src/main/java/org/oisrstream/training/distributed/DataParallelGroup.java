package org.oisrstream.training.distributed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacpp.chrono.Milliseconds;
import org.bytedeco.pytorch.GlooDeviceVector;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.ProcessGroupGloo;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.TCPStore;
import org.bytedeco.pytorch.TCPStoreOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.Work;
import org.bytedeco.pytorch.global.torch;

/**
 * One process of a data-parallel run on one node, over LibTorch's c10d Gloo process group (as PyTorch's
 * DistributedDataParallel with the gloo backend): rank 0 serves a {@code TCPStore} on loopback, every rank joins
 * the group, parameters start equal (broadcast from rank 0), and each step the gradients are summed over the ranks
 * and divided by their number, so every replica applies the same update: the gradient of the mean loss over the
 * global batch. The step's loss and a stop flag ride along in the same all-reduce, so all ranks log the same loss
 * and stop at the same step when any of them is told to (SIGTERM).
 */
public final class DataParallelGroup implements AutoCloseable {

    /** The all-reduced outcome of a step: the mean loss over the ranks and whether any rank asked to stop. */
    public record Reduced(double meanLoss, boolean stop) {
    }

    private static final String LOOPBACK = "127.0.0.1";

    private final ReplicaSetup setup;
    private final TCPStore store;
    private final ProcessGroupGloo group;

    private DataParallelGroup(ReplicaSetup setup, TCPStore store, ProcessGroupGloo group) {
        this.setup = setup;
        this.store = store;
        this.group = group;
    }

    /** Joins (rank 0: opens) the group; blocks until every rank has joined or {@code timeout} passes. */
    public static DataParallelGroup join(ReplicaSetup setup, Duration timeout) {
        Milliseconds millis = new Milliseconds(timeout.toMillis());
        TCPStoreOptions options = new TCPStoreOptions();
        options.port((short) setup.storePort());
        options.isServer(setup.leader());
        options.waitWorkers(false);
        options.timeout(millis);
        TCPStore store;
        try {
            store = new TCPStore(LOOPBACK, options);
        } catch (RuntimeException e) {
            throw new IllegalStateException("rank " + setup.rank() + " could not " + (setup.leader() ? "serve" : "reach")
                    + " the rendezvous store on " + LOOPBACK + ":" + setup.storePort() + ": " + e.getMessage(), e);
        }
        ProcessGroupGloo.Options groupOptions = ProcessGroupGloo.Options.create(millis);
        groupOptions.devices(new GlooDeviceVector(ProcessGroupGloo.createDeviceForHostname(LOOPBACK)));
        ProcessGroupGloo group = new ProcessGroupGloo(store, setup.rank(), setup.worldSize(), groupOptions);
        return new DataParallelGroup(setup, store, group);
    }

    public ReplicaSetup setup() {
        return setup;
    }

    /** Overwrites every tensor with rank 0's values (in place, outside autograd). */
    public void broadcastFromLeader(Collection<Tensor> tensors) {
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            for (Tensor t : tensors) {
                Tensor buffer = t.contiguous();
                await(group.broadcast(new TensorVector(buffer)), "broadcast");
                t.copy_(buffer);
            }
        }
    }

    /**
     * Averages the gradients over the ranks in place (one all-reduce of a flat buffer), and reduces this rank's
     * loss and stop flag with them.
     */
    public Reduced averageGradients(Collection<Tensor> gradients, double loss, boolean stopRequested) {
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            List<Tensor> defined = new ArrayList<>();
            long total = 0;
            for (Tensor g : gradients) {
                if (g.defined()) {
                    defined.add(g);
                    total += g.numel();
                }
            }
            Tensor flat = torch.empty(total + 2);
            if (!defined.isEmpty() && !defined.get(0).device().is_cpu()) {
                flat = flat.to(defined.get(0).device(), torch.ScalarType.Float);
            }
            long offset = 0;
            for (Tensor g : defined) {
                flat.narrow(0, offset, g.numel()).view_as(g).copy_(g);
                offset += g.numel();
            }
            flat.narrow(0, total, 1).fill_(new Scalar(loss));
            flat.narrow(0, total + 1, 1).fill_(new Scalar(stopRequested ? 1.0 : 0.0));
            await(group.allreduce(new TensorVector(flat)), "gradient all-reduce");
            flat.div_(new Scalar((double) setup.worldSize()));
            offset = 0;
            for (Tensor g : defined) {
                g.copy_(flat.narrow(0, offset, g.numel()).view_as(g));
                offset += g.numel();
            }
            Tensor tail = flat.narrow(0, total, 2).cpu();
            return new Reduced(tail.get(0).item_double(), tail.get(1).item_double() > 0);
        }
    }

    /** Waits until every rank got here (e.g. rank 0 finished writing a checkpoint the others will read). */
    public void barrier() {
        await(group.barrier(), "barrier");
    }

    private void await(Work work, String what) {
        try {
            work._wait();
        } catch (RuntimeException e) {
            throw new IllegalStateException("rank " + setup.rank() + ": " + what + " failed (did another rank"
                    + " stop?): " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        group.close();
        store.close();
    }
}
