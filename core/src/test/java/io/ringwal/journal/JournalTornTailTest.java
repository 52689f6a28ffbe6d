package io.ringwal.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.ringwal.format.FrameDescriptor;
import io.ringwal.format.SegmentHeaderDescriptor;
import io.ringwal.segment.PreallocationMode;
import io.ringwal.testing.JournalFiles;
import io.ringwal.testing.QuietLogs;
import io.ringwal.segment.PretouchMode;

/**
 * A torn or corrupted tail of the last segment, at every byte offset of its last frames and of the zeros after
 * them: recovery cuts exactly at the last whole frame before the damage, reports what it cut, every earlier record
 * reads back byte-identical, no damaged record is returned and the next append continues the sequence.
 */
class JournalTornTailTest
{
    private static final int SEGMENT = 64 * 1024;
    private static final JournalConfig CONFIG = JournalConfig.builder().segmentSize(SEGMENT)
        .preallocationMode(PreallocationMode.BUFFERED).pretouchMode(PretouchMode.NONE).build();

    /** Where a frame of the last segment sits. */
    private record Frame(int start, int length, long sequence)
    {
        int end()
        {
            return start + length;
        }
    }

    private enum Damage
    {
        ZERO_FROM,
        FLIP_BIT
    }

    @Test
    void shouldCutAtTheLastWholeFrameForDamageAtEveryOffsetOfTheLastFrames()
    {
        run(new int[] {13, 40, 7}, 64, false);
    }

    @Test
    @Tag("slow")
    void shouldCutAtTheLastWholeFrameForEveryBitOfTheLastFramesAndAPageAfterThem()
    {
        run(new int[] {13, 1, 40, 7, 300, 2, 17}, 4096, true);
    }

    private static List<byte[]> expectedPayloads(final int fullRecords, final int[] tailSizes)
    {
        final List<byte[]> payloads = new ArrayList<>();
        for (int i = 0; i < fullRecords - 1; i++)
        {
            payloads.add(JournalFiles.payload(i, 1000));
        }
        // leaves 32 bytes: the segment is closed with a padding frame, and no tail record fits
        payloads.add(JournalFiles.payload(fullRecords - 1, 1928));
        for (final int size : tailSizes)
        {
            payloads.add(JournalFiles.payload(payloads.size(), size));
        }
        return payloads;
    }

    private static void run(final int[] tailSizes, final int bytesAfter, final boolean everyBit)
    {
        final Path pristine = JournalFiles.fastTempDir("torn-pristine");
        final Path work = JournalFiles.fastTempDir("torn-work");
        final QuietLogs quiet = QuietLogs.quiet();
        try
        {
            // segment 0: whole records then padding; segment 1 (the last): exactly the tail frames
            final int fullRecords = (SEGMENT - SegmentHeaderDescriptor.HEADER_LENGTH) / 1024;
            final List<byte[]> payloads = expectedPayloads(fullRecords, tailSizes);
            try (JournalWriter writer = JournalWriter.open(pristine, CONFIG))
            {
                for (final byte[] payload : payloads)
                {
                    writer.append(payload, 0, payload.length);
                    writer.endOfBatch();
                }
                assertThat(writer.activeSegmentBase()).isEqualTo(fullRecords);
            }
            final List<Path> segments = JournalFiles.segments(pristine);
            assertThat(segments).hasSize(2);
            final String lastName = segments.get(1).getFileName().toString();
            final byte[] original = JournalFiles.read(segments.get(1));
            final List<Frame> frames = frames(original, fullRecords);
            assertThat(frames).hasSize(tailSizes.length);

            JournalFiles.copyDir(pristine, work);
            final Path last = work.resolve(lastName);
            final int from = frames.get(0).start();
            final int to = FrameDescriptor.alignedLength(frames.get(frames.size() - 1).end()) + bytesAfter;
            int cases = 0;
            for (int offset = from; offset < to; offset++)
            {
                check(work, last, original, frames, payloads, Damage.ZERO_FROM, offset, 0);
                cases++;
                for (int bit = everyBit ? 0 : offset % 8; bit < (everyBit ? 8 : offset % 8 + 1); bit++)
                {
                    check(work, last, original, frames, payloads, Damage.FLIP_BIT, offset, bit);
                    cases++;
                }
            }
            // and the very last byte of the segment
            check(work, last, original, frames, payloads, Damage.FLIP_BIT, SEGMENT - 1, 7);
            assertThat(cases).isGreaterThan(2 * (to - from) - 1);
        }
        finally
        {
            quiet.close();
            JournalFiles.deleteTree(pristine);
            JournalFiles.deleteTree(work);
        }
    }

