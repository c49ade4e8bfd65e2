package org.oisrstream.operators.media;

/**
 * Refuses an input chunk from its headers alone, before a byte of it is parsed: a container other than the
 * protocol's (docs/protocol.md), or frames, duration or size over the {@link DecodeLimits}.
 */
final class ChunkHeaderCheck {

    private ChunkHeaderCheck() {
    }

    static void checkInput(ChunkMetadata header, DecodeLimits limits, String name) {
        if (!ChunkFormat.MATROSKA.demuxer().equals(header.container())) {
            throw new MediaException(name + ": header " + ChunkMetadata.CONTAINER_HEADER + " is '" + header.container()
                    + "', but input chunks are " + ChunkFormat.MATROSKA.demuxer() + " (docs/protocol.md)");
        }
        limits.checkFrames(header.frameCount(), name);
        limits.checkDuration(header.durationMicros(), name);
        if (header.width() > 0 && header.height() > 0) {
            limits.checkFrameSize(header.width(), header.height(), name);
        }
    }
}
