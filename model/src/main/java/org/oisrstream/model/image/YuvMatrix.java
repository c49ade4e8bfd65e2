package org.oisrstream.model.image;

import java.util.Objects;

/**
 * A Y'CbCr colour matrix (its luma weights Kr and Kb) and the 8-bit limited-range conversion from full-range
 * R'G'B' that video encoders take: Y' in 16..235, Cb and Cr in 16..240 around 128.
 */
public record YuvMatrix(String name, double kr, double kb) {

    public static final YuvMatrix BT601 = new YuvMatrix("bt601", 0.299, 0.114);
    public static final YuvMatrix BT709 = new YuvMatrix("bt709", 0.2126, 0.0722);
    public static final YuvMatrix FCC = new YuvMatrix("fcc", 0.30, 0.11);
    public static final YuvMatrix SMPTE240M = new YuvMatrix("smpte240m", 0.212, 0.087);
    public static final YuvMatrix BT2020 = new YuvMatrix("bt2020", 0.2627, 0.0593);

    public YuvMatrix {
        Objects.requireNonNull(name, "name");
        if (!(kr > 0 && kb > 0 && kr + kb < 1)) {
            throw new IllegalArgumentException("not a colour matrix: Kr " + kr + ", Kb " + kb);
        }
    }

    /**
     * Rows Y', Cb, Cr; columns the weights of R, G and B (0..255) and then the offset: {@code Y' = row0 . (R, G, B)
     * + row0[3]}, unrounded.
     */
    public double[][] fromRgb() {
        double kg = 1 - kr - kb;
        double luma = 219.0 / 255;
        double chroma = 224.0 / 255;
        double cb = chroma / (2 * (1 - kb));
        double cr = chroma / (2 * (1 - kr));
        return new double[][] {
                {luma * kr, luma * kg, luma * kb, 16},
                {-cb * kr, -cb * kg, cb * (1 - kb), 128},
                {cr * (1 - kr), -cr * kg, -cr * kb, 128}};
    }
}
