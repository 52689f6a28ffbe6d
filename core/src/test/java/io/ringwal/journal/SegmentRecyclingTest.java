package io.ringwal.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.ringwal.format.FrameDescriptor;
import io.ringwal.format.SegmentFileNames;
import io.ringwal.format.SegmentHeaderDescriptor;
import io.ringwal.segment.PreallocationMode;
import io.ringwal.segment.PretouchMode;
import io.ringwal.testing.JournalFiles;
import io.ringwal.testing.QuietLogs;
import io.ringwal.tool.JournalVerifier;
import io.ringwal.tool.VerifyReport;

/**
 * Retention on the allocator thread and recycling of retired segments: retired segments come back as new ones
 * without a zero-fill (header flag RECYCLED), their stale frames are never read as current data, and retention keeps
 * what readers in this or another process still need.
 */
class SegmentRecyclingTest
{
    private static final int SEGMENT_SIZE = 64 * 1024;
    private static final int PAYLOAD = 1000;

    @TempDir
    Path dir;

    private static JournalConfig.Builder config()
    {
        return JournalConfig.builder()
            .segmentSize(SEGMENT_SIZE)
            .preallocationMode(PreallocationMode.BUFFERED)
            .pretouchMode(PretouchMode.WRITE)
            .retention(RetentionPolicy.maxBytes(4L * SEGMENT_SIZE));
    }

    @Test
    void shouldRecycleRetiredSegmentsAndReadEveryRetainedRecordBack()
    {
        final long recycled;
        try (JournalWriter writer = JournalWriter.open(dir, config().build()))
        {
            append(writer, 0, 2_000);
            recycled = writer.counters().segmentsRecycled();
        }
        assertThat(recycled).as("segments recycled while writing ~32 segments with 4 retained").isGreaterThan(20);
        final List<Path> segments = JournalFiles.segments(dir);
        assertThat(segments.size()).isBetween(2, 7);
        assertThat(freeFiles()).hasSizeLessThanOrEqualTo(3);
        assertThat(recycledFlag(segments.get(segments.size() - 1))).isTrue();

        final long first = SegmentFileNames.baseSequence(segments.get(0));
        assertThat(readFrom(first)).isEqualTo(2_000 - first);
        final VerifyReport report = JournalVerifier.verify(dir);
        assertThat(report.intact()).as(report.toString()).isTrue();
        assertThat(report.closedCleanly()).isTrue();
        assertThat(report.tornTail()).isNull();

        try (JournalWriter writer = JournalWriter.open(dir, config().build()))
        {
            assertThat(writer.recoveryReport().tornTailCut()).isFalse();
            append(writer, 2_000, 2_500);
        }
        final long firstAfter = SegmentFileNames.baseSequence(JournalFiles.segments(dir).get(0));
        assertThat(readFrom(firstAfter)).isEqualTo(2_500 - firstAfter);
    }

