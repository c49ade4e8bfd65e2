package org.oisrstream.model.weights;

import java.io.InputStream;
import java.nio.ByteBuffer;

/** An InputStream over a ByteBuffer that knows exactly how many bytes are left, and where it is. */
final class ByteBufferInput extends InputStream {

    private final ByteBuffer buffer;

    ByteBufferInput(ByteBuffer buffer) {
        this.buffer = buffer;
    }

    @Override
    public int read() {
        return buffer.hasRemaining() ? buffer.get() & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        if (!buffer.hasRemaining()) {
            return -1;
        }
        int n = Math.min(len, buffer.remaining());
        buffer.get(b, off, n);
        return n;
    }

    @Override
    public int available() {
        return buffer.remaining();
    }

    int position() {
        return buffer.position();
    }

    ByteBuffer buffer() {
        return buffer;
    }
}
