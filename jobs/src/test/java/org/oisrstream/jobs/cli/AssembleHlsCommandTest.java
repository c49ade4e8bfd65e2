package org.oisrstream.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oisrstream.jobs.kafka.ChunkTopics;
import org.oisrstream.jobs.kafka.EmbeddedKafka;
import org.oisrstream.model.infer.NearestNeighbourUpscaler;
import org.oisrstream.operators.kafka.ChunkRecord;
import org.oisrstream.operators.kafka.ChunkRecordCodec;
import org.oisrstream.operators.media.ChunkTranscoder;
import org.oisrstream.operators.media.EncoderSettings;
import org.oisrstream.operators.media.TestClips;
import org.oisrstream.operators.media.TranscodedChunk;

/**
 * {@code oisr assemble --hls DIR --source-topic IN}: the file and both HLS playlists from one run; source
 * segments (remuxed from the input topic's Matroska) and upscaled segments start at the same stream time.
 */
class AssembleHlsCommandTest {

    @TempDir
    Path tmp;

    @Test
    void writesTheFileAndSourceAndUpscaledPlaylistsThatLineUp() throws Exception {
        TestClips.Clip clip = TestClips.write(tmp.resolve("clip.mp4"), TestClips.ClipSpec.of(64, 36, 30, 10));
        Path hls = tmp.resolve("hls");
        int max = 8 << 20;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(max, Map.of())) {
            String bootstrap = kafka.bootstrapServers();
            ChunkTopics.ensure(bootstrap, List.of("h.in", "h.out"), 1, (short) 1, max);
            CliRun ingest = CliRun.run("ingest", clip.path().toString(), "--bootstrap-servers", bootstrap,
                    "--topic", "h.in", "--stream-id", "cam", "--chunk-seconds", "1", "--max-record-bytes", "" + max);
            assertEquals(0, ingest.exit(), ingest.err());
            // Stand-in for the job: each input chunk transcoded x2 (nearest) onto the output topic.
            ChunkTranscoder transcoder = new ChunkTranscoder(EncoderSettings.defaults());
            NearestNeighbourUpscaler nearest = new NearestNeighbourUpscaler(2);
            try (var consumer = new KafkaConsumer<byte[], byte[]>(ChunkTopics.consumerProperties(bootstrap, null, max));
                 var producer = new KafkaProducer<byte[], byte[]>(ChunkTopics.producerProperties(bootstrap, max))) {
                TopicPartition p = new TopicPartition("h.in", 0);
                consumer.assign(List.of(p));
                consumer.seekToBeginning(List.of(p));
                List<ChunkRecord> in = new ArrayList<>();
                while (in.isEmpty() || !in.get(in.size() - 1).last()) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        in.add(ChunkRecordCodec.fromConsumerRecord(r));
                    }
                }
                for (ChunkRecord c : in) {
                    TranscodedChunk out = transcoder.transcode(c.payload(), c.metadata(), nearest::upscale);
                    producer.send(ChunkRecordCodec.toProducerRecord("h.out",
                            c.processed(c.metadata().forOutput(out), out.data()))).get();
                }
            }
            CliRun assemble = CliRun.run("assemble", "--bootstrap-servers", bootstrap, "--topic", "h.out",
                    "--stream-id", "cam", "--output", tmp.resolve("out.mp4").toString(), "--timeout", "PT60S",
                    "--hls", hls.toString(), "--source-topic", "h.in", "--max-record-bytes", "" + max);
            assertEquals(0, assemble.exit(), assemble.err());
            assertTrue(Files.size(tmp.resolve("out.mp4")) > 0);
        }
        String source = Files.readString(hls.resolve("source/index.m3u8"));
        String upscaled = Files.readString(hls.resolve("upscaled/index.m3u8"));
        assertTrue(source.endsWith("#EXT-X-ENDLIST\n") && upscaled.endsWith("#EXT-X-ENDLIST\n"), source + upscaled);
        List<String> segments = upscaled.lines().filter(l -> l.endsWith(".ts")).toList();
        assertEquals(segments, source.lines().filter(l -> l.endsWith(".ts")).toList());
        assertTrue(segments.size() >= 3, upscaled);
        long frames = 0;
        for (String segment : segments) {
            Frame[] first = new Frame[2];
            long[] count = new long[2];
            int k = 0;
            for (String side : List.of("source", "upscaled")) {
                try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(hls.resolve(side).resolve(segment).toFile())) {
                    grabber.setFormat("mpegts");
                    grabber.start();
                    assertEquals(side.equals("source") ? 64 : 128, grabber.getImageWidth(), side + " " + segment);
                    Frame f;
                    while ((f = grabber.grabImage()) != null) {
                        if (first[k] == null) {
                            first[k] = f.clone();
                        }
                        count[k]++;
                    }
                }
                k++;
            }
            assertEquals(count[0], count[1], segment);
            assertEquals(first[0].timestamp, first[1].timestamp, 1_000, "segment " + segment + " starts together");
            frames += count[1];
        }
        assertEquals(30, frames);
    }
}
