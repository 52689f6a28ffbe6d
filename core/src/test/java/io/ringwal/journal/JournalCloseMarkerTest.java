package io.ringwal.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.format.FrameChecksum;
import io.ringwal.format.FrameDescriptor;
import io.ringwal.format.SegmentHeaderDescriptor;
import io.ringwal.segment.PreallocationMode;
import io.ringwal.segment.PretouchMode;
import io.ringwal.testing.JournalFiles;
import io.ringwal.tool.JournalVerifier;
import io.ringwal.tool.VerifyReport;

/**
 * The close and open markers of format version 2 (docs/FORMAT.md §2.6): a clean close is recorded, a reopen makes
 * its open marker durable before any record after it, and bytes after a clean close (what a recycled segment
 * holds there) are neither read nor cut.
 */
class JournalCloseMarkerTest
{
    private static final int SEGMENT_SIZE = 64 * 1024;

    @TempDir
    Path dir;

    private final JournalConfig config = JournalConfig.builder()
        .segmentSize(SEGMENT_SIZE)
        .preallocationMode(PreallocationMode.BUFFERED)
        .pretouchMode(PretouchMode.NONE)
        .build();

    @Test
    void shouldRecordACleanCloseThatReadersAndVerifySee()
    {
        append(0, 10);

        final VerifyReport report = JournalVerifier.verify(dir);
        assertThat(report.closedCleanly()).as(report.toString()).isTrue();
        assertThat(report.tornTail()).isNull();
        try (JournalReader reader = JournalReader.open(dir, 0))
        {
            int read = 0;
            int n;
            while ((n = reader.poll((sequence, buffer, offset, length) -> { }, 100)) > 0)
            {
                read += n;
            }
            assertThat(read).isEqualTo(10);
            assertThat(reader.atCleanEnd()).isTrue();
            assertThat(reader.nextSequence()).isEqualTo(10);
        }
    }

    @Test
    void shouldNotReportACleanEndWhileAReopenedWriterHasTheJournalOpen()
    {
        append(0, 10);
        try (JournalWriter writer = JournalWriter.open(dir, config))
        {
            // what a crash now leaves: an open marker after the close marker
            final VerifyReport whileOpen = JournalVerifier.verify(dir);
            assertThat(whileOpen.closedCleanly()).as(whileOpen.toString()).isFalse();
            try (JournalReader reader = JournalReader.open(dir, 0))
            {
                while (reader.poll((sequence, buffer, offset, length) -> { }, 100) > 0)
                {
                    // drain
                }
                assertThat(reader.atCleanEnd()).isFalse();
            }
            final byte[] payload = JournalFiles.payload(10, 50);
            assertThat(writer.append(payload, 0, payload.length)).isEqualTo(10);
        }
        assertThat(JournalFiles.readAll(dir)).hasSize(11);
        assertThat(JournalVerifier.verify(dir).closedCleanly()).isTrue();
    }

    @Test
    void shouldForceTheOpenMarkerBeforeAnyRecordAfterAReopen()
    {
        append(0, 3);
        final List<long[]> forces = new ArrayList<>();
        final JournalConfig observed = JournalConfig.builder()
            .segmentSize(SEGMENT_SIZE)
            .preallocationMode(PreallocationMode.BUFFERED)
            .pretouchMode(PretouchMode.NONE)
            .forceObserver(new ForceObserver()
            {
                @Override
                public void beforeForce(final Path segment, final long offset, final long length, final long upto)
                {
                }

                @Override
                public void afterForce(
                    final Path segment, final long offset, final long length, final long upto, final long nanos)
                {
                    forces.add(new long[] {offset, length});
                }
            })
            .build();
        final int closeMarker = SegmentHeaderDescriptor.HEADER_LENGTH + 3 * frame(50);
        final int openMarker = closeMarker + FrameDescriptor.HEADER_LENGTH;
        try (JournalWriter writer = JournalWriter.open(dir, observed))
        {
            assertThat(forces).as("the open marker and the zeroed length after it are forced at open").isNotEmpty();
            final long[] first = forces.get(0);
            assertThat(first[0] + first[1]).isGreaterThanOrEqualTo(openMarker + FrameDescriptor.HEADER_LENGTH + 4);
            final byte[] segment = JournalFiles.read(writer.activeSegment());
            final ByteBuffer bytes = ByteBuffer.wrap(segment).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(bytes.getShort(closeMarker + FrameDescriptor.TYPE_OFFSET)).isEqualTo(FrameDescriptor.TYPE_CLOSE);
            assertThat(bytes.getShort(openMarker + FrameDescriptor.TYPE_OFFSET)).isEqualTo(FrameDescriptor.TYPE_OPEN);
            assertThat(bytes.getLong(openMarker + FrameDescriptor.SEQUENCE_OFFSET)).isEqualTo(3);
        }
    }

