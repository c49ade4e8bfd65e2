package org.oisrstream.model.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DihedralTest {

    private static final RgbImage IMAGE = random(5, 3);

    @Test
    void eachTransformIsUndoneByItsInverse() {
        for (Dihedral d : Dihedral.values()) {
            assertEquals(IMAGE, d.inverse().apply(d.apply(IMAGE)), d.name());
            assertEquals(IMAGE, d.apply(d.inverse().apply(IMAGE)), d.name());
        }
    }

    @Test
    void theEightTransformsGiveEightDifferentImages() {
        Set<RgbImage> seen = new HashSet<>();
        for (Dihedral d : Dihedral.values()) {
            seen.add(d.apply(IMAGE));
        }
        assertEquals(8, seen.size());
    }

    @Test
    void quarterTurnsMovePixelsWhereExpected() {
        RgbImage clockwise = Dihedral.ROTATE_90_CLOCKWISE.apply(IMAGE);
        assertEquals(3, clockwise.width());
        assertEquals(5, clockwise.height());
        // Clockwise: the top-left corner goes to the top-right, the bottom-left to the top-left.
        assertPixel(IMAGE, 0, 0, clockwise, 2, 0);
        assertPixel(IMAGE, 0, 2, clockwise, 0, 0);
        RgbImage counter = Dihedral.ROTATE_90_COUNTERCLOCKWISE.apply(IMAGE);
        assertPixel(IMAGE, 0, 0, counter, 0, 4);
        assertPixel(IMAGE, 4, 0, counter, 0, 0);
        assertEquals(Dihedral.ROTATE_180.apply(IMAGE), Dihedral.ROTATE_90_CLOCKWISE.apply(clockwise));
        assertNotEquals(Dihedral.ROTATE_90_CLOCKWISE, Dihedral.ROTATE_90_CLOCKWISE.inverse());
    }

    @Test
    void flipsMirrorRowsAndColumns() {
        assertPixel(IMAGE, 0, 1, Dihedral.FLIP_HORIZONTAL.apply(IMAGE), 4, 1);
        assertPixel(IMAGE, 1, 0, Dihedral.FLIP_VERTICAL.apply(IMAGE), 1, 2);
        assertPixel(IMAGE, 1, 2, Dihedral.TRANSPOSE.apply(IMAGE), 2, 1);
    }

    private static void assertPixel(RgbImage from, int fx, int fy, RgbImage to, int tx, int ty) {
        for (int c = 0; c < 3; c++) {
            assertEquals(from.get(fx, fy, c), to.get(tx, ty, c), "channel " + c);
        }
    }

    static RgbImage random(int w, int h) {
        byte[] p = new byte[w * h * 3];
        new Random(7).nextBytes(p);
        return new RgbImage(w, h, p);
    }
}