    private static List<Frame> frames(final byte[] segment, final long base)
    {
        final ByteBuffer bytes = ByteBuffer.wrap(segment).order(ByteOrder.LITTLE_ENDIAN);
        final List<Frame> frames = new ArrayList<>();
        int offset = SegmentHeaderDescriptor.HEADER_LENGTH;
        long sequence = base;
        while (offset + FrameDescriptor.HEADER_LENGTH <= segment.length && bytes.getInt(offset) != 0)
        {
            final int length = bytes.getInt(offset);
            assertThat(bytes.getLong(offset + FrameDescriptor.SEQUENCE_OFFSET)).isEqualTo(sequence);
            if (!FrameDescriptor.isMarker(bytes.getShort(offset + FrameDescriptor.TYPE_OFFSET)))
            {
                frames.add(new Frame(offset, length, sequence++));
            }
            offset += FrameDescriptor.alignedLength(length);
        }
        return frames;
    }

    private static void check(
        final Path dir,
        final Path last,
        final byte[] original,
        final List<Frame> frames,
        final List<byte[]> payloads,
        final Damage damage,
        final int offset,
        final int bit)
    {
        final byte[] damaged = original.clone();
        if (damage == Damage.ZERO_FROM)
        {
            java.util.Arrays.fill(damaged, offset, damaged.length, (byte)0);
        }
        else
        {
            damaged[offset] ^= (byte)(1 << bit);
        }
        JournalFiles.write(last, damaged);

        // independent expectation: the first frame whose own bytes [start, start + length) were changed is lost
        // with everything after it; bytes changed in alignment padding between frames harm no frame
        Frame hit = null;
        for (final Frame frame : frames)
        {
            final boolean changed = damage == Damage.ZERO_FROM ? frame.end() > offset :
                offset >= frame.start() && offset < frame.end();
            if (changed)
            {
                hit = frame;
                break;
            }
        }
        final Frame lastFrame = frames.get(frames.size() - 1);
        final long expectedLast = hit != null ? hit.sequence() - 1 : lastFrame.sequence();
        // the writer closed the journal with a close marker right after the last record: while that marker is
        // intact, the journal ends cleanly there and nothing is cut
        final int markerAt = FrameDescriptor.alignedLength(lastFrame.end());
        final int markerEnd = markerAt + FrameDescriptor.HEADER_LENGTH;
        final boolean markerChanged = java.util.Arrays.mismatch(original, markerAt, markerEnd, damaged, markerAt,
            markerEnd) >= 0;
        // bytes after an intact close marker are ignored unless they make the next frame length non-zero
        final boolean afterMarkerWritten = markerEnd + 4 <= damaged.length &&
            ByteBuffer.wrap(damaged).order(ByteOrder.LITTLE_ENDIAN).getInt(markerEnd) != 0;
        final int cutAt = hit != null ? hit.start() : markerChanged ? markerAt :
            afterMarkerWritten ? markerEnd : damaged.length;
        int lastNonZero = -1;
        for (int i = damaged.length - 1; i >= cutAt; i--)
        {
            if (damaged[i] != 0)
            {
                lastNonZero = i;
                break;
            }
        }
        final String what = damage + " at offset " + offset + " bit " + bit;

        try (JournalWriter writer = JournalWriter.open(dir, CONFIG))
        {
            final RecoveryReport report = writer.recoveryReport();
            assertThat(report.lastSequence()).as("last good sequence after %s: %s", what, report)
                .isEqualTo(expectedLast);
            assertThat(report.tornTailCut()).as("cut after %s: %s", what, report).isEqualTo(lastNonZero >= 0);
            if (lastNonZero >= 0)
            {
                assertThat(report.tornSegment()).isEqualTo(last);
                assertThat(report.tornOffset()).as("cut offset after %s", what).isEqualTo(cutAt);
                assertThat(report.tornBytes()).as("bytes cut after %s", what).isEqualTo(lastNonZero - cutAt + 1);
            }
            assertThat(report.repairedDamage()).isNull();
            assertThat(writer.nextSequence()).isEqualTo(expectedLast + 1);
            final byte[] next = JournalFiles.payload(expectedLast + 1, 3);
            assertThat(writer.append(next, 0, next.length)).isEqualTo(expectedLast + 1);
        }
        final List<byte[]> read = JournalFiles.readAll(dir);
        assertThat(read).as("records after %s", what).hasSize((int)expectedLast + 2);
        for (int i = 0; i <= expectedLast; i++)
        {
            if (!java.util.Arrays.equals(read.get(i), payloads.get(i)))
            {
                throw new AssertionError("record " + i + " differs after " + what);
            }
        }
        assertThat(read.get((int)expectedLast + 1)).isEqualTo(JournalFiles.payload(expectedLast + 1, 3));
    }
}
