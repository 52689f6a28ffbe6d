package io.ringwal.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.format.CounterId;

/**
 * Publishing counters at batch end allocates nothing: measured with the thread's allocated-bytes counter over a
 * million publishes after a warm-up, as {@link JournalAllocationTest} does for the append path.
 */
class CountersFileAllocationTest
{
    private static final int PUBLISHES = 1_000_000;
    private static final long ALLOWED_BYTES = 4 * 1024;

    @TempDir
    Path dir;

    private static long allocatedBytes()
    {
        return ((com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void shouldAllocateNothingWhenPublishingCountersAtBatchEnd()
    {
        final byte[] record = new byte[32];
        try (JournalWriter writer = JournalWriter.open(dir, JournalConfig.builder().segmentSize(64 * 1024 * 1024)
                .forcePolicy(ForcePolicy.never()).build());
            JournalCountersPublisher publisher = JournalCountersPublisher.open(writer);
            CountersFileReader reader = CountersFileReader.open(dir))
        {
            long sum = publishAndRead(writer, publisher, reader, record, PUBLISHES / 4);
            final long before = allocatedBytes();
            sum += publishAndRead(writer, publisher, reader, record, PUBLISHES);
            final long allocated = allocatedBytes() - before;
            assertThat(allocated).as("bytes allocated for %d publishes and reads", PUBLISHES)
                .isLessThanOrEqualTo(ALLOWED_BYTES);
            assertThat(sum).isPositive();
        }
    }

    private static long publishAndRead(
        final JournalWriter writer,
        final JournalCountersPublisher publisher,
        final CountersFileReader reader,
        final byte[] record,
        final int publishes)
    {
        long sum = 0;
        for (int i = 0; i < publishes; i++)
        {
            if ((i & 15) == 0)
            {
                writer.append(record, 0, record.length);
                writer.endOfBatch();
            }
            publisher.publish();
            publisher.file().set(CounterId.RING_FILL, i & 1023);
            sum += reader.get(CounterId.RECORDS) + reader.writtenSequence() + reader.heartbeatEpochMillis();
        }
        return sum;
    }
}