    @ParameterizedTest
    @EnumSource(WriteMode.class)
    void shouldWriteZeroFlagsAndReservedWordsOverStaleBytesOfARecycledSegment(final WriteMode writeMode)
        throws Exception
    {
        try (JournalWriter writer = JournalWriter.open(dir, config().writeMode(writeMode).build()))
        {
            // record lengths that shift frame positions between uses, so stale payload lies under new headers
            for (int i = 0; i < 3_000; i++)
            {
                final byte[] payload = new byte[1 + (i * 37) % 700];
                java.util.Arrays.fill(payload, (byte)0xA5);
                writer.append(payload, 0, payload.length);
                if (i % 7 == 6)
                {
                    writer.endOfBatch();
                }
            }
            assertThat(writer.counters().segmentsRecycled()).isGreaterThan(10);
        }
        int checked = 0;
        for (final Path segment : JournalFiles.segments(dir))
        {
            final ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(segment)).order(ByteOrder.LITTLE_ENDIAN);
            int offset = SegmentHeaderDescriptor.HEADER_LENGTH;
            while (offset + FrameDescriptor.HEADER_LENGTH <= bytes.capacity())
            {
                final int length = bytes.getInt(offset + FrameDescriptor.LENGTH_OFFSET);
                if (length == 0)
                {
                    break;
                }
                assertThat(bytes.getShort(offset + FrameDescriptor.FLAGS_OFFSET))
                    .as("flags of the frame at %s@%d", segment.getFileName(), offset).isZero();
                assertThat(bytes.getInt(offset + FrameDescriptor.RESERVED_OFFSET))
                    .as("reserved word of the frame at %s@%d", segment.getFileName(), offset).isZero();
                checked++;
                if (bytes.getShort(offset + FrameDescriptor.TYPE_OFFSET) == FrameDescriptor.TYPE_PADDING)
                {
                    break;
                }
                offset += FrameDescriptor.alignedLength(length);
            }
        }
        assertThat(checked).isGreaterThan(500);
    }

    @Test
    void shouldRecoverACrashedRecycledSegmentWithoutReadingItsStaleFrames()
    {
        final Path crashed = dir.resolve("crashed");
        final Path live = dir.resolve("live");
        try (JournalWriter writer = JournalWriter.open(live, config().build()))
        {
            append(writer, 0, 1_500);
            assertThat(writer.counters().segmentsRecycled()).isPositive();
            // what a crash of this process leaves on disk (the page cache survives it): no close marker
            JournalFiles.copyDir(live, crashed);
        }
        final QuietLogs quiet = QuietLogs.quiet();
        try (JournalWriter writer = JournalWriter.open(crashed, config().build()))
        {
            final RecoveryReport report = writer.recoveryReport();
            assertThat(report.lastSequence()).isEqualTo(1_499);
            assertThat(writer.nextSequence()).isEqualTo(1_500);
            append(writer, 1_500, 2_200);
        }
        finally
        {
            quiet.close();
        }
        final long first = SegmentFileNames.baseSequence(JournalFiles.segments(crashed).get(0));
        assertThat(readFrom(crashed, first)).isEqualTo(2_200 - first);
        assertThat(JournalVerifier.verify(crashed).intact()).isTrue();
    }

    @Test
    void shouldKeepWhatAReaderPositionInAnotherProcessStillNeeds()
    {
        final long now = System.currentTimeMillis();
        ReaderPosition.write(dir, "shipper", 100, now);
        try (JournalWriter writer = JournalWriter.open(dir, config().build()))
        {
            append(writer, 0, 2_000);
        }
        final long first = SegmentFileNames.baseSequence(JournalFiles.segments(dir).get(0));
        assertThat(first).as("the segment holding sequence 100 is kept").isLessThanOrEqualTo(100);
        assertThat(readFrom(first)).isEqualTo(2_000 - first);

        // a position that was not updated for longer than the timeout stops holding segments back
        ReaderPosition.write(dir, "shipper", 100, now - Duration.ofDays(2).toMillis());
        final QuietLogs quiet = QuietLogs.quiet();
        try (JournalWriter writer = JournalWriter.open(dir, config().build()))
        {
            append(writer, 2_000, 2_400);
        }
        finally
        {
            quiet.close();
        }
        assertThat(SegmentFileNames.baseSequence(JournalFiles.segments(dir).get(0))).isGreaterThan(100);
    }

    @Test
    void shouldKeepTheSegmentAReaderOfThisProcessIsOn()
    {
        try (JournalWriter writer = JournalWriter.open(dir, config().build()))
        {
            append(writer, 0, 200);
            try (JournalReader reader = JournalReader.open(dir, 0))
            {
                append(writer, 200, 2_000);
                assertThat(SegmentFileNames.baseSequence(JournalFiles.segments(dir).get(0))).isZero();
                final int[] read = {0};
                while (reader.poll((sequence, buffer, offset, length) ->
                {
                    final byte[] payload = new byte[length];
                    buffer.getBytes(offset, payload);
                    assertThat(payload).isEqualTo(JournalFiles.payload(sequence, PAYLOAD));
                    read[0]++;
                }, 1000) > 0)
                {
                    // drain
                }
                assertThat(read[0]).isEqualTo(2_000);
            }
        }
    }

    @Test
    void shouldRetireExplicitlyIntoTheFreePool()
    {
        try (JournalWriter writer = JournalWriter.open(dir, JournalConfig.builder().segmentSize(SEGMENT_SIZE)
            .preallocationMode(PreallocationMode.BUFFERED).build()))
        {
            append(writer, 0, 500);
            final JournalRetention.RetentionResult result = writer.retireSegmentsBelow(300);
            assertThat(result.recycled()).isNotEmpty();
            assertThat(freeFiles()).hasSize(Math.min(result.recycled().size(), 3));
            append(writer, 500, 1_000);
            assertThat(writer.counters().segmentsRecycled()).isPositive();
        }
        final long first = SegmentFileNames.baseSequence(JournalFiles.segments(dir).get(0));
        assertThat(readFrom(first)).isEqualTo(1_000 - first);
    }

    private static void append(final JournalWriter writer, final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            final byte[] payload = JournalFiles.payload(i, PAYLOAD);
            assertThat(writer.append(payload, 0, payload.length)).isEqualTo(i);
            if (i % 10 == 9)
            {
                writer.endOfBatch();
            }
        }
        writer.endOfBatch();
    }

    private long readFrom(final long first)
    {
        return readFrom(dir, first);
    }

    private static long readFrom(final Path directory, final long first)
    {
        final long[] count = {0};
        try (JournalReader reader = JournalReader.open(directory, first))
        {
            while (reader.poll((sequence, buffer, offset, length) ->
            {
                assertThat(sequence).isEqualTo(first + count[0]);
                final byte[] payload = new byte[length];
                buffer.getBytes(offset, payload);
                assertThat(payload).as("record %d", sequence).isEqualTo(JournalFiles.payload(sequence, PAYLOAD));
                count[0]++;
            }, 1000) > 0)
            {
                // drain
            }
        }
        return count[0];
    }

    private List<Path> freeFiles()
    {
        final List<Path> free = new ArrayList<>();
        try (Stream<Path> list = Files.list(dir))
        {
            list.filter(p -> SegmentFileNames.isFreeFileName(p.getFileName().toString())).forEach(free::add);
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
        return free;
    }

    private static boolean recycledFlag(final Path segment)
    {
        final ByteBuffer header = ByteBuffer.wrap(JournalFiles.read(segment)).order(ByteOrder.LITTLE_ENDIAN);
        return (header.getInt(SegmentHeaderDescriptor.FLAGS_OFFSET) & SegmentHeaderDescriptor.FLAG_RECYCLED) != 0;
    }
}
