package org.oisrstream.operators.media;

import java.nio.file.Path;

/**
 * The result of {@link ChunkAssembler#assemble}.
 *
 * @param path           the finished file
 * @param chunks         chunks read
 * @param videoFrames    video packets (frames) written
 * @param audioPackets   audio packets written
 * @param durationMicros end of the last video frame, on the output timeline (which starts at 0)
 */
public record AssembledFile(Path path, int chunks, long videoFrames, long audioPackets, long durationMicros) {
}
