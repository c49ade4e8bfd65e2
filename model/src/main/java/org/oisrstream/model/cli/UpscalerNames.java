package org.oisrstream.model.cli;

import java.util.Iterator;
import org.oisrstream.model.infer.Upscalers;

/** picocli's completion candidates (and {@code ${COMPLETION-CANDIDATES}} in help texts) for {@code --model}. */
public final class UpscalerNames implements Iterable<String> {

    @Override
    public Iterator<String> iterator() {
        return Upscalers.names().iterator();
    }
}
