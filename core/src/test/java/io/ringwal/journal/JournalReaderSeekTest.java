package io.ringwal.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.format.FrameChecksum;
import io.ringwal.format.FrameDescriptor;
import io.ringwal.format.SegmentFileNames;
import io.ringwal.format.SegmentHeaderDescriptor;
import io.ringwal.testing.JournalFiles;

/**
 * Seeking ({@link JournalReader#open(Path, long)}) goes through the process's {@link SeekIndex} (and the writer's
 * seek index files it loads) and lands exactly
 * where a linear scan from the first frame lands: for every sequence of several journals, in random order (so the
 * index is built and used at every point), the first record delivered is the one a reader that read everything
 * from 0 saw under that sequence. The journals include skipped sequences, reopens (open and close markers),
 * records whose payloads are themselves valid frames with the outer journal's sequences (a journal stored inside a
 * journal's records, one frame or a batch of frames per record), and a last segment with stale frames after its
 * end, as in a recycled segment.
 */
class JournalReaderSeekTest
{
    private static final int SEGMENT = 1024 * 1024;

    @TempDir
    Path tmp;

    @BeforeEach
    void forgetIndexes()
    {
        SeekIndex.clear();
    }

    private static JournalConfig config()
    {
        return JournalConfig.builder().segmentSize(SEGMENT).build();
    }

