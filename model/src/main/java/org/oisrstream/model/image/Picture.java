package org.oisrstream.model.image;

/**
 * An 8-bit picture in one of the layouts the media code takes from an upscaler: packed RGB, or Y'CbCr 4:2:0
 * planes an encoder can use as they are.
 */
public sealed interface Picture permits RgbImage, Yuv420Image {

    int width();

    int height();
}
