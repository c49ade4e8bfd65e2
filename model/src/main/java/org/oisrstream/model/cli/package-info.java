/**
 * The command-line options every command that runs an upscaler shares, as picocli mixins: one class per group, so
 * that {@code image}, {@code bench}, {@code eval}, {@code upscale}, {@code job} and {@code train} spell each flag,
 * its default and its help text once. {@link org.oisrstream.model.cli.ModelOptions} names the model from the
 * registry ({@link org.oisrstream.model.infer.Upscalers}); a command takes the groups whose flags mean the same for
 * it (training has no weights to run with, no tiles and no batch of frames).
 */
package org.oisrstream.model.cli;