    /** Every record read from 0 by one reader: the linear reference. Index = sequence; null = skipped. */
    static List<byte[]> readLinearly(final Path dir)
    {
        final List<byte[]> records = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(dir, 0))
        {
            while (reader.poll((sequence, buffer, offset, length) ->
            {
                while (records.size() < sequence)
                {
                    records.add(null);
                }
                final byte[] bytes = new byte[length];
                buffer.getBytes(offset, bytes);
                records.add(bytes);
            }, 4096) > 0)
            {
                // drain
            }
        }
        return records;
    }

    static void checkSeekToEverySequence(final Path dir, final long end, final long seed)
    {
        final List<byte[]> linear = readLinearly(dir);
        final List<Long> targets = new ArrayList<>();
        for (long s = 0; s <= end + 2; s++)
        {
            targets.add(s);
        }
        Collections.shuffle(targets, new Random(seed));
        for (final long target : targets)
        {
            try (JournalReader reader = JournalReader.open(dir, target))
            {
                assertThat(reader.nextSequence()).isEqualTo(target);
                final long[] seen = {-1};
                final byte[][] bytes = {null};
                reader.poll((sequence, buffer, offset, length) ->
                {
                    seen[0] = sequence;
                    bytes[0] = new byte[length];
                    buffer.getBytes(offset, bytes[0]);
                }, 1);
                long expected = target;
                while (expected < linear.size() && linear.get((int)expected) == null)
                {
                    expected++; // skipped sequences deliver nothing
                }
                if (expected >= linear.size())
                {
                    assertThat(seen[0]).as("nothing after the end, seeking %d", target).isEqualTo(-1);
                }
                else
                {
                    assertThat(seen[0]).as("seek to %d", target).isEqualTo(expected);
                    assertThat(bytes[0]).as("record %d after seeking to %d", expected, target)
                        .isEqualTo(linear.get((int)expected));
                }
            }
        }
    }

    static int indexEntries(final Path file)
    {
        return indexEntries(file, false);
    }

    static int indexEntries(final Path file, final boolean fromFile)
    {
        final java.nio.MappedByteBuffer mapped;
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file))
        {
            mapped = channel.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, 0, channel.size());
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
        try
        {
            return fromFile ? SeekIndex.fileEntries(file, new UnsafeBuffer(mapped)) :
                SeekIndex.entries(file, new UnsafeBuffer(mapped));
        }
        finally
        {
            org.agrona.IoUtil.unmap(mapped);
        }
    }

    @Test
    void shouldSeekToEverySequenceOfAJournalWithSkipsAndReopensLikeALinearScan()
    {
        final Path dir = tmp.resolve("plain");
        final Random random = new Random(42);
        long last = -1;
        for (int session = 0; session < 3; session++)
        {
            try (JournalWriter writer = JournalWriter.open(dir, config()))
            {
                for (int i = 0; i < 2_500; i++)
                {
                    if (random.nextInt(50) == 0)
                    {
                        last = writer.skip();
                    }
                    else
                    {
                        final byte[] bytes = JournalFiles.payload(writer.nextSequence(), random.nextInt(700));
                        last = writer.append(bytes, 0, bytes.length);
                    }
                }
            }
        }
        assertThat(JournalFiles.segments(dir)).hasSizeGreaterThan(1);
        checkSeekToEverySequence(dir, last, 1);
        // the writer's index file and the entries the walks recorded beyond it
        final Path first = JournalFiles.segments(dir).get(0);
        assertThat(indexEntries(first, true)).isPositive();
        assertThat(indexEntries(first) + indexEntries(first, true)).isGreaterThan(SEGMENT / SeekIndex.stride(SEGMENT) / 2);
    }

    /** A valid frame of the outer journal's format, as bytes, for payloads that look like frames. */
    private static byte[] frames(final long firstSequence, final int count, final Random random)
    {
        final ByteBuffer bytes = ByteBuffer.allocateDirect(count * 1024).order(FrameDescriptor.BYTE_ORDER);
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final FrameChecksum checksum = new FrameChecksum();
        int offset = 0;
        for (int i = 0; i < count; i++)
        {
            final int payload = random.nextInt(200);
            final byte[] inner = JournalFiles.payload(firstSequence + i + 7, payload);
            final int length = FrameDescriptor.frameLength(payload);
            buffer.putLong(offset + FrameDescriptor.SEQUENCE_OFFSET, firstSequence + i, FrameDescriptor.BYTE_ORDER);
            buffer.putShort(offset + FrameDescriptor.TYPE_OFFSET, FrameDescriptor.TYPE_DATA, FrameDescriptor.BYTE_ORDER);
            buffer.putBytes(offset + FrameDescriptor.HEADER_LENGTH, inner);
            buffer.putInt(offset + FrameDescriptor.CRC_OFFSET,
                checksum.compute(bytes.duplicate(), offset, length, FrameDescriptor.TYPE_DATA), FrameDescriptor.BYTE_ORDER);
            buffer.putInt(offset, length, FrameDescriptor.BYTE_ORDER);
            offset += FrameDescriptor.alignedLength(length);
        }
        final byte[] result = new byte[offset];
        buffer.getBytes(0, result);
        return result;
    }

    @Test
    void shouldSeekExactlyWhenRecordsHoldValidFramesWithTheJournalsOwnSequences()
    {
        final Path dir = tmp.resolve("nested");
        final Random random = new Random(7);
        long last = -1;
        try (JournalWriter writer = JournalWriter.open(dir, config()))
        {
            for (int i = 0; i < 6_000; i++)
            {
                final long sequence = writer.nextSequence();
                // one frame with this very sequence, or a batch of frames ending at it, or ahead of it
                final int count = 1 + random.nextInt(4);
                final long first = random.nextBoolean() ? sequence - count + 1 : sequence + random.nextInt(3);
                final byte[] bytes = frames(Math.max(0, first), count, random);
                last = writer.append(bytes, 0, bytes.length);
            }
        }
        assertThat(JournalFiles.segments(dir)).hasSizeGreaterThan(1);
        checkSeekToEverySequence(dir, last, 2);
    }

    @Test
    void shouldNeverSeekIntoStaleFramesAfterTheEndOfARecycledLastSegment()
    {
        final Path dir = tmp.resolve("recycled");
        final Random random = new Random(9);
        long last = -1;
        try (JournalWriter writer = JournalWriter.open(dir, config()))
        {
            for (int i = 0; i < 5_000; i++)
            {
                final byte[] bytes = JournalFiles.payload(i, random.nextInt(600));
                last = writer.append(bytes, 0, bytes.length);
            }
        }
        final List<Path> segments = JournalFiles.segments(dir);
        assertThat(segments).hasSizeGreaterThan(1);
        // after the close marker of the last segment: frames of the first segment (lower sequences), as a recycled
        // file holds them, and frames with sequences after the end (as a later reuse could never write, but a
        // seek must not trust them either)
        final Path lastFile = segments.get(segments.size() - 1);
        final byte[] image = JournalFiles.read(lastFile);
        final byte[] first = JournalFiles.read(segments.get(0));
        final int end = JournalFiles.recordRegionEnd(image) + FrameDescriptor.HEADER_LENGTH; // after the close marker
        final int from = FrameDescriptor.alignedLength(end + 8 * 1024);
        System.arraycopy(first, SegmentHeaderDescriptor.HEADER_LENGTH, image, from, image.length - from);
        final byte[] ahead = frames(last + 1, 50, random);
        assertThat(from + 4096 * 8 + ahead.length).isLessThan(image.length);
        System.arraycopy(ahead, 0, image, from + 4096 * 8, ahead.length);
        JournalFiles.write(lastFile, image);
        checkSeekToEverySequence(dir, last + 60, 3);
        try (JournalReader reader = JournalReader.open(dir, last + 1))
        {
            assertThat(reader.poll((sequence, buffer, offset, length) ->
            {
            }, 10)).isZero();
            assertThat(reader.atCleanEnd()).isTrue();
        }
        assertThat(SegmentFileNames.baseSequence(lastFile)).isPositive();
        assertThat(Arrays.equals(JournalFiles.read(lastFile), image)).isTrue();
    }
    @Test
    void shouldDropAnIndexWhoseFramesWereRewrittenInPlaceAndSeekLikeALinearScan()
    {
        final Path dir = tmp.resolve("rewritten");
        final Path other = tmp.resolve("other");
        long last = -1;
        try (JournalWriter writer = JournalWriter.open(dir, config());
            JournalWriter otherWriter = JournalWriter.open(other, config()))
        {
            for (int i = 0; i < 3_000; i++)
            {
                writer.append(JournalFiles.payload(i, 100), 0, 100);
                final byte[] bytes = JournalFiles.payload(i + 1, 50 + (i * 31) % 400);
                last = otherWriter.append(bytes, 0, bytes.length);
            }
        }
        final Path file = JournalFiles.segments(dir).get(0);
        try (JournalReader reader = JournalReader.open(dir, 2_900))
        {
            assertThat(reader.nextSequence()).isEqualTo(2_900);
        }
        assertThat(indexEntries(file)).isPositive();
        // same file, same header (so the same index key), other frames: as after a repair and a rewrite
        final byte[] image = JournalFiles.read(file);
        final byte[] frames = JournalFiles.read(JournalFiles.segments(other).get(0));
        System.arraycopy(frames, SegmentHeaderDescriptor.HEADER_LENGTH, image, SegmentHeaderDescriptor.HEADER_LENGTH,
            image.length - SegmentHeaderDescriptor.HEADER_LENGTH);
        JournalFiles.write(file, image);
        checkSeekToEverySequence(dir, last, 4);
    }
}
