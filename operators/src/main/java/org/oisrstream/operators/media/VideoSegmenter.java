package org.oisrstream.operators.media;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.FF_COMPLIANCE_NORMAL;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_clone;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_move_ref;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avformat.AV_DISPOSITION_ATTACHED_PIC;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_guess_format;
import static org.bytedeco.ffmpeg.global.avformat.avformat_query_codec;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_SUBTITLE;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_q2d;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVOutputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;

/**
 * Cuts a video source (file, URL or device) into {@link MediaChunk}s at video keyframes, copying packets
 * without re-encoding. Each chunk is at least {@link SegmenterOptions#chunkSeconds()} long (except the
 * last) and is a self-contained Matroska file with the video stream, all audio streams and, optionally,
 * subtitle streams. Audio and subtitle packets go into the chunk that is open when the demuxer returns
 * them, as FFmpeg's segment muxer does; their timestamps are kept, so the assembler restores exact timing.
 *
 * <p>Timestamps in chunks are the source's, shifted so that the first video keyframe is at 0. Packets
 * before the first video keyframe (a live source joined mid-GOP) and audio stamped before it are dropped.
 *
 * <p>Open GOPs: when the keyframe a chunk ends at is followed (in decode order) by leading pictures, frames
 * displayed before it that reference the current chunk's frames and the keyframe, those pictures stay in the
 * current chunk with a copy of the keyframe, and the chunk is tagged {@value #DISPLAY_END_TAG} so the
 * keyframe's own frame is dropped when decoding it. Every chunk thus decodes on its own to exactly its
 * {@link MediaChunk#frameCount()} frames.
 *
 * <p>A chunk's packets are held (compressed) until it is complete, then muxed. Not thread-safe apart from
 * {@link #stop()}; one segmenter per source. Close it to release the source.
 */
public final class VideoSegmenter implements Iterator<MediaChunk>, AutoCloseable {

    /** Container of every chunk the segmenter produces (FFmpeg muxer name). */
    public static final String CHUNK_FORMAT = "matroska";

    /**
     * Global Matroska tag on a chunk cut before an open-GOP keyframe: the stream time (µs) where its displayed
     * frames end. Such a chunk ends with a copy of the next chunk's keyframe, needed to decode its last
     * (leading) frames; the decoded frame at or after this time is not part of the chunk.
     */
    public static final String DISPLAY_END_TAG = "OISR_DISPLAY_END_US";

    private final Demuxer demuxer;
    private final SegmenterOptions options;
    private final SourceInfo info;
    private final int videoIndex;
    /** Output stream index per input stream, -1 for streams that are dropped. */
    private final int[] outputIndex;
    private final long chunkMicros;
    private final long defaultFrameMicros;

    /** Decode time (µs, stream timeline) of the last packet kept per input stream, to refuse time going back. */
    private final long[] lastDtsMicros;
    /** Decodes each keyframe alone to notice a resolution change (the stream parameters keep the first size). */
    private final KeyframeSizes keyframeSizes;

    private final AVPacket packet = av_packet_alloc();
    /** Packets read ahead of {@link #packet}, processed before reading more from the source. */
    private final ArrayDeque<AVPacket> lookahead = new ArrayDeque<>();
    private boolean exhausted;
    private boolean closed;

    private long offsetMicros = AV_NOPTS_VALUE;
    private long sequence;
    private long framesDone;

    /** Packets of the chunk being cut, already shifted to the stream timeline; null before the first keyframe. */
    private List<AVPacket> chunk;
    private long chunkStart;
    private long chunkEnd;
    private int chunkFrames;
    private int chunkAudio;

    private VideoSegmenter(String source, Demuxer demuxer, SegmenterOptions options) {
        this.demuxer = demuxer;
        this.options = options;
        this.chunkMicros = Math.round(options.chunkSeconds() * 1_000_000);
        this.videoIndex = findVideo(demuxer);
        this.outputIndex = new int[demuxer.streamCount()];
        this.lastDtsMicros = new long[demuxer.streamCount()];
        java.util.Arrays.fill(lastDtsMicros, AV_NOPTS_VALUE);
        AVOutputFormat matroska = av_guess_format(CHUNK_FORMAT, null, null);
        int next = 0;
        int audio = 0;
        int subtitles = 0;
        String audioCodec = null;
        for (int i = 0; i < outputIndex.length; i++) {
            AVCodecParameters par = demuxer.stream(i).codecpar();
            boolean carried = avformat_query_codec(matroska, par.codec_id(), FF_COMPLIANCE_NORMAL) != 0;
            if (i == videoIndex) {
                outputIndex[i] = next++;
            } else if (par.codec_type() == AVMEDIA_TYPE_AUDIO && carried) {
                outputIndex[i] = next++;
                audio++;
                if (audioCodec == null) {
                    audioCodec = avcodec_get_name(par.codec_id()).getString();
                }
            } else if (par.codec_type() == AVMEDIA_TYPE_SUBTITLE && carried && options.includeSubtitles()) {
                outputIndex[i] = next++;
                subtitles++;
            } else {
                outputIndex[i] = -1;
            }
        }
        this.info = describe(source, demuxer, videoIndex, audioCodec, audio, subtitles);
        this.keyframeSizes = new KeyframeSizes(demuxer.stream(videoIndex));
        this.defaultFrameMicros = info.frameRate() > 0 ? Math.round(1_000_000 / info.frameRate()) : 40_000;
    }

