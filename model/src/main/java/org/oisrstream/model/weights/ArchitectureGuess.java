package org.oisrstream.model.weights;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OISR architecture a state dict's keys and shapes describe: residual blocks, feature channels, block type and
 * upscaling factor. Features come from {@code head.0.weight}; blocks are {@code body.0 .. body.N-1} followed by the
 * body's last convolution {@code body.N.weight}; the block type from block 0's {@code scaleK} parameters and
 * {@code convK} layers; the scale from the upsampler: {@code tail.0.0} with 4F outputs is x2, followed by
 * {@code tail.0.2} with 4F outputs is x4, 9F outputs is x3.
 */
public record ArchitectureGuess(int blocks, int features, BlockType blockType, int scale) {

    private static final Pattern BODY_KEY = Pattern.compile("body\\.(\\d+)\\.(.+)");
    private static final Pattern SCALE_PARAM = Pattern.compile("scale\\d+");
    private static final Pattern CONV_WEIGHT = Pattern.compile("conv\\d+\\.weight");

    public static ArchitectureGuess of(StateDict weights) {
        return of(weights.shapes());
    }

    /**
     * @throws IllegalArgumentException when the keys do not form an OISR network, saying what is missing or odd
     */
    public static ArchitectureGuess of(Map<String, long[]> shapes) {
        long[] head = shapes.get("head.0.weight");
        if (head == null || head.length != 4) {
            throw new IllegalArgumentException("not an OISR state dict: no 4-d head.0.weight");
        }
        int features = Math.toIntExact(head[0]);

        TreeMap<Integer, Set<String>> body = new TreeMap<>();
        for (String key : shapes.keySet()) {
            Matcher m = BODY_KEY.matcher(key);
            if (m.matches()) {
                body.computeIfAbsent(Integer.parseInt(m.group(1)), i -> new TreeSet<>()).add(m.group(2));
            }
        }
        if (body.isEmpty()) {
            throw new IllegalArgumentException("not an OISR state dict: no body.* keys");
        }
        int last = body.lastKey();
        if (body.size() != last + 1) {
            throw new IllegalArgumentException("not an OISR state dict: body indices are not 0.." + last
                    + " without gaps");
        }
        if (!body.get(last).contains("weight") || !Set.of("weight", "bias").containsAll(body.get(last))) {
            throw new IllegalArgumentException("not an OISR state dict: body." + last
                    + " is not the body's final convolution (weight, bias)");
        }
        int blocks = last;
        if (blocks == 0) {
            throw new IllegalArgumentException("not an OISR state dict: no residual blocks in body");
        }
        Set<String> firstBlock = body.get(0);
        for (int i = 1; i < blocks; i++) {
            if (!body.get(i).equals(firstBlock)) {
                throw new IllegalArgumentException("not an OISR state dict: block body." + i
                        + " has parameters " + body.get(i) + " but body.0 has " + firstBlock);
            }
        }
        int scales = (int) firstBlock.stream().filter(p -> SCALE_PARAM.matcher(p).matches()).count();
        int convolutions = (int) firstBlock.stream().filter(p -> CONV_WEIGHT.matcher(p).matches()).count();
        BlockType type = BlockType.of(scales, convolutions);

        return new ArchitectureGuess(blocks, features, type, upscale(shapes, features));
    }

    private static int upscale(Map<String, long[]> shapes, int features) {
        long[] first = shapes.get("tail.0.0.weight");
        if (first == null || first.length != 4) {
            throw new IllegalArgumentException("not an OISR state dict: no 4-d tail.0.0.weight (upsampler)");
        }
        if (first[0] == 9L * features && !shapes.containsKey("tail.0.2.weight")) {
            return 3;
        }
        if (first[0] != 4L * features) {
            throw new IllegalArgumentException("upsampler tail.0.0.weight has " + first[0]
                    + " output channels; expected 4x (x2, x4) or 9x (x3) the " + features + " features");
        }
        int scale = 1;
        for (int i = 0; ; i += 2) {
            long[] conv = shapes.get("tail.0." + i + ".weight");
            if (conv == null) {
                return scale;
            }
            if (conv.length != 4 || conv[0] != 4L * features) {
                throw new IllegalArgumentException("upsampler tail.0." + i + ".weight has " + conv[0]
                        + " output channels; expected " + 4L * features);
            }
            scale *= 2;
        }
    }

    /** The matching entry of the variant table, if the blocks, features and block type are a published variant. */
    public Optional<OisrVariantSpec> variant() {
        return OisrVariantSpec.matching(blocks, features, blockType);
    }

    /** "lf-s x2", or for an unpublished shape "LF network with 2 blocks of 8 features x2". */
    public String describe() {
        return variant().map(v -> v.name() + " x" + scale)
                .orElse(blockType + " network with " + blocks + " blocks of " + features + " features x" + scale);
    }

    public boolean matches(OisrVariantSpec spec, int expectedScale) {
        return blocks == spec.blocks() && features == spec.features() && blockType == spec.blockType()
                && scale == expectedScale;
    }

    /** @throws WeightsMismatchException "weights are lf-s x2 but the model is lf-s x4" when they differ */
    public void requireMatches(OisrVariantSpec spec, int expectedScale) {
        if (!matches(spec, expectedScale)) {
            throw new WeightsMismatchException("weights are " + describe() + " but the model is " + spec.name()
                    + " x" + expectedScale);
        }
    }
}
