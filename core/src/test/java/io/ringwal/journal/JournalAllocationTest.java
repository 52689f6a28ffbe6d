package io.ringwal.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hot paths allocate nothing: appending (copy and claim/commit), ending batches with forces, and reading with
 * CRC checks, measured with the thread's allocated-bytes counter over a million records after a warm-up (so the
 * JIT has compiled the paths; interpreter and JIT allocations would otherwise count).
 */
class JournalAllocationTest
{
    private static final int SEGMENT_SIZE = 128 * 1024 * 1024;
    private static final int RECORDS = 1_000_000;
    private static final long ALLOWED_BYTES = 4 * 1024;

    @TempDir
    Path dir;

    private static long allocatedBytes()
    {
        return ((com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private static final class Checksum implements RecordHandler
    {
        long sum;

        @Override
        public void onRecord(final long sequence, final org.agrona.DirectBuffer buffer, final int offset,
            final int length)
        {
            sum += sequence + buffer.getByte(offset) + length;
        }
    }

    @Test
    void shouldAllocateNothingWhenAppendingClaimingForcingAndReading()
    {
        final JournalConfig config = JournalConfig.builder().segmentSize(SEGMENT_SIZE)
            .forcePolicy(ForcePolicy.bounded(1, java.util.concurrent.TimeUnit.HOURS, 8 * 1024 * 1024)).build();
        final UnsafeBuffer source = new UnsafeBuffer(new byte[64]);
        source.setMemory(0, 64, (byte)7);
        final Checksum checksum = new Checksum();
        try (JournalWriter writer = JournalWriter.open(dir, config);
            JournalReader reader = JournalReader.open(dir, 0))
        {
            appendAndRead(writer, reader, source, checksum, RECORDS / 4);
            final long before = allocatedBytes();
            appendAndRead(writer, reader, source, checksum, RECORDS);
            final long allocated = allocatedBytes() - before;
            assertThat(allocated).as("bytes allocated for %d appends, claims and reads", RECORDS)
                .isLessThanOrEqualTo(ALLOWED_BYTES);
            assertThat(writer.counters().forces()).as("forces happened in the measured window").isPositive();
        }
        assertThat(checksum.sum).isPositive();
    }

    private static void appendAndRead(
        final JournalWriter writer, final JournalReader reader, final UnsafeBuffer source, final Checksum checksum,
        final int records)
    {
        for (int i = 0; i < records; i += 2)
        {
            writer.append(source, 0, 64);
            final WriteClaim claim = writer.claim(32);
            claim.buffer().putLong(0, i);
            claim.commit();
            if ((i & 63) == 0)
            {
                writer.endOfBatch();
                while (reader.poll(checksum, 100) > 0)
                {
                    // drain what was written
                }
            }
        }
        writer.endOfBatch();
        while (reader.poll(checksum, 100) > 0)
        {
            // drain
        }
    }
}
