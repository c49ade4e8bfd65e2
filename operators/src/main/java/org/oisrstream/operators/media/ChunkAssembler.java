package org.oisrstream.operators.media;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;

/**
 * Joins ordered output chunks ({@link TranscodedChunk} MPEG-TS bytes, or any segments with the same
 * streams) into one file without re-encoding: MP4 ({@code .mp4}, {@code .m4v}, {@code .mov}), Matroska
 * ({@code .mkv}) or MPEG-TS ({@code .ts}), chosen by the file extension. The chunks' timestamps are kept,
 * shifted so the file starts at 0. The file is written under a hidden temporary name in the same directory
 * and renamed when complete, so a file with the final name is always whole.
 */
public final class ChunkAssembler {

    private ChunkAssembler() {
    }

    public static AssembledFile assemble(List<byte[]> chunks, Path output) {
        return assemble(chunks.iterator(), output);
    }

    /** Joins output chunks (MPEG-TS, the only container of the output topic). */
    public static AssembledFile assemble(Iterator<byte[]> chunks, Path output) {
        return assemble(chunks, ChunkFormat.MPEGTS, output);
    }

    /**
     * @param chunks output chunks in sequence order; consumed one at a time (only one is held)
     * @param format the container every chunk must be (opened as that and nothing else): MPEG-TS for output
     *               chunks, Matroska to join input chunks as they are
     * @throws MediaException if there are no chunks, a chunk is unreadable or its streams differ from the
     *                        first chunk's, or the file cannot be written
     */
    public static AssembledFile assemble(Iterator<byte[]> chunks, ChunkFormat format, Path output) {
        String container = formatFor(output);
        if (!chunks.hasNext()) {
            throw new MediaException("no chunks to assemble into '" + output + "'");
        }
        Path absolute = output.toAbsolutePath();
        Path partial = absolute.resolveSibling("." + absolute.getFileName() + "." + UUID.randomUUID() + ".partial");
        boolean done = false;
        try {
            AssembledFile result = write(chunks, format, partial, container, absolute);
            try {
                Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
            return result;
        } catch (IOException e) {
            throw new MediaException("cannot write '" + output + "': " + e.getMessage(), e);
        } finally {
            if (!done) {
                try {
                    Files.deleteIfExists(partial);
                } catch (IOException ignored) {
                    // the partial file has a hidden name that never passes for the result
                }
            }
        }
    }

    private static String formatFor(Path output) {
        String name = output.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1);
        return switch (ext) {
            case "mp4", "m4v" -> "mp4";
            case "mov" -> "mov";
            case "mkv" -> "matroska";
            case "ts" -> "mpegts";
            default -> throw new MediaException("cannot tell the container of '" + output
                    + "': use a .mp4, .mkv, .mov or .ts file name");
        };
    }

    private static AssembledFile write(Iterator<byte[]> chunks, ChunkFormat chunkFormat, Path partial, String format,
                                       Path output) {
        Map<String, String> options = switch (format) {
            case "mp4", "mov" -> Map.of("movflags", "+faststart", "avoid_negative_ts", "make_zero");
            case "mpegts" -> Map.of("mpegts_copyts", "1", "avoid_negative_ts", "make_zero");
            default -> Map.of("avoid_negative_ts", "make_zero");
        };
        List<Integer> layout = null;
        long frames = 0;
        long audio = 0;
        long endMicros = 0;
        long firstMicros = AV_NOPTS_VALUE;
        long lastVideoMicros = AV_NOPTS_VALUE;
        long lastGapMicros = 0;
        int count = 0;
        AVPacket packet = av_packet_alloc();
        try (Muxer muxer = Muxer.toFile(partial.toString(), format)) {
            while (chunks.hasNext()) {
                byte[] bytes = chunks.next();
                String name = "output chunk " + count + " for '" + output + "'";
                try (Demuxer chunk = Demuxer.open(bytes, chunkFormat, name, null)) {
                    List<Integer> types = new ArrayList<>();
                    for (int i = 0; i < chunk.streamCount(); i++) {
                        types.add(chunk.stream(i).codecpar().codec_type() * 100_000 + chunk.stream(i).codecpar().codec_id());
                    }
                    if (layout == null) {
                        layout = types;
                        for (int i = 0; i < chunk.streamCount(); i++) {
                            AVStream s = chunk.stream(i);
                            muxer.addCopy(s.codecpar(), s.time_base());
                        }
                        muxer.start(options);
                    } else if (!layout.equals(types)) {
                        throw new MediaException(name + " has different streams from the first chunk");
                    }
                    while (chunk.read(packet)) {
                        int s = packet.stream_index();
                        AVStream stream = chunk.stream(s);
                        AVRational tb = stream.time_base();
                        int type = stream.codecpar().codec_type();
                        if (type == AVMEDIA_TYPE_VIDEO) {
                            frames++;
                            long pts = packet.pts() != AV_NOPTS_VALUE ? packet.pts() : packet.dts();
                            if (pts != AV_NOPTS_VALUE) {
                                long start = Av.toMicros(pts, tb);
                                if (lastVideoMicros != AV_NOPTS_VALUE && start > lastVideoMicros) {
                                    lastGapMicros = start - lastVideoMicros;
                                }
                                lastVideoMicros = start;
                                // MPEG-TS carries no frame durations: take the last frame as long as the one before.
                                long length = packet.duration() > 0 ? Av.toMicros(packet.duration(), tb) : lastGapMicros;
                                endMicros = Math.max(endMicros, start + length);
                                firstMicros = firstMicros == AV_NOPTS_VALUE ? Av.toMicros(pts, tb)
                                        : Math.min(firstMicros, Av.toMicros(pts, tb));
                            }
                        } else if (type == AVMEDIA_TYPE_AUDIO) {
                            audio++;
                        }
                        muxer.write(packet, tb, s);
                        av_packet_unref(packet);
                    }
                }
                count++;
            }
            muxer.finish();
        } finally {
            av_packet_free(packet);
        }
        long duration = firstMicros == AV_NOPTS_VALUE ? 0 : endMicros - firstMicros;
        return new AssembledFile(output, count, frames, audio, duration);
    }
}
