package org.oisrstream.model.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;

/** Test fixtures from src/test/resources/weights (made by src/test/python/make_checkpoints.py) and helpers. */
final class Fixtures {

    private Fixtures() {
    }

    static Path path(String name) {
        URL url = Fixtures.class.getResource("/weights/" + name);
        if (url == null) {
            throw new IllegalStateException("missing test fixture " + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Same keys in the same order, and every tensor identical in dtype, shape and bytes. */
    static void assertSameTensors(StateDict expected, StateDict actual) {
        assertEquals(new ArrayList<>(expected.tensors().keySet()), new ArrayList<>(actual.tensors().keySet()));
        for (String key : expected.tensors().keySet()) {
            HostTensor e = expected.tensors().get(key);
            HostTensor a = actual.tensors().get(key);
            assertEquals(e.dtype(), a.dtype(), key);
            assertArrayEquals(e.shape(), a.shape(), key);
            assertTrue(e.contentEquals(a), key + ": values differ");
        }
    }
}
