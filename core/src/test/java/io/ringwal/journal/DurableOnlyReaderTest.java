package io.ringwal.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.format.CountersDescriptor;

/**
 * {@link ReaderOption#DURABLE_ONLY}: a reader delivers a record only once the durable watermark covers it, as the
 * counters file or a clean close shows it.
 */
class DurableOnlyReaderTest
{
    private static final JournalConfig NEVER = JournalConfig.builder().segmentSize(64 * 1024)
        .forcePolicy(ForcePolicy.never()).build();

    @TempDir
    Path dir;

    private final byte[] record = new byte[100];

    @Test
    void shouldHoldBackRecordsAboveThePublishedDurableSequenceAndDeliverThemOnceForced()
    {
        try (JournalWriter writer = JournalWriter.open(dir, NEVER);
            JournalCountersPublisher publisher = JournalCountersPublisher.open(writer);
            JournalReader durable = JournalReader.open(dir, 0, ReaderOption.DURABLE_ONLY);
            JournalReader plain = JournalReader.open(dir, 0))
        {
            append(writer, 10);
            publisher.publish();
            assertThat(drain(plain)).hasSize(10);
            assertThat(drainFor(durable, 250)).as("nothing is forced under never").isEmpty();
            assertThat(durable.nextSequence()).isZero();

            writer.force();
            publisher.publish();
            assertThat(drain(durable)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);

            append(writer, 5);
            publisher.publish();
            assertThat(drainFor(durable, 250)).isEmpty();
            writer.force();
            // not yet published: the reader only knows what the counters file says
            assertThat(drain(durable)).isEmpty();
            publisher.publish();
            assertThat(drain(durable)).containsExactly(10L, 11L, 12L, 13L, 14L);
        }
    }

    @Test
    void shouldDeliverRecordsAsSoonAsTheyAreForcedUnderEveryBatch()
    {
        try (JournalWriter writer = JournalWriter.open(dir, JournalConfig.builder().segmentSize(64 * 1024).build());
            JournalCountersPublisher publisher = JournalCountersPublisher.open(writer);
            JournalReader durable = JournalReader.open(dir, 0, ReaderOption.DURABLE_ONLY))
        {
            for (int batch = 0; batch < 20; batch++)
            {
                append(writer, 50);
                publisher.publish();
                assertThat(drain(durable)).hasSize(50);
            }
            assertThat(durable.nextSequence()).isEqualTo(1000);
        }
    }

    @Test
    void shouldDeliverEverythingUpToACleanCloseWhenNoWriterPublishedCounters()
    {
        try (JournalWriter writer = JournalWriter.open(dir, NEVER))
        {
            append(writer, 1000);
        }
        try (JournalReader durable = JournalReader.open(dir, 0, ReaderOption.DURABLE_ONLY))
        {
            assertThat(drain(durable)).hasSize(1000);
            assertThat(durable.atCleanEnd()).isTrue();
        }
    }

    @Test
    void shouldDeliverNothingOfTheActiveSegmentWhileAWriterWithoutCountersKeepsItOpenUnderNever()
    {
        final JournalWriter writer = JournalWriter.open(dir, NEVER);
        try (JournalReader durable = JournalReader.open(dir, 0, ReaderOption.DURABLE_ONLY))
        {
            append(writer, 10);
            assertThat(drainFor(durable, 300)).isEmpty();
            writer.close();
            assertThat(drainFor(durable, 300)).hasSize(10);
        }
        finally
        {
            writer.close();
        }
    }

    @Test
    void shouldHoldToTheLastPublishedDurableSequenceWhenTheWriterDiedWithoutClosing() throws Exception
    {
        final JournalWriter writer = JournalWriter.open(dir, NEVER);
        final JournalCountersPublisher publisher = JournalCountersPublisher.open(writer);
        append(writer, 10);
        writer.force();
        append(writer, 10);
        publisher.publish();
        // the writer process "dies": its pid is gone and the journal has no close marker
        final Process gone = new ProcessBuilder("true").start();
        assertThat(gone.waitFor(10, TimeUnit.SECONDS)).isTrue();
        putLong(CountersDescriptor.PID_OFFSET, gone.pid());
        try (JournalReader durable = JournalReader.open(dir, 0, ReaderOption.DURABLE_ONLY);
            CountersFileReader counters = CountersFileReader.open(dir))
        {
            assertThat(counters.status(5_000)).isEqualTo(CountersFileReader.Status.DEAD);
            assertThat(drainFor(durable, 300)).hasSize(10);
        }
        publisher.file().close();
        writer.close();
    }

    private void append(final JournalWriter writer, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            writer.append(record, 0, record.length);
        }
        writer.endOfBatch();
    }

    private static List<Long> drain(final JournalReader reader)
    {
        final List<Long> sequences = new ArrayList<>();
        while (reader.poll((sequence, buffer, offset, length) -> sequences.add(sequence), 100) > 0)
        {
            // until nothing new
        }
        return sequences;
    }

    private static List<Long> drainFor(final JournalReader reader, final long millis)
    {
        final List<Long> sequences = new ArrayList<>();
        final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < end)
        {
            sequences.addAll(drain(reader));
            Thread.onSpinWait();
        }
        return sequences;
    }

    private void putLong(final int offset, final long value) throws IOException
    {
        try (FileChannel channel = FileChannel.open(dir.resolve(CountersDescriptor.FILE_NAME),
            StandardOpenOption.WRITE))
        {
            channel.write(ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value), offset);
        }
    }
}
