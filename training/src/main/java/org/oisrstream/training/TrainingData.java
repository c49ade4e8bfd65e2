package org.oisrstream.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.oisrstream.model.data.EvalPair;
import org.oisrstream.model.data.EvalSet;
import org.oisrstream.model.data.EvalSets;
import org.oisrstream.model.image.RgbImage;
import org.oisrstream.model.quality.MatlabBicubic;
import org.oisrstream.training.data.DataLayouts;
import org.oisrstream.training.data.Downscaler;
import org.oisrstream.training.data.ImageEntry;
import org.oisrstream.training.data.ImageRange;
import org.oisrstream.training.data.PairLoader;
import org.oisrstream.training.data.PairSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The images of a run: the training pairs from {@code --data} (DIV2K folders or HR folders, LR made with MATLAB's
 * bicubic) and the validation sets from {@code --val} plus the validation part of {@code --data-range}.
 */
final class TrainingData {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingData.class);
    private static final Downscaler MATLAB_BICUBIC = new Downscaler() {
        @Override
        public RgbImage downscale(RgbImage hr, int scale) {
            return MatlabBicubic.downscale(hr, scale);
        }

        @Override
        public String id() {
            return "matlab-bicubic";
        }
    };

    private TrainingData() {
    }

    /** The training pairs; images that cannot be used are skipped (and counted in the warning). */
    static PairSet trainingSet(TrainConfig config) throws IOException {
        List<ImageEntry> entries = new ArrayList<>();
        boolean prefix = config.data().size() > 1;
        for (Path dir : config.data()) {
            List<ImageEntry> found;
            if (DataLayouts.isDiv2k(dir)) {
                ImageRange range = config.dataRange().map(r -> r.train()).orElse(new ImageRange(1, 800));
                found = DataLayouts.div2k(dir, range, config.scale());
            } else {
                found = DataLayouts.hrFolder(dir);
            }
            String tag = dir.getFileName() == null ? dir.toString() : dir.getFileName().toString();
            for (ImageEntry e : found) {
                entries.add(prefix ? new ImageEntry(tag + "/" + e.name(), e.hr(), e.lr()) : e);
            }
        }
        PairLoader loader = new PairLoader(MATLAB_BICUBIC, config.patch(), Runtime.getRuntime().availableProcessors(),
                config.cacheDir());
        PairSet set = loader.load("train", entries, config.scale());
        if (!set.skipped().isEmpty()) {
            LOG.warn("training data: {} of {} images skipped (see warnings above)", set.skipped().size(), entries.size());
        }
        return set;
    }

    /** The validation sets, preloaded; the first selects the best checkpoint. */
    static List<EvalSet> validationSets(TrainConfig config) throws IOException {
        List<EvalSet> sets = new ArrayList<>();
        for (Path dir : config.validation()) {
            EvalSet set = EvalSets.open(dir, config.scale()).preload();
            LOG.info("validation set {}: {} images ({})", set.name(), set.size(), set.layout());
            sets.add(set);
        }
        if (config.dataRange().flatMap(r -> r.validation()).isPresent()) {
            ImageRange range = config.dataRange().get().validation().get();
            for (Path dir : config.data()) {
                if (DataLayouts.isDiv2k(dir)) {
                    PairSet pairs = new PairLoader(MATLAB_BICUBIC, 1, 2, Optional.empty())
                            .load("DIV2K-" + range, DataLayouts.div2k(dir, range, config.scale()), config.scale());
                    sets.add(EvalSet.of(pairs.name(), config.scale(),
                            pairs.pairs().stream().map(p -> new EvalPair(p.name(), p.lr(), p.hr())).toList()));
                }
            }
        }
        return sets;
    }
}
