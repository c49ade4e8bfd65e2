package org.oisrstream.operators.media;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_DATA_DISPLAYMATRIX;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_side_data_get;
import static org.bytedeco.ffmpeg.global.avutil.av_display_rotation_get;

import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacketSideData;
import org.bytedeco.javacpp.IntPointer;
import org.oisrstream.model.image.Dihedral;

/**
 * How a video stream's frames must be turned to be shown upright: its display matrix (what phones write as
 * "rotate 90"), read the way FFmpeg's own player and command line apply it (fftools' autorotate), as one of the
 * eight {@link Dihedral} transforms. The transcoder applies it to the decoded frames, so the upscaled video is
 * stored upright and plays upright in every container, including MPEG-TS chunks and HLS segments, which have no
 * place for a display matrix.
 */
final class DisplayOrientation {

    private static final int MATRIX_BYTES = 9 * 4;

    private DisplayOrientation() {
    }

    /**
     * The transform that makes frames of a stream with these parameters upright; {@link Dihedral#IDENTITY}
     * without a display matrix.
     *
     * @throws MediaException naming {@code name} for a rotation that is not a multiple of 90 degrees
     */
    static Dihedral of(AVCodecParameters parameters, String name) {
        int[] matrix = matrix(parameters);
        return matrix == null ? Dihedral.IDENTITY : of(matrix, name);
    }

    /** The display matrix (nine 16.16/2.30 fixed-point numbers) of a stream, or null if it has none. */
    static int[] matrix(AVCodecParameters parameters) {
        if (parameters.nb_coded_side_data() <= 0 || parameters.coded_side_data() == null) {
            return null;
        }
        AVPacketSideData sd = av_packet_side_data_get(parameters.coded_side_data(), parameters.nb_coded_side_data(),
                AV_PKT_DATA_DISPLAYMATRIX);
        if (sd == null || sd.isNull() || sd.size() < MATRIX_BYTES || sd.data() == null) {
            return null;
        }
        int[] matrix = new int[9];
        new IntPointer(sd.data()).get(matrix);
        return matrix;
    }

    /** As FFmpeg's fftools read a display matrix: rotation rounded to whole degrees, then the flips it implies. */
    static Dihedral of(int[] matrix, String name) {
        double rotation = av_display_rotation_get(matrix);
        if (Double.isNaN(rotation)) {
            throw new MediaException(name + " has a display matrix that is not a rotation (all zero scale)");
        }
        // Clockwise degrees in [0, 360), as fftools' get_rotation().
        double theta = -Math.round(rotation);
        theta -= 360 * Math.floor(theta / 360 + 0.9 / 360);
        if (Math.abs(theta - 90) < 1) {
            return matrix[3] > 0 ? Dihedral.TRANSPOSE : Dihedral.ROTATE_90_CLOCKWISE;
        }
        if (Math.abs(theta - 180) < 1) {
            boolean h = matrix[0] < 0;
            boolean v = matrix[4] < 0;
            return h && v ? Dihedral.ROTATE_180 : h ? Dihedral.FLIP_HORIZONTAL : v ? Dihedral.FLIP_VERTICAL
                    : Dihedral.IDENTITY;
        }
        if (Math.abs(theta - 270) < 1) {
            return matrix[3] < 0 ? Dihedral.ANTI_TRANSPOSE : Dihedral.ROTATE_90_COUNTERCLOCKWISE;
        }
        if (Math.abs(theta) < 1 || Math.abs(theta - 360) < 1) {
            return matrix[4] < 0 ? Dihedral.FLIP_VERTICAL : Dihedral.IDENTITY;
        }
        throw new MediaException(name + " is to be shown rotated by " + Math.round(theta) + " degrees; only"
                + " rotations by multiples of 90 degrees can be applied (rotate the source first)");
    }
}
