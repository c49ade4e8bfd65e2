package org.oisrstream.model.net;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.oisrstream.model.weights.HostTensor;

/** Works out which OISR network a state dict belongs to from its keys and shapes. */
public final class StateDictArchitecture {

    private static final Pattern BLOCK_CONV1 = Pattern.compile("body\\.(\\d+)\\.conv1\\.weight");

    private StateDictArchitecture() {
    }

    /** The architecture these tensors were saved from, or empty when they do not look like an OISR network. */
    public static Optional<Architecture> detect(Map<String, HostTensor> tensors) {
        HostTensor head = tensors.get("head.0.weight");
        HostTensor up = tensors.get("tail.0.0.weight");
        if (head == null || up == null || head.shape().length != 4 || up.shape().length != 4) {
            return Optional.empty();
        }
        long features = head.shape()[0];
        int blocks = 0;
        for (String key : tensors.keySet()) {
            Matcher m = BLOCK_CONV1.matcher(key);
            if (m.matches()) {
                blocks = Math.max(blocks, Integer.parseInt(m.group(1)) + 1);
            }
        }
        BlockType block;
        if (tensors.containsKey("body.0.conv4.weight")) {
            block = tensors.containsKey("body.0.scale2") ? BlockType.LF : BlockType.RK2;
        } else if (tensors.containsKey("body.0.conv3.weight")) {
            block = BlockType.RK3;
        } else {
            return Optional.empty();
        }
        int scale;
        if (tensors.containsKey("tail.0.2.weight")) {
            scale = 4;
        } else if (up.shape()[0] == 4 * features) {
            scale = 2;
        } else if (up.shape()[0] == 9 * features) {
            scale = 3;
        } else {
            return Optional.empty();
        }
        if (blocks == 0 || features > Integer.MAX_VALUE) {
            return Optional.empty();
        }
        return Optional.of(new Architecture(block, blocks, (int) features, scale));
    }
}
