package org.oisrstream.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.oisrstream.model.net.OisrNet;
import org.oisrstream.model.weights.HostTensor;
import org.oisrstream.model.weights.StateDict;
import org.oisrstream.model.weights.WeightsFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code --init}: the EDSR-style fine-tuning start of a new run from another network's weights (e.g. x4 from x2). */
final class InitialWeights {

    private static final Logger LOG = LoggerFactory.getLogger(InitialWeights.class);

    private InitialWeights() {
    }

    /**
     * Copies into {@code net} every tensor of {@code file} whose name and shape match (a DataParallel {@code module.}
     * prefix is dropped, as {@link OisrNet#load} does) and reports the others; tensors the file lacks keep their
     * fresh initialisation. A file of which nothing fits is refused.
     */
    static void load(OisrNet net, Path file) throws IOException {
        StateDict given = WeightsFiles.read(file).withoutDataParallelPrefix();
        StateDict own = net.stateDict();
        String describe = net.architecture().describe();
        Map<String, HostTensor> merged = new LinkedHashMap<>(own.tensors());
        List<String> skipped = new ArrayList<>();
        int loaded = 0;
        for (Map.Entry<String, HostTensor> e : given.tensors().entrySet()) {
            String key = e.getKey();
            HostTensor mine = own.tensors().get(key);
            if (mine == null) {
                skipped.add(key + " (not in " + describe + ")");
            } else if (!Arrays.equals(mine.shape(), e.getValue().shape())) {
                skipped.add(key + " (shape " + e.getValue().shapeString() + ", model has " + mine.shapeString() + ")");
            } else {
                merged.put(key, e.getValue());
                loaded++;
            }
        }
        if (loaded == 0) {
            throw new IllegalArgumentException(file + ": no tensor fits " + describe + " (is it an OISR weights file?)");
        }
        List<String> untouched = own.tensors().keySet().stream().filter(k -> !given.tensors().containsKey(k)).toList();
        net.load(new StateDict(merged, own.metadata()));
        LOG.info("--init {}: loaded {} of {} tensors; skipped {}: {}; freshly initialised: {}", file, loaded,
                own.tensors().size(), skipped.size(), skipped, untouched);
    }
}
