package io.ringwal.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.segment.PreallocationMode;
import io.ringwal.segment.internal.SegmentPreallocator;

/**
 * Under the default {@link PreallocationMode#ADAPTIVE} with mapped writes the allocator prepares segments page by
 * page while the writer forces small batches and with direct I/O once it forces large ones; with staged writes (the
 * default write mode) it zero-fills them with buffered 1 MiB writes whatever the forces. The records read back
 * either way.
 */
class AdaptivePreallocationJournalTest
{
    private static final int SEGMENT_SIZE = 1024 * 1024;
    private static final int RECORD = 1024;

    @TempDir
    Path dir;

    @Test
    void smallBatchesGetPageSizedZeroFill()
    {
        final Path journal = dir.resolve("small");
        try (JournalWriter writer = JournalWriter.open(journal, config(ForcePolicy.everyBatch())))
        {
            append(writer, 4 * SEGMENT_SIZE / RECORD, 1);
            final JournalCounters counters = writer.counters();
            assertThat(counters.rotations()).isGreaterThanOrEqualTo(3);
            assertThat(counters.segmentsBufferedPages()).isGreaterThanOrEqualTo(4);
            assertThat(counters.segmentsDirect()).isZero();
        }
        assertThat(readBack(journal)).isEqualTo(4L * SEGMENT_SIZE / RECORD);
    }

    @Test
    void largeBatchesTurnToDirectZeroFill() throws IOException
    {
        assumeDirectIo();
        final Path journal = dir.resolve("large");
        try (JournalWriter writer = JournalWriter.open(journal, config(ForcePolicy.everyBatch())))
        {
            append(writer, 8 * SEGMENT_SIZE / RECORD, 256);
            final JournalCounters counters = writer.counters();
            assertThat(counters.segmentsBufferedPages()).as("the first segment, before any force").isPositive();
            assertThat(counters.segmentsDirect()).as("once forces average 256 KiB").isGreaterThanOrEqualTo(4);
        }
        assertThat(readBack(journal)).isEqualTo(8L * SEGMENT_SIZE / RECORD);
    }

    @Test
    void neverStartsWithDirectZeroFill() throws IOException
    {
        assumeDirectIo();
        final Path journal = dir.resolve("never");
        try (JournalWriter writer = JournalWriter.open(journal, config(ForcePolicy.never())))
        {
            append(writer, 3 * SEGMENT_SIZE / RECORD, 64);
            assertThat(writer.counters().segmentsDirect()).isGreaterThanOrEqualTo(3);
            assertThat(writer.counters().segmentsBufferedPages()).isZero();
        }
        assertThat(readBack(journal)).isEqualTo(3L * SEGMENT_SIZE / RECORD);
    }

    @Test
    void stagedWritesGetBufferedZeroFillUnderSmallForces()
    {
        final Path journal = dir.resolve("staged");
        final JournalConfig config = JournalConfig.builder().segmentSize(SEGMENT_SIZE)
            .forcePolicy(ForcePolicy.everyBatch()).build();
        assertThat(config.writeMode()).isEqualTo(WriteMode.STAGED);
        assertThat(config.preallocationMode()).isEqualTo(PreallocationMode.ADAPTIVE);
        assertThat(config.effectivePreallocationMode()).isEqualTo(PreallocationMode.BUFFERED);
        try (JournalWriter writer = JournalWriter.open(journal, config))
        {
            append(writer, 4 * SEGMENT_SIZE / RECORD, 1);
            final JournalCounters counters = writer.counters();
            assertThat(counters.segmentsBuffered()).isGreaterThanOrEqualTo(4);
            assertThat(counters.segmentsBufferedPages()).isZero();
            assertThat(counters.segmentsDirect()).isZero();
        }
        assertThat(readBack(journal)).isEqualTo(4L * SEGMENT_SIZE / RECORD);
    }

    /** Adaptive preallocation chooses by force size for mapped writes, whose stores dirty whole folios. */
    private static JournalConfig config(final ForcePolicy policy)
    {
        return JournalConfig.builder().segmentSize(SEGMENT_SIZE).forcePolicy(policy).writeMode(WriteMode.MAPPED)
            .build();
    }

    private static void append(final JournalWriter writer, final int records, final int perBatch)
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[RECORD]);
        for (int i = 0; i < records; i++)
        {
            payload.putInt(0, i);
            writer.append(payload, 0, RECORD);
            if ((i + 1) % perBatch == 0)
            {
                writer.endOfBatch();
            }
        }
        writer.endOfBatch();
    }

    private static long readBack(final Path journal)
    {
        final long[] count = {0};
        try (JournalReader reader = JournalReader.open(journal, 0))
        {
            while (reader.poll((sequence, buffer, offset, length) ->
            {
                assertThat(buffer.getInt(offset)).isEqualTo((int)sequence);
                count[0]++;
            }, 1024) > 0)
            {
                // read everything
            }
        }
        return count[0];
    }

    private void assumeDirectIo() throws IOException
    {
        final Path probe = dir.resolve("probe.tmp");
        final PreallocationMode used = SegmentPreallocator.preallocate(probe, 64 * 1024, PreallocationMode.DIRECT);
        Files.delete(probe);
        assumeTrue(used == PreallocationMode.DIRECT, "this file system refuses direct I/O");
    }
}
