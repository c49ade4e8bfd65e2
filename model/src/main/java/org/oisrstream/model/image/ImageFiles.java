package org.oisrstream.model.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Reads PNG, JPEG and BMP files (grayscale and alpha are expanded or dropped to RGB) and writes PNG. */
public final class ImageFiles {

    private ImageFiles() {
    }

    public static RgbImage read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such image file");
        }
        BufferedImage decoded = ImageIO.read(file.toFile());
        if (decoded == null) {
            throw new IOException(file + ": not a readable PNG, JPEG or BMP image");
        }
        return fromBufferedImage(decoded);
    }

    public static void writePng(RgbImage image, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        // Write next to the target and rename, so a crash never leaves a truncated PNG under the real name.
        Path partial = file.resolveSibling(file.getFileName() + ".part");
        if (!ImageIO.write(toBufferedImage(image), "png", partial.toFile())) {
            throw new IOException("no PNG writer available");
        }
        Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    public static boolean isSupportedImage(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg") || name.endsWith(".bmp");
    }

    public static RgbImage fromBufferedImage(BufferedImage src) {
        int w = src.getWidth();
        int h = src.getHeight();
        byte[] rgb = new byte[w * h * 3];
        if (src.getType() == BufferedImage.TYPE_3BYTE_BGR) {
            byte[] bgr = ((DataBufferByte) src.getRaster().getDataBuffer()).getData();
            for (int i = 0; i < rgb.length; i += 3) {
                rgb[i] = bgr[i + 2];
                rgb[i + 1] = bgr[i + 1];
                rgb[i + 2] = bgr[i];
            }
        } else if (src.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            byte[] gray = ((DataBufferByte) src.getRaster().getDataBuffer()).getData();
            for (int i = 0, p = 0; p < gray.length; p++, i += 3) {
                rgb[i] = rgb[i + 1] = rgb[i + 2] = gray[p];
            }
        } else {
            int[] argb = src.getRGB(0, 0, w, h, null, 0, w);
            for (int p = 0, i = 0; p < argb.length; p++, i += 3) {
                rgb[i] = (byte) (argb[p] >> 16);
                rgb[i + 1] = (byte) (argb[p] >> 8);
                rgb[i + 2] = (byte) argb[p];
            }
        }
        return new RgbImage(w, h, rgb);
    }

    public static BufferedImage toBufferedImage(RgbImage image) {
        BufferedImage out = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
        byte[] rgb = image.pixels();
        for (int i = 0; i < rgb.length; i += 3) {
            bgr[i] = rgb[i + 2];
            bgr[i + 1] = rgb[i + 1];
            bgr[i + 2] = rgb[i];
        }
        return out;
    }

}
