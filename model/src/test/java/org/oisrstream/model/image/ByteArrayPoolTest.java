package org.oisrstream.model.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class ByteArrayPoolTest {

    @Test
    void givesBackArraysOfTheLengthAskedFor() {
        ByteArrayPool pool = new ByteArrayPool(1000);
        byte[] a = pool.take(100);
        byte[] b = pool.take(50);
        pool.give(a);
        pool.give(b);
        assertEquals(150, pool.pooledBytes());
        assertSame(b, pool.take(50));
        assertSame(a, pool.take(100));
        assertNotSame(a, pool.take(100), "one array is handed out once");
        assertEquals(0, pool.pooledBytes());
    }

    @Test
    void anArrayGivenTwiceIsKeptOnce() {
        ByteArrayPool pool = new ByteArrayPool(1000);
        byte[] a = new byte[100];
        pool.give(a);
        pool.give(a);
        assertEquals(100, pool.pooledBytes());
        assertSame(a, pool.take(100));
        assertNotSame(a, pool.take(100));
    }

    @Test
    void holdsNoMoreThanItsCapacityAndMakesRoomForTheLengthsNowInUse() {
        ByteArrayPool pool = new ByteArrayPool(250);
        byte[] old1 = new byte[100];
        byte[] old2 = new byte[100];
        pool.give(old1);
        pool.give(old2);
        pool.give(new byte[100]);
        assertEquals(200, pool.pooledBytes(), "a third array of 100 bytes does not fit");

        byte[] current = new byte[120];
        pool.give(current);
        assertEquals(120, pool.pooledBytes(), "arrays of other lengths went to make room");
        assertSame(current, pool.take(120));
        assertNotSame(old1, pool.take(100));

        pool.give(new byte[300]);
        assertEquals(0, pool.pooledBytes(), "an array larger than the capacity is not kept");
    }

    @Test
    void takesEveryPlaneOfAPicture() {
        ByteArrayPool pool = new ByteArrayPool(1 << 20);
        Yuv420Image yuv = new Yuv420Image(5, 3, YuvMatrix.BT709, new byte[15], new byte[6], new byte[6]);
        RgbImage rgb = RgbImage.blank(4, 2);
        pool.give(yuv);
        pool.give(rgb);
        assertEquals(15 + 6 + 6 + 24, pool.pooledBytes());
        assertSame(yuv.y(), pool.take(15));
        assertSame(rgb.pixels(), pool.take(24));
    }
}