    @Test
    void shouldIgnoreStaleFramesAfterACleanCloseAndNeverReadThem()
    {
        append(0, 5);
        // what a recycled segment holds after its frames: valid-looking frames of an earlier use, whose sequences
        // are below the segment's base; and, to be hostile, one that even has the next sequence, placed after the
        // zeroed length that follows the close marker
        final Path last = JournalFiles.segments(dir).get(0);
        final byte[] segment = JournalFiles.read(last);
        final int closeMarker = SegmentHeaderDescriptor.HEADER_LENGTH + 5 * frame(50);
        final int afterMarker = closeMarker + FrameDescriptor.HEADER_LENGTH;
        writeFrame(segment, afterMarker + 64, 5, new byte[40]);
        final Random random = new Random(7);
        final byte[] noise = new byte[4096];
        random.nextBytes(noise);
        System.arraycopy(noise, 0, segment, 8192, noise.length);
        JournalFiles.write(last, segment);

        try (JournalWriter writer = JournalWriter.open(dir, config))
        {
            assertThat(writer.recoveryReport().tornTailCut()).as(writer.recoveryReport().toString()).isFalse();
            assertThat(writer.nextSequence()).isEqualTo(5);
            for (int i = 5; i < 40; i++)
            {
                final byte[] payload = JournalFiles.payload(i, 50);
                writer.append(payload, 0, payload.length);
                writer.endOfBatch();
            }
        }
        final List<byte[]> records = JournalFiles.readAll(dir);
        assertThat(records).hasSize(40);
        for (int i = 0; i < 40; i++)
        {
            assertThat(records.get(i)).as("record %d", i).isEqualTo(JournalFiles.payload(i, 50));
        }
        assertThat(JournalVerifier.verify(dir).intact()).isTrue();
    }

    @Test
    void shouldPassOverASkippedSequenceWithoutDeliveringIt()
    {
        try (JournalWriter writer = JournalWriter.open(dir, config))
        {
            writer.append(JournalFiles.payload(0, 50), 0, 50);
            assertThat(writer.skip()).isEqualTo(1);
            writer.append(JournalFiles.payload(2, 50), 0, 50);
        }
        final List<Long> sequences = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(dir, 0))
        {
            while (reader.poll((sequence, buffer, offset, length) -> sequences.add(sequence), 100) > 0)
            {
                // drain
            }
            assertThat(reader.nextSequence()).isEqualTo(3);
        }
        assertThat(sequences).containsExactly(0L, 2L);
        final VerifyReport report = JournalVerifier.verify(dir);
        assertThat(report.intact()).as(report.toString()).isTrue();
        assertThat(report.lastSequence()).isEqualTo(2);
        try (JournalWriter writer = JournalWriter.open(dir, config))
        {
            assertThat(writer.nextSequence()).isEqualTo(3);
        }
    }

    private void append(final int from, final int to)
    {
        try (JournalWriter writer = JournalWriter.open(dir, config))
        {
            for (int i = from; i < to; i++)
            {
                final byte[] payload = JournalFiles.payload(i, 50);
                writer.append(payload, 0, payload.length);
                writer.endOfBatch();
            }
        }
    }

    private static int frame(final int payload)
    {
        return FrameDescriptor.alignedLength(FrameDescriptor.frameLength(payload));
    }

    private static void writeFrame(final byte[] segment, final int at, final long sequence, final byte[] payload)
    {
        final ByteBuffer bytes = ByteBuffer.wrap(segment).order(ByteOrder.LITTLE_ENDIAN);
        final int length = FrameDescriptor.frameLength(payload.length);
        bytes.putInt(at, length);
        bytes.putLong(at + FrameDescriptor.SEQUENCE_OFFSET, sequence);
        bytes.putShort(at + FrameDescriptor.TYPE_OFFSET, FrameDescriptor.TYPE_DATA);
        System.arraycopy(payload, 0, segment, at + FrameDescriptor.HEADER_LENGTH, payload.length);
        bytes.putInt(at + FrameDescriptor.CRC_OFFSET, new FrameChecksum().compute(ByteBuffer.wrap(segment), at, length,
            FrameDescriptor.TYPE_DATA));
    }
}