    /**
     * Opens {@code source} (a path, a URL such as rtsp://host/stream, or a device with
     * {@link SegmenterOptions#inputFormat()}).
     *
     * @throws MediaException if the source cannot be opened or has no video stream
     */
    public static VideoSegmenter open(String source, SegmenterOptions options) {
        Demuxer demuxer = Demuxer.open(source, options.inputFormat(), options.inputOptions());
        try {
            return new VideoSegmenter(source, demuxer, options);
        } catch (RuntimeException e) {
            demuxer.close();
            throw e;
        }
    }

    private static int findVideo(Demuxer demuxer) {
        int best = av_find_best_stream(demuxer.context(), AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
        if (best >= 0 && (demuxer.stream(best).disposition() & AV_DISPOSITION_ATTACHED_PIC) == 0) {
            return best;
        }
        for (int i = 0; i < demuxer.streamCount(); i++) {
            AVStream s = demuxer.stream(i);
            if (s.codecpar().codec_type() == AVMEDIA_TYPE_VIDEO && (s.disposition() & AV_DISPOSITION_ATTACHED_PIC) == 0) {
                return i;
            }
        }
        throw new MediaException(demuxer.name() + " has no video stream");
    }

    private static SourceInfo describe(String source, Demuxer demuxer, int videoIndex, String audioCodec, int audio, int subtitles) {
        AVStream video = demuxer.stream(videoIndex);
        AVCodecParameters par = video.codecpar();
        double rate = rate(video.avg_frame_rate());
        if (rate <= 0) {
            rate = rate(video.r_frame_rate());
        }
        long duration = demuxer.context().duration();
        if (duration == AV_NOPTS_VALUE || duration <= 0) {
            duration = video.duration() == AV_NOPTS_VALUE ? -1 : Av.toMicros(video.duration(), video.time_base());
        }
        long frames = video.nb_frames() > 0 ? video.nb_frames()
                : duration > 0 && rate > 0 ? Math.round(duration / 1e6 * rate) : -1;
        String container = demuxer.context().iformat().name().getString();
        return new SourceInfo(source, container, par.width(), par.height(), rate,
                avcodec_get_name(par.codec_id()).getString(), audioCodec, audio, subtitles, duration, frames);
    }

    private static double rate(AVRational r) {
        return r.num() > 0 && r.den() > 0 ? av_q2d(r) : 0;
    }

    public SourceInfo info() {
        return info;
    }

    /**
     * Refuses, before any chunk is cut, a source whose frames {@code transcoder} could not encode once upscaled
     * (turned upright first, as the transcoder does with a display matrix), or whose display matrix it cannot apply.
     *
     * @throws MediaException naming the source and the sizes that are possible
     */
    public void checkUpscaledSize(ChunkTranscoder transcoder) {
        AVCodecParameters par = demuxer.stream(videoIndex).codecpar();
        boolean turned = DisplayOrientation.of(par, demuxer.name()).swapsAxes();
        transcoder.checkOutputSize(info.width(), info.height(), turned, demuxer.name());
    }

    /**
     * Ends the source early, e.g. to finish a live stream: a read blocked on the network returns, and the
     * chunk being cut comes out of {@link #next()} as the last one. Safe to call from any thread (unlike
     * {@link #close()}, which must not race with {@link #next()}).
     */
    public void stop() {
        demuxer.stop();
    }

    @Override
    public boolean hasNext() {
        return !exhausted && !closed;
    }

    @Override
    public MediaChunk next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more chunks from " + demuxer.name());
        }
        while (true) {
            if (!lookahead.isEmpty()) {
                AVPacket queued = lookahead.pollFirst();
                av_packet_move_ref(packet, queued);
                av_packet_free(queued);
            } else if (!demuxer.read(packet)) {
                exhausted = true;
                if (chunk == null) {
                    throw new MediaException(demuxer.name() + (demuxer.stopped() ? " was stopped before its first video keyframe"
                            : " has no video keyframe to start a chunk with"));
                }
                return emit(true, chunkEnd, false);
            }
            int in = packet.stream_index();
            if (in >= outputIndex.length || outputIndex[in] < 0) {
                av_packet_unref(packet);
                continue;
            }
            AVRational tb = demuxer.stream(in).time_base();
            long micros = Av.toMicros(timestamp(packet), tb);
            if (in == videoIndex) {
                boolean key = (packet.flags() & AV_PKT_FLAG_KEY) != 0;
                if (offsetMicros == AV_NOPTS_VALUE) {
                    if (!key || micros == AV_NOPTS_VALUE) {
                        av_packet_unref(packet);
                        continue;
                    }
                    offsetMicros = micros;
                }
                long t = micros == AV_NOPTS_VALUE ? chunkEnd : micros - offsetMicros;
                if (t < 0) {
                    // A leading picture of the first keyframe (open GOP): it needs frames from before the start.
                    av_packet_unref(packet);
                    continue;
                }
                if (key && chunk != null && chunkFrames > 0 && t - chunkStart >= chunkMicros) {
                    return cutAt(t);
                }
                if (key) {
                    checkFrameSize(t);
                }
                if (chunk == null) {
                    openChunk(t);
                }
                countFrame(t, packet, tb);
            } else {
                if (chunk == null || micros == AV_NOPTS_VALUE || micros < offsetMicros) {
                    av_packet_unref(packet);
                    continue;
                }
                if (demuxer.stream(in).codecpar().codec_type() == AVMEDIA_TYPE_AUDIO) {
                    chunkAudio++;
                }
            }
            keep(packet);
        }
    }

    /**
     * Ends the current chunk at the keyframe in {@link #packet} (stream time {@code t}), which starts the next
     * chunk. If the keyframe opens an open GOP, its leading pictures (displayed before it, decoded after it,
     * referencing frames of the current chunk) go into the current chunk, together with a copy of the keyframe
     * they also reference; the chunk's {@value #DISPLAY_END_TAG} tag tells decoders to drop that copy's frame.
     */
    private MediaChunk cutAt(long t) {
        List<AVPacket> leading = takeLeadingPictures(timestamp(packet));
        AVPacket keyframe = av_packet_alloc();
        av_packet_move_ref(keyframe, packet);
        if (!leading.isEmpty()) {
            AVRational tb = demuxer.stream(videoIndex).time_base();
            // The next chunk starts with this keyframe again: its decode order goes on from before the copy.
            long beforeCopy = lastDtsMicros[videoIndex];
            AVPacket copy = av_packet_clone(keyframe);
            keep(copy);
            av_packet_free(copy);
            for (AVPacket p : leading) {
                countFrame(Av.toMicros(timestamp(p), tb) - offsetMicros, p, tb);
                keep(p);
                av_packet_free(p);
            }
            lastDtsMicros[videoIndex] = beforeCopy;
        }
        lookahead.addFirst(keyframe);
        return emit(false, t, !leading.isEmpty());
    }

    private void countFrame(long t, AVPacket p, AVRational tb) {
        long frameMicros = p.duration() > 0 ? Av.toMicros(p.duration(), tb) : defaultFrameMicros;
        chunkStart = Math.min(chunkStart, t);
        chunkEnd = Math.max(chunkEnd, t + frameMicros);
        chunkFrames++;
    }

    /** Moves {@code p} (source timestamps) into the current chunk, shifted onto the stream timeline. */
    private void keep(AVPacket p) {
        AVRational tb = demuxer.stream(p.stream_index()).time_base();
        shift(p, tb);
        checkDecodeOrder(p, tb);
        AVPacket kept = av_packet_alloc();
        av_packet_move_ref(kept, p);
        chunk.add(kept);
    }

    /** Refuses a keyframe (in {@link #packet}, stream time {@code t}) that decodes to another size than the stream's. */
    private void checkFrameSize(long t) {
        KeyframeSizes.Size size = keyframeSizes.of(packet);
        if (size != null && info.width() > 0 && info.height() > 0
                && (size.width() != info.width() || size.height() != info.height())) {
            throw new MediaException(KeyframeSizes.change(demuxer.name(),
                    new KeyframeSizes.Size(info.width(), info.height()), size, t));
        }
    }

    /**
     * Refuses a packet decoded before the one kept before it on the same stream (a chunk could not be written):
     * what files joined end to end (e.g. with cat) or a source that restarts its clock look like.
     */
    private void checkDecodeOrder(AVPacket p, AVRational tb) {
        if (p.dts() == AV_NOPTS_VALUE) {
            return;
        }
        int s = p.stream_index();
        long dts = Av.toMicros(p.dts(), tb);
        long last = lastDtsMicros[s];
        if (last != AV_NOPTS_VALUE && dts < last) {
            String kind = s == videoIndex ? "video" : "stream " + s;
            throw new MediaException(String.format(java.util.Locale.ROOT, "%s has broken timestamps: its %s goes back"
                    + " in time from %.3f s to %.3f s (parts joined end to end, e.g. with cat, or a source that"
                    + " restarted its clock); join parts with FFmpeg's concat demuxer or re-encode the source first",
                    demuxer.name(), kind, last / 1e6, dts / 1e6));
        }
        lastDtsMicros[s] = dts;
    }

    private static long timestamp(AVPacket p) {
        return p.pts() != AV_NOPTS_VALUE ? p.pts() : p.dts();
    }

    /**
     * Removes from the packets after a keyframe stamped {@code keyPts} its leading pictures: the video packets
     * that follow it in decode order but are displayed before it (open GOP). Reads ahead into
     * {@link #lookahead} up to the first video packet displayed after the keyframe.
     */
    private List<AVPacket> takeLeadingPictures(long keyPts) {
        List<AVPacket> leading = new ArrayList<>();
        if (keyPts == AV_NOPTS_VALUE) {
            return leading;
        }
        var queued = lookahead.iterator();
        while (queued.hasNext()) {
            AVPacket p = queued.next();
            if (p.stream_index() == videoIndex) {
                if (!isLeading(p, keyPts)) {
                    return leading;
                }
                queued.remove();
                leading.add(p);
            }
        }
        while (true) {
            AVPacket next = av_packet_alloc();
            if (!demuxer.read(next)) {
                av_packet_free(next);
                return leading;
            }
            if (next.stream_index() == videoIndex && isLeading(next, keyPts)) {
                leading.add(next);
                continue;
            }
            lookahead.addLast(next);
            if (next.stream_index() == videoIndex) {
                return leading;
            }
        }
    }

    private static boolean isLeading(AVPacket p, long keyPts) {
        long pts = timestamp(p);
        return pts != AV_NOPTS_VALUE && pts < keyPts;
    }

    private void shift(AVPacket p, AVRational tb) {
        long offset = Av.fromMicros(offsetMicros, tb);
        if (p.pts() != AV_NOPTS_VALUE) {
            p.pts(p.pts() - offset);
        }
        if (p.dts() != AV_NOPTS_VALUE) {
            p.dts(p.dts() - offset);
        }
    }

    private void openChunk(long startMicros) {
        chunk = new ArrayList<>();
        chunkStart = startMicros;
        chunkEnd = startMicros;
        chunkFrames = 0;
        chunkAudio = 0;
    }

    /** Muxes the current chunk; {@code endMicros} ends its displayed span (tagged if it holds a reference-only frame). */
    private MediaChunk emit(boolean last, long endMicros, boolean referenceOnlyFrame) {
        byte[] data;
        try (Muxer muxer = Muxer.toMemory(CHUNK_FORMAT, 256 * 1024)) {
            for (int i = 0; i < outputIndex.length; i++) {
                if (outputIndex[i] >= 0) {
                    AVStream s = demuxer.stream(i);
                    muxer.addCopy(s.codecpar(), s.time_base());
                }
            }
            if (referenceOnlyFrame) {
                muxer.setMetadata(DISPLAY_END_TAG, Long.toString(endMicros));
            }
            muxer.start(Map.of());
            for (AVPacket p : chunk) {
                int in = p.stream_index();
                muxer.write(p, demuxer.stream(in).time_base(), outputIndex[in]);
            }
            data = muxer.finish();
        } catch (MediaException e) {
            throw new MediaException(demuxer.name() + ", chunk " + sequence + ": " + e.getMessage(), e);
        } finally {
            freeChunk();
        }
        MediaChunk result = new MediaChunk(sequence++, last, data, chunkStart, endMicros - chunkStart,
                chunkFrames, chunkAudio);
        framesDone += chunkFrames;
        if (options.progress() != null) {
            options.progress().accept(new SegmenterProgress(sequence, framesDone, endMicros, last, info));
        }
        return result;
    }

    private void freeChunk() {
        if (chunk != null) {
            chunk.forEach(p -> av_packet_free(p));
            chunk = null;
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        freeChunk();
        keyframeSizes.close();
        av_packet_free(packet);
        lookahead.forEach(p -> av_packet_free(p));
        lookahead.clear();
        demuxer.close();
    }
}
