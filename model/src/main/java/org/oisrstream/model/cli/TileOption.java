package org.oisrstream.model.cli;

import org.oisrstream.model.infer.UpscalerRequest;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --tile}: how a network cuts large frames. */
public final class TileOption {

    @Option(names = "--tile", defaultValue = "auto", paramLabel = "auto|0|PX",
            description = "Network tile side in input pixels; 0 = whole frames however large; auto = whole frames while"
                    + " they fit the memory budget, else tiles that do (default: ${DEFAULT-VALUE}).")
    String tile;

    /** {@link UpscalerRequest#AUTO_TILE}, 0 or a tile side. */
    public int tile(CommandLine cli) {
        if (tile.strip().equalsIgnoreCase("auto")) {
            return UpscalerRequest.AUTO_TILE;
        }
        try {
            int size = Integer.parseInt(tile.strip());
            if (size >= 0) {
                return size;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CommandLine.ParameterException(cli, "--tile must be auto, 0 or a positive number of input pixels,"
                + " got '" + tile + "'");
    }
}
