package org.oisrstream.model.quality;

/**
 * The weights and source indices of one-dimensional MATLAB bicubic resampling, as MATLAB's
 * {@code imresize>contributions} computes them: output sample {@code o} is
 * {@code sum_k weights[o * taps + k] * in[indices[o * taps + k]]}, the sum taken in order of {@code k}.
 * Indices are already mirrored into {@code [0, inLength)} (MATLAB's symmetric border).
 */
record ResizeContributions(int inLength, int outLength, int taps, int[] indices, double[] weights) {

    /** The Keys cubic kernel with a = -0.5, written exactly as MATLAB's {@code imresize>cubic}. */
    static double cubic(double x) {
        double absx = Math.abs(x);
        double absx2 = absx * absx;
        double absx3 = absx2 * absx;
        if (absx <= 1) {
            return 1.5 * absx3 - 2.5 * absx2 + 1;
        }
        if (absx <= 2) {
            return -0.5 * absx3 + 2.5 * absx2 - 4 * absx + 2;
        }
        return 0;
    }

    /**
     * @param scale        output length / input length as the caller gave it (MATLAB uses the given scale, not the
     *                     ratio of the rounded lengths)
     * @param antialiasing widen the kernel by 1/scale when shrinking (MATLAB's default for bicubic)
     */
    static ResizeContributions compute(int inLength, int outLength, double scale, boolean antialiasing) {
        boolean widened = scale < 1 && antialiasing;
        double kernelWidth = widened ? 4.0 / scale : 4.0;
        int taps = (int) Math.ceil(kernelWidth) + 2;
        int[] indices = new int[outLength * taps];
        double[] weights = new double[outLength * taps];
        int mirroredPeriod = 2 * inLength;
        for (int o = 0; o < outLength; o++) {
            // MATLAB is 1-based: x = 1..outLength, and the source position u is 1-based too.
            double x = o + 1;
            double u = x / scale + 0.5 * (1 - 1 / scale);
            double left = Math.floor(u - kernelWidth / 2);
            double sum = 0;
            for (int k = 0; k < taps; k++) {
                double index = left + k;
                double w = widened ? scale * cubic(scale * (u - index)) : cubic(u - index);
                weights[o * taps + k] = w;
                sum += w;
            }
            for (int k = 0; k < taps; k++) {
                weights[o * taps + k] /= sum;
                // aux = [1:in, in:-1:1]; index -> aux(mod(index - 1, 2 * in) + 1), converted to 0-based.
                int m = (int) Math.floorMod((long) left + k - 1, (long) mirroredPeriod);
                indices[o * taps + k] = m < inLength ? m : mirroredPeriod - 1 - m;
            }
        }
        return new ResizeContributions(inLength, outLength, taps, indices, weights);
    }
}
