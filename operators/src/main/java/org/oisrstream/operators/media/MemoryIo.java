package org.oisrstream.operators.media;

import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_SIZE;
import static org.bytedeco.ffmpeg.global.avformat.avio_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avio_context_free;
import static org.bytedeco.ffmpeg.global.avformat.avio_flush;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.av_free;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.Read_packet_Pointer_BytePointer_int;
import org.bytedeco.ffmpeg.avformat.Seek_Pointer_long_int;
import org.bytedeco.ffmpeg.avformat.Write_packet_Pointer_BytePointer_int;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/**
 * A seekable in-memory file behind an FFmpeg {@link AVIOContext}, for demuxing a chunk from a byte
 * array or muxing one into it. The C callbacks are single static instances (JavaCPP callbacks are a
 * scarce native resource); they find their buffer through the {@code opaque} pointer, which is the
 * format context the I/O belongs to.
 */
final class MemoryIo implements AutoCloseable {

    private static final int IO_BUFFER_SIZE = 64 * 1024;
    private static final int SEEK_SET = 0;
    private static final int SEEK_CUR = 1;
    private static final int SEEK_END = 2;
    private static final int AVSEEK_FORCE = 0x20000;
    private static final int EIO = -5;

    private static final Map<Long, MemoryIo> OPEN = new ConcurrentHashMap<>();

    private static final Read_packet_Pointer_BytePointer_int READ = new Read_packet_Pointer_BytePointer_int() {
        @Override
        public int call(Pointer opaque, BytePointer buf, int bufSize) {
            MemoryIo io = OPEN.get(opaque.address());
            return io == null ? EIO : io.read(buf, bufSize);
        }
    }.retainReference();

    private static final Write_packet_Pointer_BytePointer_int WRITE = new Write_packet_Pointer_BytePointer_int() {
        @Override
        public int call(Pointer opaque, BytePointer buf, int bufSize) {
            MemoryIo io = OPEN.get(opaque.address());
            return io == null ? EIO : io.write(buf, bufSize);
        }
    }.retainReference();

    private static final Seek_Pointer_long_int SEEK = new Seek_Pointer_long_int() {
        @Override
        public long call(Pointer opaque, long offset, int whence) {
            MemoryIo io = OPEN.get(opaque.address());
            return io == null ? EIO : io.seek(offset, whence);
        }
    }.retainReference();

    private final long key;
    private final AVIOContext context;
    private byte[] data;
    private int size;
    private int position;

    private MemoryIo(Pointer owner, byte[] data, int size, boolean writable) {
        this.key = owner.address();
        this.data = data;
        this.size = size;
        BytePointer buffer = new BytePointer(av_malloc(IO_BUFFER_SIZE));
        OPEN.put(key, this);
        this.context = avio_alloc_context(buffer, IO_BUFFER_SIZE, writable ? 1 : 0, owner,
                writable ? null : READ, writable ? WRITE : null, SEEK);
        if (context == null || context.isNull()) {
            OPEN.remove(key);
            av_free(buffer);
            throw new MediaException("cannot allocate FFmpeg I/O context");
        }
    }

    /** Reads {@code bytes} through an I/O context owned by {@code owner} (a format context). */
    static MemoryIo reader(Pointer owner, byte[] bytes) {
        return new MemoryIo(owner, bytes, bytes.length, false);
    }

    /** Collects written bytes; {@link #toByteArray()} after the muxer has written its trailer. */
    static MemoryIo writer(Pointer owner, int initialCapacity) {
        return new MemoryIo(owner, new byte[Math.max(1024, initialCapacity)], 0, true);
    }

    AVIOContext context() {
        return context;
    }

    byte[] toByteArray() {
        avio_flush(context);
        return Arrays.copyOf(data, size);
    }

    private int read(BytePointer buf, int bufSize) {
        int n = Math.min(bufSize, size - position);
        if (n <= 0) {
            return AVERROR_EOF();
        }
        buf.position(0).put(data, position, n);
        position += n;
        return n;
    }

    private int write(BytePointer buf, int bufSize) {
        int end = position + bufSize;
        if (end > data.length) {
            data = Arrays.copyOf(data, Math.max(end, data.length * 2));
        }
        buf.position(0).get(data, position, bufSize);
        position = end;
        size = Math.max(size, end);
        return bufSize;
    }

    private long seek(long offset, int whence) {
        int mode = whence & ~AVSEEK_FORCE;
        if (mode == AVSEEK_SIZE) {
            return size;
        }
        long target = switch (mode) {
            case SEEK_SET -> offset;
            case SEEK_CUR -> position + offset;
            case SEEK_END -> size + offset;
            default -> -1;
        };
        if (target < 0 || target > Integer.MAX_VALUE - 8) {
            return EIO;
        }
        position = (int) target;
        return target;
    }

    @Override
    public void close() {
        OPEN.remove(key);
        // FFmpeg may have replaced the buffer we gave it, so free the one it holds now.
        av_free(context.buffer());
        avio_context_free(context);
    }
}
