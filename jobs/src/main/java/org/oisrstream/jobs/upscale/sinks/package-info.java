/**
 * Where the upscale job's chunks go: every output of {@link org.oisrstream.jobs.upscale.UpscaleJob} is built here
 * from the job's parameters, one factory method per output in {@link org.oisrstream.jobs.upscale.sinks.ChunkSinks}.
 * Today the only output is Kafka: {@link org.oisrstream.jobs.upscale.sinks.ChunkSinks#kafka} (upscaled chunks to
 * the output topic, dead letters to the dead-letter topic, exactly once) wrapped in
 * {@link org.oisrstream.jobs.upscale.sinks.OutageTolerantKafkaSink}.
 *
 * <h2>What an output receives</h2>
 * A Flink {@link org.apache.flink.api.connector.sink2.Sink Sink}{@code <ChunkRecord>} gets every record the upscale
 * operator emits, per stream in sequence order (the job is keyed by stream id and the async operator keeps input
 * order): upscaled chunks (MPEG-TS, {@code error == null}) and dead letters
 * ({@link org.oisrstream.operators.kafka.ChunkRecord#failed()}: the input's payload and metadata with the reason).
 * An output must route or drop the dead letters itself; the Kafka sink routes them to the dead-letter topic.
 *
 * <h2>Exactly once</h2>
 * The job checkpoints in exactly-once mode, and after a failure it re-runs every chunk since the last completed
 * checkpoint. An output that must show each chunk once has to be a two-phase-commit sink:
 * <ul>
 *   <li>the sink implements {@link org.apache.flink.api.connector.sink2.SupportsCommitter} (and, if its writer has
 *       state to restore, {@link org.apache.flink.api.connector.sink2.SupportsWriterState});</li>
 *   <li>its writer ({@link org.apache.flink.api.connector.sink2.CommittingSinkWriter}) writes each chunk so that
 *       readers cannot see it yet (an open Kafka transaction; for files, a temporary name or an object store's
 *       pending multipart upload) and hands out those pending writes as committables in {@code prepareCommit()}
 *       at each checkpoint;</li>
 *   <li>its {@link org.apache.flink.api.connector.sink2.Committer} makes them visible once the checkpoint has
 *       completed (commit the transaction; rename the file or complete the upload, then update what readers
 *       follow, e.g. an HLS playlist), and tolerates committing the same committable again after a recovery;</li>
 *   <li>pending writes of a failed attempt that never reached a checkpoint are aborted or cleaned up when the
 *       writer restarts.</li>
 * </ul>
 * Flink's {@code FileSink} works this way for files and object stores. A sink without a committer is at least
 * once: after a failure readers may see a chunk twice.
 *
 * <h2>Wiring</h2>
 * {@link org.oisrstream.jobs.upscale.UpscaleJob#build} takes the sink as a parameter and attaches it with uid
 * {@code chunk-sink}; {@link org.oisrstream.jobs.upscale.UpscaleJob#main} (cluster) and
 * {@link org.oisrstream.jobs.upscale.UpscaleJob#start} (local runs: {@code oisr job}, {@code oisr upscale}) pass
 * {@link org.oisrstream.jobs.upscale.sinks.ChunkSinks#kafka}. A new output adds its factory method to
 * {@code ChunkSinks}, its settings to {@link org.oisrstream.jobs.upscale.UpscaleJobParameters}, and is passed
 * there (or attached to the stream {@code build} returns, with a uid of its own, to write in addition to Kafka).
 * Tests pass sinks of their own ({@code UpscaleJobGraphTest} collects in memory).
 *
 * <p>Not the same thing: the HLS folder of {@code oisr upscale --hls} and {@code oisr assemble --hls}
 * ({@link org.oisrstream.jobs.live.LiveHlsOutput}) is written outside the job, from the output topic's committed
 * records, so it already sees each chunk once.
 */
package org.oisrstream.jobs.upscale.sinks;
