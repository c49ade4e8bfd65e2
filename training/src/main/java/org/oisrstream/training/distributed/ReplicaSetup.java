package org.oisrstream.training.distributed;

/**
 * Where one process sits in a data-parallel run on one node: its rank among {@code worldSize} processes (one per
 * device) and the loopback port of the rendezvous store that rank 0 serves.
 */
public record ReplicaSetup(int rank, int worldSize, int storePort) {

    public ReplicaSetup {
        if (worldSize < 2) {
            throw new IllegalArgumentException("data-parallel training needs --world-size of at least 2, got " + worldSize);
        }
        if (rank < 0 || rank >= worldSize) {
            throw new IllegalArgumentException("--rank must be in 0.." + (worldSize - 1) + ", got " + rank);
        }
        if (storePort < 1 || storePort > 65535) {
            throw new IllegalArgumentException("--dist-port must be a TCP port (1..65535), got " + storePort);
        }
    }

    public boolean leader() {
        return rank == 0;
    }
}
