package io.ringwal.disruptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.journal.ForcePolicy;
import io.ringwal.journal.JournalConfig;
import io.ringwal.journal.JournalReader;

/**
 * {@link SequencedRecordTranslator}: the producer learns its record's sequence before the record is published, so
 * the durability listener never reports a sequence the producer has not mapped to its request yet.
 */
class SequencedTranslatorTest
{
    private static final int RECORDS = 20_000;

    @TempDir
    Path dir;

    @Test
    void shouldTellTheSequenceBeforeAnythingCanMakeItDurable() throws Exception
    {
        final ConcurrentHashMap<Long, Integer> requestBySequence = new ConcurrentHashMap<>();
        final AtomicReference<String> unknown = new AtomicReference<>();
        final AtomicLong lastDurable = new AtomicLong(-1);
        final JournalConfig config = JournalConfig.builder().segmentSize(1024 * 1024)
            .forcePolicy(ForcePolicy.everyBatch()).build();
        final SequencedRecordTranslator<int[]> translator = (buffer, sequence, request) ->
        {
            requestBySequence.put(sequence, request[0]);
            buffer.putInt(0, request[0]);
            return 4;
        };
        try (JournalPipeline pipeline = JournalPipeline.builder(dir).journalConfig(config).ringSize(64)
            .durabilityListener(durable ->
            {
                for (long s = lastDurable.get() + 1; s <= durable; s++)
                {
                    if (!requestBySequence.containsKey(s))
                    {
                        unknown.compareAndSet(null, "sequence " + s + " durable before its producer knew it");
                    }
                }
                lastDurable.set(durable);
            }).build().start())
        {
            final int[] request = new int[1];
            for (int i = 0; i < RECORDS; i++)
            {
                request[0] = i;
                final long sequence = pipeline.publish(translator, request);
                assertThat(requestBySequence.get(sequence)).isEqualTo(i);
            }
            pipeline.awaitDurable(RECORDS - 1);
        }
        assertThat(unknown.get()).isNull();
        assertThat(lastDurable.get()).isEqualTo(RECORDS - 1);
        try (JournalReader reader = JournalReader.open(dir, 0))
        {
            final int[] read = new int[1];
            while (reader.poll((sequence, buffer, offset, length) ->
            {
                assertThat(buffer.getInt(offset)).isEqualTo(requestBySequence.get(sequence));
                read[0]++;
            }, 1000) > 0)
            {
                // read on
            }
            assertThat(read[0]).isEqualTo(RECORDS);
        }
    }

    @Test
    void shouldJournalTheSequenceAsSkippedWhenTheTranslatorThrows() throws Exception
    {
        final JournalConfig config = JournalConfig.builder().segmentSize(1024 * 1024).build();
        try (JournalPipeline pipeline = JournalPipeline.builder(dir).journalConfig(config).ringSize(64).build()
            .start())
        {
            final long[] told = new long[1];
            assertThatThrownBy(() -> pipeline.publish((buffer, sequence, arg) ->
            {
                told[0] = sequence;
                throw new IllegalStateException("cannot serialise " + arg);
            }, "order-1")).isInstanceOf(IllegalStateException.class).hasMessage("cannot serialise order-1");
            final long next = pipeline.tryPublish((buffer, sequence, arg) -> 0, "order-2");
            assertThat(told[0]).isZero();
            assertThat(next).isEqualTo(1);
            assertThatThrownBy(() -> pipeline.publish((buffer, sequence, arg) -> -1, "bad"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("returned length -1");
        }
    }
}
