package io.ringwal.disruptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.ringwal.journal.ForceObserver;
import io.ringwal.journal.ForcePolicy;
import io.ringwal.journal.JournalClosedException;
import io.ringwal.journal.JournalConfig;
import io.ringwal.journal.JournalReader;

class JournalPipelineTest
{
    @TempDir
    Path dir;

    static List<String> readAll(final Path dir)
    {
        final List<String> records = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(dir, 0))
        {
            while (reader.poll((seq, buf, off, len) ->
            {
                assertThat(seq).isEqualTo(records.size());
                records.add(buf.getStringWithoutLengthAscii(off, len));
            }, 1000) > 0)
            {
                // drain
            }
        }
        return records;
    }

    static JournalConfig smallConfig(final ForcePolicy policy)
    {
        return JournalConfig.builder().segmentSize(64 * 1024).forcePolicy(policy).build();
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void shouldPublishEveryVariantAndReadBackInOrder(final Framing framing) throws Exception
    {
        final byte[] bytes = "from-array".getBytes(StandardCharsets.US_ASCII);
        final UnsafeBuffer direct = new UnsafeBuffer(ByteBuffer.allocateDirect(64));
        final int directLength = direct.putStringWithoutLengthAscii(0, "from-direct");
        final ByteBuffer heap = ByteBuffer.wrap("xxfrom-bytebufferxx".getBytes(StandardCharsets.US_ASCII));
        heap.position(2).limit(heap.capacity() - 2);
        final RecordTranslator<String> translator = (buffer, arg) -> buffer.putStringWithoutLengthAscii(0, arg);

        try (JournalPipeline pipeline = JournalPipeline.builder(dir).journalConfig(smallConfig(
            ForcePolicy.everyBatch())).ringSize(16).framing(framing).build().start())
        {
            assertThat(pipeline.publish(bytes, 0, bytes.length)).isEqualTo(0);
            assertThat(pipeline.publish(direct, 0, directLength)).isEqualTo(1);
            assertThat(pipeline.publish(heap)).isEqualTo(2);
            assertThat(heap.position()).isEqualTo(2);
            assertThat(pipeline.publish(translator, "from-translator")).isEqualTo(3);
            assertThat(pipeline.tryPublish(bytes, 5, 5)).isEqualTo(4);
            assertThat(pipeline.tryPublish(direct, 5, 6)).isEqualTo(5);
            assertThat(pipeline.tryPublish(heap)).isEqualTo(6);
            final long last = pipeline.tryPublish(translator, "");
            assertThat(last).isEqualTo(7);
            pipeline.awaitDurable(last);
            assertThat(pipeline.isDurable(last)).isTrue();
            assertThat(pipeline.durableSequence()).isGreaterThanOrEqualTo(last);
            assertThat(pipeline.writtenSequence()).isGreaterThanOrEqualTo(last);
        }
        assertThat(readAll(dir)).containsExactly("from-array", "from-direct", "from-bytebuffer", "from-translator",
            "array", "direct", "from-bytebuffer", "");
    }

    @Test
    void shouldCountTheSegmentsEachPreallocationModePrepared() throws Exception
    {
        final byte[] payload = new byte[1000];
        try (JournalPipeline pipeline = JournalPipeline.builder(dir).journalConfig(smallConfig(
            ForcePolicy.everyBatch())).ringSize(16).build().start())
        {
            for (int i = 0; i < 300; i++)
            {
                pipeline.awaitDurable(pipeline.publish(payload, 0, payload.length));
            }
            final PipelineCounters counters = pipeline.counters();
            assertThat(counters.rotations()).isGreaterThanOrEqualTo(3);
            assertThat(counters.segmentsBuffered())
                .as("staged writes (the every-batch default): ADAPTIVE zero-fills in 1 MiB buffered writes, " +
                    "and the pipeline reports it")
                .isGreaterThan(counters.rotations());
            assertThat(counters.segmentsDirect()).isZero();
            assertThat(counters.segmentsBufferedPages()).isZero();
        }
    }

    @Test
    void shouldRefuseOversizeRecordBeforeClaimingAndKeepSequencesContiguous() throws Exception
    {
        try (JournalPipeline pipeline = JournalPipeline.builder(dir).journalConfig(smallConfig(
            ForcePolicy.everyBatch())).maxRecordSize(100).ringSize(4).build().start())
        {
            final byte[] big = new byte[101];
            assertThat(pipeline.publish(big, 0, 10)).isEqualTo(0);
            assertThatThrownBy(() -> pipeline.publish(big, 0, 101)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("record length 101").hasMessageContaining("maxRecordSize=100");
            assertThatThrownBy(() -> pipeline.tryPublish(ByteBuffer.wrap(big)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRecordSize=100");
            assertThatThrownBy(() -> pipeline.publish(big, 95, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside the source");
            assertThat(pipeline.publish(big, 0, 100)).isEqualTo(1);
            pipeline.awaitDurable(1);
        }
        assertThat(readAll(dir)).hasSize(2);
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void shouldJournalASkippedSequenceNotAnEmptyRecordAndRethrowWhenTranslatorFails(final Framing framing)
        throws Exception
    {
        try (JournalPipeline pipeline = JournalPipeline.builder(dir).journalConfig(smallConfig(
            ForcePolicy.everyBatch())).maxRecordSize(64).ringSize(4).framing(framing).build().start())
        {
            final RecordTranslator<String> failing = (buffer, arg) ->
            {
                buffer.putStringWithoutLengthAscii(0, arg);
                throw new IllegalStateException("serialiser broke");
            };
            final RecordTranslator<Integer> liar = (buffer, arg) -> arg;
            final RecordTranslator<String> good = (buffer, arg) -> buffer.putStringWithoutLengthAscii(0, arg);
            assertThat(pipeline.publish(good, "a")).isEqualTo(0);
            assertThatThrownBy(() -> pipeline.publish(failing, "half-written"))
                .isInstanceOf(IllegalStateException.class).hasMessage("serialiser broke");
            assertThatThrownBy(() -> pipeline.publish(liar, 65)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("returned length 65");
            assertThat(pipeline.publish(good, "")).as("a real empty record").isEqualTo(3);
            for (int i = 0; i < 6; i++)
            {
                // the failed slots come round again: their skip flag must not stick to a good record
                assertThat(pipeline.publish(good, "d" + i)).isEqualTo(4 + i);
            }
            pipeline.awaitDurable(9);
            assertThat(pipeline.failure()).isNull();
        }
        final List<Long> sequences = new ArrayList<>();
        final List<String> records = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(dir, 0))
        {
            while (reader.poll((sequence, buffer, offset, length) ->
            {
                sequences.add(sequence);
                records.add(buffer.getStringWithoutLengthAscii(offset, length));
            }, 100) > 0)
            {
                // drain
            }
        }
        assertThat(sequences).as("replay delivers nothing for the failed translators' sequences")
            .containsExactly(0L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(records).containsExactly("a", "", "d0", "d1", "d2", "d3", "d4", "d5");
    }

    @Test
    void shouldContinueJournalSequencesAfterReopen() throws Exception
    {
        final byte[] bytes = "r".getBytes(StandardCharsets.US_ASCII);
        for (int round = 0; round < 3; round++)
        {
            try (JournalPipeline pipeline = JournalPipeline.builder(dir).journalConfig(smallConfig(
                ForcePolicy.everyBatch())).ringSize(8).build().start())
            {
                for (int i = 0; i < 10; i++)
                {
                    assertThat(pipeline.publish(bytes, 0, 1)).isEqualTo(round * 10L + i);
                }
            }
        }
        assertThat(readAll(dir)).hasSize(30);
    }

    @Test
    void shouldRefusePublishBeforeStartAndAfterCloseAndCloseIdempotently() throws Exception
    {
        final JournalPipeline pipeline = JournalPipeline.builder(dir).journalConfig(smallConfig(
            ForcePolicy.everyBatch())).ringSize(8).build();
        final byte[] bytes = new byte[8];
        assertThatThrownBy(() -> pipeline.publish(bytes, 0, 8)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("not started");
        pipeline.start();
        assertThatThrownBy(pipeline::start).isInstanceOf(IllegalStateException.class);
        final long sequence = pipeline.publish(bytes, 0, 8);
        pipeline.close();
        pipeline.close();
        assertThat(pipeline.isClosed()).isTrue();
        assertThat(pipeline.isDurable(sequence)).isTrue();
        pipeline.awaitDurable(sequence);
        assertThatThrownBy(() -> pipeline.publish(bytes, 0, 8)).isInstanceOf(JournalClosedException.class);
        assertThatThrownBy(() -> pipeline.tryPublish(bytes, 0, 8)).isInstanceOf(JournalClosedException.class);
        assertThatThrownBy(() -> pipeline.awaitDurable(sequence + 1)).isInstanceOf(JournalClosedException.class);

        final JournalPipeline never = JournalPipeline.builder(dir.resolve("never-started")).build();
        never.close();
        assertThat(never.isClosed()).isTrue();
        assertThatThrownBy(never::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldTimeOutAwaitWhileForceIsSlowAndCallListenerOncePerAdvance() throws Exception
    {
        final List<Long> advances = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();
        final ForceObserver slow = new ForceObserver()
        {
            @Override
            public void beforeForce(final Path segment, final long offset, final long length, final long upto)
            {
                sleep(100);
            }
        };
        final JournalConfig config = JournalConfig.builder().segmentSize(64 * 1024)
            .forcePolicy(ForcePolicy.everyBatch()).forceObserver(slow).build();
        try (JournalPipeline pipeline = JournalPipeline.builder(dir).journalConfig(config).ringSize(8)
            .durabilityListener(durable ->
            {
                advances.add(durable);
                threads.add(Thread.currentThread().getName());
            }).build().start())
        {
            final long sequence = pipeline.publish(new byte[4], 0, 4);
            assertThat(pipeline.awaitDurable(sequence, 1, TimeUnit.MILLISECONDS)).isFalse();
            assertThat(pipeline.isDurable(sequence)).isFalse();
            assertThat(pipeline.awaitDurable(sequence, 10, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 5; i++)
            {
                pipeline.awaitDurable(pipeline.publish(new byte[4], 0, 4));
            }
        }
        assertThat(advances).isSorted().doesNotHaveDuplicates().endsWith(5L).hasSizeGreaterThanOrEqualTo(2);
        // on the thread that completed the force: the writer thread, or the force thread when forces are pipelined
        assertThat(threads).allMatch(name -> name.startsWith("ringwal-forcer-") || name.startsWith("ringwal-writer-"));
    }

    @Test
    void shouldForceOnIdleUnderBoundedPolicyWithoutFurtherRecords() throws Exception
    {
        try (JournalPipeline pipeline = JournalPipeline.builder(dir).journalConfig(smallConfig(
            ForcePolicy.bounded(20, TimeUnit.MILLISECONDS, Long.MAX_VALUE))).ringSize(8).build().start())
        {
            final long sequence = pipeline.publish(new byte[4], 0, 4);
            assertThat(pipeline.awaitDurable(sequence, 5, TimeUnit.SECONDS)).isTrue();
            // the force counters reach the pipeline's counters at its next batch, idle timeout or close
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (pipeline.counters().forces() < 1 && System.nanoTime() < deadline)
            {
                Thread.sleep(1);
            }
            assertThat(pipeline.counters().forces()).isGreaterThanOrEqualTo(1);
        }
    }

    static void sleep(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
