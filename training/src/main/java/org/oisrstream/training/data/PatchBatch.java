package org.oisrstream.training.data;

/**
 * A minibatch of matching LR and HR patches as 8-bit RGB in NHWC order: {@code lr} holds
 * {@code size x lrPatch x lrPatch x 3} bytes, {@code hr} holds {@code size x lrPatch*scale x lrPatch*scale x 3}.
 * {@code index} is the batch number (the training iteration it feeds).
 */
public record PatchBatch(long index, int size, int lrPatch, int scale, byte[] lr, byte[] hr) {

    public PatchBatch {
        int hrPatch = lrPatch * scale;
        if (lr.length != size * lrPatch * lrPatch * 3 || hr.length != size * hrPatch * hrPatch * 3) {
            throw new IllegalArgumentException("patch buffers do not match " + size + " x " + lrPatch + " x" + scale);
        }
    }

    public int hrPatch() {
        return lrPatch * scale;
    }
}
