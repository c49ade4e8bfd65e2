package org.oisrstream.model.data;

import java.io.IOException;
import java.nio.file.Path;
import org.oisrstream.model.image.ImageFiles;
import org.oisrstream.model.image.RgbImage;

/** Reads an evaluation image so that any failure names the file. */
final class EvalImages {

    private EvalImages() {
    }

    static RgbImage read(Path file) throws IOException {
        try {
            return ImageFiles.read(file);
        } catch (IOException e) {
            String message = e.getMessage();
            if (message != null && message.contains(file.toString())) {
                throw e;
            }
            throw new IOException(file + ": cannot read image (" + (message == null ? e.getClass().getSimpleName() : message)
                    + ")", e);
        } catch (RuntimeException e) {
            // Some ImageIO decoders fail on corrupt data with unchecked exceptions.
            throw new IOException(file + ": cannot read image (" + e + ")", e);
        }
    }
}
