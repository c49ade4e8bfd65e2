package org.oisrstream.model.eval;

import org.oisrstream.model.quality.Quality;

/** The quality of one SR image and the wall time its upscale took. */
public record ImageResult(String name, Quality quality, double seconds) {
}
