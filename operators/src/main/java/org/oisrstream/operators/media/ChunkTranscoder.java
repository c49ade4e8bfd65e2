package org.oisrstream.operators.media;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC_LATM;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AC3;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_DTS;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_EAC3;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_HEVC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MPEG1VIDEO;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MPEG2VIDEO;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MP2;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MP3;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MPEG4;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_OPUS;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_S302M;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_TRUEHD;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_clone;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avformat.AV_DISPOSITION_ATTACHED_PIC;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_UNSPECIFIED;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_get;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;

import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionaryEntry;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.oisrstream.model.image.Dihedral;
import org.oisrstream.model.image.Picture;
import org.oisrstream.model.image.RgbImage;
import org.oisrstream.model.image.YuvMatrix;
import org.oisrstream.model.infer.ImageUpscaler;

/**
 * Upscales one input chunk (a {@link MediaChunk}'s Matroska bytes, opened as Matroska and nothing else, with any
 * video codec FFmpeg decodes, within the {@link DecodeLimits}) into an MPEG-TS chunk: decode the video, pass the
 * frames through an upscaler, encode them with {@link EncoderSettings}, and copy the audio packets untouched. With
 * an asynchronous {@link FrameUpscaling} the three overlap: frames are submitted as they are decoded, and each is
 * encoded as soon as it and the frames before it are back, while later ones are still being upscaled. Every output frame keeps its input timestamp, so variable frame rate
 * survives; the output starts with a keyframe and can serve as an HLS segment as it is.
 *
 * <p>A video stream with a display matrix (a phone's "rotate 90") is turned upright before it is upscaled
 * ({@link DisplayOrientation}): MPEG-TS chunks have no place for the matrix, and so the output plays upright
 * everywhere. Every frame must have the chunk's frame size (its header's, else its container's): a stream whose
 * resolution changes mid-way is refused, naming the change and its time, as one output file cannot hold both.
 *
 * <p>At most {@code maxFramesInFlight} frames are submitted and not yet encoded at once (so at most that many
 * decoded and as many upscaled frames are held); the compressed input chunk is held whole. Instances hold only settings: one can serve many threads.
 */
public final class ChunkTranscoder implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Container of every output chunk (FFmpeg muxer name). */
    public static final String OUTPUT_FORMAT = "mpegts";
    public static final int DEFAULT_MAX_FRAMES_IN_FLIGHT = 8;

    private static final Map<String, String> MUXER_OPTIONS = Map.of(
            // Keep the input timestamps exactly: no muxing delay added to PTS/DTS.
            "mpegts_copyts", "1");

    private static final Set<Integer> TS_VIDEO_CODECS = Set.of(AV_CODEC_ID_H264, AV_CODEC_ID_HEVC,
            AV_CODEC_ID_MPEG2VIDEO, AV_CODEC_ID_MPEG1VIDEO, AV_CODEC_ID_MPEG4);

    /** Audio codecs MPEG-TS carries with a standard stream type (FFmpeg would write others as opaque data). */
    private static final Set<Integer> TS_AUDIO_CODECS = Set.of(AV_CODEC_ID_AAC, AV_CODEC_ID_AAC_LATM,
            AV_CODEC_ID_MP2, AV_CODEC_ID_MP3, AV_CODEC_ID_AC3, AV_CODEC_ID_EAC3, AV_CODEC_ID_OPUS, AV_CODEC_ID_DTS,
            AV_CODEC_ID_TRUEHD, AV_CODEC_ID_S302M);

    /** True if MPEG-TS carries this video codec (FFmpeg codec id). */
    static boolean carriesVideo(int codecId) {
        return TS_VIDEO_CODECS.contains(codecId);
    }

    /** True if MPEG-TS carries this audio codec with a standard stream type (FFmpeg codec id). */
    static boolean carriesAudio(int codecId) {
        return TS_AUDIO_CODECS.contains(codecId);
    }

    private final EncoderSettings settings;
    private final int maxFramesInFlight;
    private final DecodeLimits limits;
    /** How many times wider and taller the upscaler makes frames, 0 if unknown (then checked after the first batch). */
    private final int outputScale;

    public ChunkTranscoder(EncoderSettings settings) {
        this(settings, DEFAULT_MAX_FRAMES_IN_FLIGHT);
    }

    public ChunkTranscoder(EncoderSettings settings, int maxFramesInFlight) {
        this(settings, maxFramesInFlight, DecodeLimits.defaults(), 0);
    }

    /**
     * @throws MediaException if the settings name an encoder this FFmpeg build lacks or whose codec MPEG-TS
     *                        output chunks cannot carry (only H.264, HEVC, MPEG-2/MPEG-1 video and MPEG-4 Part 2)
     */
    public ChunkTranscoder(EncoderSettings settings, int maxFramesInFlight, DecodeLimits limits, int outputScale) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.limits = Objects.requireNonNull(limits, "limits");
        if (outputScale < 0) {
            throw new IllegalArgumentException("outputScale must be >= 0 (0 = unknown), got " + outputScale);
        }
        this.outputScale = outputScale;
        int codecId = VideoEncoder.find(settings.codec()).id();
        if (!TS_VIDEO_CODECS.contains(codecId)) {
            throw new MediaException("video encoder " + settings.codec() + " makes "
                    + avcodec_get_name(codecId).getString() + ", which MPEG-TS output chunks cannot carry; use an H.264 or HEVC encoder");
        }
        if (maxFramesInFlight < 1) {
            throw new IllegalArgumentException("maxFramesInFlight must be >= 1, got " + maxFramesInFlight);
        }
        this.maxFramesInFlight = maxFramesInFlight;
    }

    public EncoderSettings settings() {
        return settings;
    }

    /**
     * Opens the encoder once, at 256x144, and closes it: surfaces bad settings (an option the encoder does not
     * have, a pixel format it cannot take, no GPU for NVENC) as a {@link MediaException} before any chunk is
     * read, e.g. while validating command-line arguments. The constructor does not do this because an
     * encoder such as NVENC may only open on the machines that run the job.
     */
    public void checkEncoder() {
        try (VideoEncoder probe = new VideoEncoder(settings, 256, 144, av_make_q(1, 1000), av_make_q(25, 1), false,
                AVCOL_SPC_UNSPECIFIED)) {
            // opening is the check
        }
    }

    public int maxFramesInFlight() {
        return maxFramesInFlight;
    }

    public DecodeLimits limits() {
        return limits;
    }

    /**
     * Transcodes a chunk that came with protocol headers: as {@link #transcode(byte[], String, Function)},
     * and also refuses a chunk that decodes to a different number of frames than {@code input.frameCount()}
     * (a truncated or damaged Matroska chunk otherwise just yields fewer frames).
     *
     * @throws MediaException naming the stream and sequence, for any unusable chunk
     */
    public TranscodedChunk transcode(byte[] chunk, ChunkMetadata input, Function<List<RgbImage>, List<RgbImage>> upscale) {
        return transcode(chunk, input, FrameUpscaling.blocking(upscale, maxFramesInFlight));
    }

    /**
     * As {@link #transcode(byte[], ChunkMetadata, Function)}, with decoding, upscaling and encoding overlapping.
     *
     * @throws MediaException naming the stream and sequence, for any unusable chunk
     */
    public TranscodedChunk transcode(byte[] chunk, ChunkMetadata input, FrameUpscaling upscale) {
        String name = "chunk " + input.sequence() + " of stream '" + input.streamId() + "'";
        ChunkHeaderCheck.checkInput(input, limits, name);
        TranscodedChunk out = run(chunk, name, input.frameCount(), input.width(), input.height(), upscale);
        if (input.frameCount() > 0 && out.frameCount() != input.frameCount()) {
            throw new MediaException(name + " is truncated or corrupt: it decodes to " + out.frameCount()
                    + " frames, its header says " + input.frameCount());
        }
        return out;
    }

    /** Transcodes with {@code upscaler} called directly (batches of at most {@link #maxFramesInFlight()}). */
    public TranscodedChunk transcode(byte[] chunk, String name, ImageUpscaler upscaler) {
        return run(chunk, name, 0, 0, 0, FrameUpscaling.blocking(upscaler, maxFramesInFlight));
    }

    /**
     * Transcodes {@code chunk}.
     *
     * @param chunk   the input media segment
     * @param name    what to call the chunk in error messages, e.g. "chunk 12 of stream 'cam1'"
     * @param upscale maps a batch of decoded frames to the same number of upscaled frames, in order, all of
     *                one size; it may block (e.g. on a shared batching inference service)
     * @throws MediaException if the chunk cannot be read or decoded (not media, no video, no frames), the
     *                        upscaler breaks its contract, or the encoder cannot be opened. Exceptions thrown
     *                        by {@code upscale} itself propagate unchanged, so callers can tell a failing
     *                        inference service (retry) from a bad chunk (dead letter).
     */
    public TranscodedChunk transcode(byte[] chunk, String name, Function<List<RgbImage>, List<RgbImage>> upscale) {
        return run(chunk, name, 0, 0, 0, FrameUpscaling.blocking(upscale, maxFramesInFlight));
    }

    /**
     * Refuses, before anything is decoded, a source of {@code width} x {@code height} (as stored, before its
     * display matrix turns it) whose upscaled frames the limits or the encoder would not take, saying which
     * sizes are possible. Needs the output scale (constructor); does nothing without it.
     *
     * @param rotated the display matrix turns the frames by a quarter turn (width and height trade places)
     * @throws MediaException naming {@code name}
     */
    public void checkOutputSize(int width, int height, boolean rotated, String name) {
        if (outputScale <= 0 || width <= 0 || height <= 0) {
            return;
        }
        int w = rotated ? height : width;
        int h = rotated ? width : height;
        try {
            limits.checkOutputSize(w * outputScale, h * outputScale, name);
            EncoderSizeCheck.check(settings, w * outputScale, h * outputScale, name);
        } catch (MediaException e) {
            long maxPixels = limits.maxOutputPixels() / ((long) outputScale * outputScale);
            throw new MediaException(e.getMessage() + "; at x" + outputScale + " the output limits allow inputs up to "
                    + limits.maxOutputWidth() / outputScale + "x" + limits.maxOutputHeight() / outputScale + " and "
                    + maxPixels + " pixels (--max-output-pixels), if the encoder opens at their upscaled size", e);
        }
    }

    private TranscodedChunk run(byte[] chunk, String name, int expectedFrames, int expectedWidth, int expectedHeight,
            FrameUpscaling upscale) {
        Objects.requireNonNull(upscale, "upscale");
        try (Demuxer input = Demuxer.open(chunk, ChunkFormat.MATROSKA, name, limits);
             Run run = new Run(input, name, expectedFrames, expectedWidth, expectedHeight, upscale)) {
            return run.execute();
        }
    }

    /** Frames handed to the upscaler together, and their upscaled versions to come. */
    private record Submitted(List<VideoDecoder.DecodedFrame> frames,
                             CompletableFuture<? extends List<? extends Picture>> result) {
    }

    /** State of one transcoding call. */
    private final class Run implements AutoCloseable {
        private final Demuxer input;
        private final String name;
        private final FrameUpscaling upscale;
        private final int framesPerSubmit;
        /** The matrix the upscaler gives Y'CbCr 4:2:0 in for the encoder, empty for RGB; null until the first submit. */
        private Optional<YuvMatrix> yuv;
        private final int expectedFrames;
        /** The frame size every decoded frame must have (the header's, else the container's). */
        private int width;
        private int height;
        /** Turns decoded frames upright (the stream's display matrix). */
        private Dihedral orientation = Dihedral.IDENTITY;
        /** Frames stamped at or after this (video time base) are not part of the chunk; see VideoSegmenter. */
        private long displayEnd = Long.MAX_VALUE;
        private int videoIndex;
        private AVStream video;
        private final List<Integer> audioStreams = new ArrayList<>();
        private final List<AVPacket> videoPackets = new ArrayList<>();
        private final ArrayDeque<AVPacket> audioPackets = new ArrayDeque<>();
        /** Decoded frames not yet submitted. */
        private final List<VideoDecoder.DecodedFrame> batch = new ArrayList<>();
        /** Submitted batches in decode order, not yet encoded. */
        private final ArrayDeque<Submitted> inFlight = new ArrayDeque<>();
        private int framesInFlight;
        private int audioPacketCount;
        private VideoDecoder decoder;
        private VideoEncoder encoder;
        private Muxer output;
        private int framesOut;
        private long startPts = Long.MAX_VALUE;
        private long endPts = Long.MIN_VALUE;

        Run(Demuxer input, String name, int expectedFrames, int expectedWidth, int expectedHeight,
            FrameUpscaling upscale) {
            this.input = input;
            this.name = name;
            this.expectedFrames = expectedFrames;
            this.width = expectedWidth;
            this.height = expectedHeight;
            this.upscale = upscale;
            this.framesPerSubmit = Math.max(1, Math.min(upscale.framesPerSubmit(), maxFramesInFlight));
        }

        /** Picks the first video stream and all audio streams, and reads the chunk's packets into memory. */
        private void analyse() {
            int found = -1;
            for (int i = 0; i < input.streamCount(); i++) {
                AVStream s = input.stream(i);
                int type = s.codecpar().codec_type();
                if (type == AVMEDIA_TYPE_VIDEO && found < 0 && (s.disposition() & AV_DISPOSITION_ATTACHED_PIC) == 0) {
                    found = i;
                } else if (type == AVMEDIA_TYPE_AUDIO) {
                    audioStreams.add(i);
                }
            }
            if (found < 0) {
                throw new MediaException(name + " has no video stream");
            }
            videoIndex = found;
            video = input.stream(found);
            int stored = video.codecpar().width();
            int storedHeight = video.codecpar().height();
            limits.checkFrameSize(stored, storedHeight, name);
            if (width <= 0 || height <= 0) {
                width = stored;
                height = storedHeight;
            }
            orientation = DisplayOrientation.of(video.codecpar(), name);
            if (outputScale > 0) {
                int w = orientation.swapsAxes() ? height : width;
                int h = orientation.swapsAxes() ? width : height;
                limits.checkOutputSize(w * outputScale, h * outputScale, name);
                EncoderSizeCheck.check(settings, w * outputScale, h * outputScale, name);
            }
            readAll();
            limits.checkDuration(videoSpanMicros(), name);
            limits.checkDecodedBytes(videoPackets.size(), width, height, name);
            audioPacketCount = audioPackets.size();
            if (videoPackets.isEmpty()) {
                throw new MediaException(name + " has no video packets");
            }
            AVDictionaryEntry end = av_dict_get(input.context().metadata(), VideoSegmenter.DISPLAY_END_TAG, null, 0);
            if (end != null && !end.isNull()) {
                try {
                    displayEnd = Av.fromMicros(Long.parseLong(end.value().getString().trim()), video.time_base());
                } catch (NumberFormatException e) {
                    throw new MediaException(name + " has a malformed " + VideoSegmenter.DISPLAY_END_TAG + " tag");
                }
            }
            int referenceOnly = displayEnd == Long.MAX_VALUE ? 0 : 1;
            if (expectedFrames > 0 && videoPackets.size() != expectedFrames + referenceOnly) {
                // Fail before spending inference on a chunk that cannot come out whole.
                throw new MediaException(name + " is truncated or corrupt: it holds " + videoPackets.size()
                        + " video packets, its header says " + expectedFrames + " frames");
            }
        }

        private void readAll() {
            AVPacket packet = av_packet_alloc();
            try {
                while (input.read(packet)) {
                    int s = packet.stream_index();
                    if (s == videoIndex) {
                        // +1: an open-GOP chunk carries the next keyframe as a reference (docs/protocol.md).
                        limits.checkFrames(videoPackets.size(), name);
                        videoPackets.add(av_packet_clone(packet));
                    } else if (audioStreams.contains(s)) {
                        audioPackets.add(av_packet_clone(packet));
                    }
                    av_packet_unref(packet);
                }
            } finally {
                av_packet_free(packet);
            }
        }

        /** From the first to the last video packet's time stamp, µs. */
        private long videoSpanMicros() {
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            for (AVPacket p : videoPackets) {
                long t = p.pts() != AV_NOPTS_VALUE ? p.pts() : p.dts();
                if (t != AV_NOPTS_VALUE) {
                    first = Math.min(first, t);
                    last = Math.max(last, t);
                }
            }
            return first > last ? 0 : Av.toMicros(last, video.time_base()) - Av.toMicros(first, video.time_base());
        }

        TranscodedChunk execute() {
            analyse();
            decoder = new VideoDecoder(video, settings.threads(), name, limits);
            for (AVPacket p : videoPackets) {
                decoder.decode(p, this::accept);
            }
            decoder.decode(null, this::accept);
            if (!batch.isEmpty()) {
                submitBatch();
            }
            while (!inFlight.isEmpty()) {
                encodeOldest();
            }
            if (encoder == null) {
                throw new MediaException(name + " holds no decodable video frame");
            }
            encoder.flush(this::writeVideo);
            flushAudio(Long.MAX_VALUE);
            byte[] data = output.finish();
            AVRational tb = video.time_base();
            long start = Av.toMicros(startPts, tb);
            return new TranscodedChunk(data, framesOut, videoPackets.size(), encoder.width(), encoder.height(),
                    start, Av.toMicros(endPts, tb) - start, audioPacketCount);
        }

        private void accept(VideoDecoder.DecodedFrame frame) {
            if (frame.pts() != AV_NOPTS_VALUE && frame.pts() >= displayEnd) {
                return; // the next chunk's keyframe, here only as a reference for the chunk's last frames
            }
            if (frame.image().width() != width || frame.image().height() != height) {
                throw new MediaException(resolutionChange(frame.image().width(), frame.image().height(), frame.pts()));
            }
            batch.add(frame);
            if (batch.size() >= framesPerSubmit) {
                submitBatch();
            }
        }

        /** One sentence: the stream's frame size changes to {@code w} x {@code h} (at {@code pts} if known). */
        private String resolutionChange(int w, int h, long pts) {
            return KeyframeSizes.change(name, new KeyframeSizes.Size(width, height), new KeyframeSizes.Size(w, h),
                    pts == AV_NOPTS_VALUE ? Long.MIN_VALUE : Av.toMicros(pts, video.time_base()));
        }

        private void submitBatch() {
            // Room first: encoding the oldest frames frees what they hold before more are decoded into flight.
            while (!inFlight.isEmpty() && framesInFlight + batch.size() > maxFramesInFlight) {
                encodeOldest();
            }
            List<RgbImage> images = new ArrayList<>(batch.size());
            for (VideoDecoder.DecodedFrame f : batch) {
                images.add(orientation.apply(f.image()));
            }
            if (yuv == null) {
                // Decided once per chunk, from its first frame, as the encoder's colour space is.
                yuv = upscale.upscalesToYuv420()
                        ? VideoEncoder.yuv420Matrix(settings, batch.get(0).colorspace()) : Optional.empty();
            }
            CompletableFuture<? extends List<? extends Picture>> result;
            long started = System.nanoTime();
            try {
                result = yuv.isPresent() ? upscale.submitYuv420(images, yuv.get()) : upscale.submit(images);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while submitting frames of " + name);
            } finally {
                upscale.blocked(System.nanoTime() - started);
            }
            inFlight.add(new Submitted(List.copyOf(batch), result));
            framesInFlight += batch.size();
            batch.clear();
        }

        private void encodeOldest() {
            Submitted oldest = inFlight.poll();
            framesInFlight -= oldest.frames().size();
            encode(oldest.frames(), await(oldest.result()));
        }

        private List<? extends Picture> await(CompletableFuture<? extends List<? extends Picture>> result) {
            long started = System.nanoTime();
            try {
                return FrameUpscaling.await(result);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while waiting for upscaled frames of " + name);
            } finally {
                upscale.blocked(System.nanoTime() - started);
            }
        }

        private void encode(List<VideoDecoder.DecodedFrame> decoded, List<? extends Picture> upscaled) {
            if (upscaled == null || upscaled.size() != decoded.size()) {
                throw new MediaException("upscaler returned " + (upscaled == null ? "null" : upscaled.size() + " frames")
                        + " for a batch of " + decoded.size() + " frames of " + name);
            }
            if (encoder == null) {
                limits.checkOutputSize(upscaled.get(0).width(), upscaled.get(0).height(), name);
                openOutput(upscaled.get(0), decoded.get(0).colorspace());
            }
            for (Picture image : upscaled) {
                if (image == null || image.width() != encoder.width() || image.height() != encoder.height()) {
                    throw new MediaException("upscaler returned a " + (image == null ? "null" : image.width() + "x"
                            + image.height()) + " frame after " + encoder.width() + "x" + encoder.height()
                            + " ones for " + name);
                }
            }
            for (int i = 0; i < upscaled.size(); i++) {
                VideoDecoder.DecodedFrame f = decoded.get(i);
                long pts = f.pts();
                if (pts == AV_NOPTS_VALUE) {
                    throw new MediaException(name + ": decoded frame " + (framesOut + 1) + " has no timestamp");
                }
                long duration = f.duration() > 0 ? f.duration() : defaultFrameDuration();
                startPts = Math.min(startPts, pts);
                endPts = Math.max(endPts, pts + duration);
                encoder.encode(upscaled.get(i), pts, this::writeVideo);
                upscale.recycle(upscaled.get(i));
                framesOut++;
            }
        }

        private long defaultFrameDuration() {
            AVRational rate = frameRate();
            AVRational tb = video.time_base();
            return Math.max(1, Math.round((double) tb.den() * rate.den() / ((double) tb.num() * rate.num())));
        }

        private AVRational frameRate() {
            AVRational r = video.avg_frame_rate();
            if (r.num() <= 0 || r.den() <= 0) {
                r = video.r_frame_rate();
            }
            return r.num() > 0 && r.den() > 0 ? r : av_make_q(25, 1);
        }

        private void openOutput(Picture first, int colorspace) {
            output = Muxer.toMemory(OUTPUT_FORMAT, 1 << 20);
            encoder = new VideoEncoder(settings, first.width(), first.height(), video.time_base(), frameRate(),
                    output.wantsGlobalHeader(), colorspace);
            output.addEncoded(encoder.context());
            for (int s : audioStreams) {
                AVStream a = input.stream(s);
                if (!TS_AUDIO_CODECS.contains(a.codecpar().codec_id())) {
                    throw new MediaException(name + ": audio codec " + avcodec_get_name(a.codecpar().codec_id()).getString()
                            + " cannot be carried in " + OUTPUT_FORMAT + " output chunks");
                }
                output.addCopy(a.codecpar(), a.time_base());
            }
            output.start(MUXER_OPTIONS);
        }

        private void writeVideo(AVPacket packet) {
            long dts = packet.dts() != AV_NOPTS_VALUE ? packet.dts() : packet.pts();
            flushAudio(Av.toMicros(dts, encoder.timeBase()));
            output.write(packet, encoder.timeBase(), 0);
        }

        /** Writes queued audio packets stamped at or before {@code untilMicros}, so the output stays interleaved. */
        private void flushAudio(long untilMicros) {
            while (!audioPackets.isEmpty()) {
                AVPacket p = audioPackets.peekFirst();
                AVRational tb = input.stream(p.stream_index()).time_base();
                long t = p.dts() != AV_NOPTS_VALUE ? p.dts() : p.pts();
                if (t != AV_NOPTS_VALUE && untilMicros != Long.MAX_VALUE && Av.toMicros(t, tb) > untilMicros) {
                    return;
                }
                audioPackets.pollFirst();
                try {
                    output.write(p, tb, 1 + audioStreams.indexOf(p.stream_index()));
                } finally {
                    av_packet_free(p);
                }
            }
        }

        @Override
        public void close() {
            videoPackets.forEach(p -> av_packet_free(p));
            audioPackets.forEach(p -> av_packet_free(p));
            if (encoder != null) {
                encoder.close();
            }
            if (decoder != null) {
                decoder.close();
            }
            if (output != null) {
                output.close();
            }
        }
    }
}
