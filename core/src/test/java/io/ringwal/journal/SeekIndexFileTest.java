package io.ringwal.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.format.SeekIndexDescriptor;
import io.ringwal.format.SegmentFileNames;
import io.ringwal.format.SegmentHeaderDescriptor;
import io.ringwal.testing.JournalFiles;
import io.ringwal.tool.JournalVerifier;

/**
 * The writer's seek index files ({@code *.seg.idx}): written for every finished segment and at a clean close, used
 * by the first seek of a process, never trusted over the frames (a missing, torn, corrupt, stale or misplaced file
 * gives the same positions as a scan), and removed with their segments by retention, recycling and recovery.
 */
class SeekIndexFileTest
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

    private static long write(final Path dir, final int records, final long seed)
    {
        final Random random = new Random(seed);
        long last = -1;
        try (JournalWriter writer = JournalWriter.open(dir, config()))
        {
            for (int i = 0; i < records; i++)
            {
                final byte[] bytes = JournalFiles.payload(writer.nextSequence(), random.nextInt(900));
                last = writer.append(bytes, 0, bytes.length);
            }
        }
        return last;
    }

    private static List<Path> indexFiles(final Path dir)
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.filter(p -> SegmentFileNames.isIndexFileName(p.getFileName().toString())).sorted().toList();
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    private static int fileEntries(final Path segment) throws IOException
    {
        final byte[] bytes = Files.readAllBytes(SegmentFileNames.indexFileOf(segment));
        return SeekIndexDescriptor.entryCount(new UnsafeBuffer(bytes));
    }

    /** Seeks a little way into a segment and says how many entries the index file loaded for it has. */
    private static int entriesAfterAShortSeek(final Path segment)
    {
        SeekIndex.clear();
        final long base = SegmentFileNames.baseSequence(segment);
        try (JournalReader reader = JournalReader.open(segment.getParent(), base + 3))
        {
            assertThat(reader.nextSequence()).isEqualTo(base + 3);
        }
        return JournalReaderSeekTest.indexEntries(segment, true);
    }

    @Test
    void shouldWriteAnIndexForEveryFinishedSegmentAndAtCloseAndUseItOnTheFirstSeek() throws IOException
    {
        final Path dir = tmp.resolve("journal");
        final long last = write(dir, 6_000, 1);
        final List<Path> segments = JournalFiles.segments(dir);
        assertThat(segments).hasSizeGreaterThan(2);
        assertThat(indexFiles(dir)).containsExactlyElementsOf(
            segments.stream().map(SegmentFileNames::indexFileOf).toList());
        for (final Path segment : segments.subList(0, segments.size() - 1))
        {
            // the first frame at or after every multiple of the stride but 0
            assertThat(fileEntries(segment)).isEqualTo(SEGMENT / SeekIndexDescriptor.stride(SEGMENT) - 1);
            assertThat(entriesAfterAShortSeek(segment)).isEqualTo(fileEntries(segment));
        }
        SeekIndex.clear();
        JournalReaderSeekTest.checkSeekToEverySequence(dir, last, 11);
        // a recovery finds them, and verify does not list them as foreign files
        assertThat(JournalVerifier.verify(dir).otherFiles()).isEmpty();
    }

    @Test
    void shouldKeepTheIndexOfAContinuedSegmentAcrossAReopenAndExtendIt() throws IOException
    {
        final Path dir = tmp.resolve("reopened");
        write(dir, 300, 2);
        final Path first = JournalFiles.segments(dir).get(0);
        final int before = fileEntries(first);
        assertThat(before).isPositive();
        final long last = write(dir, 300, 3);
        assertThat(JournalFiles.segments(dir)).hasSize(1);
        assertThat(fileEntries(first)).isGreaterThan(before);
        SeekIndex.clear();
        JournalReaderSeekTest.checkSeekToEverySequence(dir, last, 12);
    }

    @Test
    void shouldSeekLikeAScanWhenTheIndexFileIsMissingTornCorruptStaleOrMisplaced() throws IOException
    {
        final Path dir = tmp.resolve("damaged");
        final long last = write(dir, 6_000, 4);
        final List<Path> segments = JournalFiles.segments(dir);
        final Path first = segments.get(0);
        final Path firstIndex = SegmentFileNames.indexFileOf(first);
        final byte[] good = Files.readAllBytes(firstIndex);

        final List<String> cases = List.of("missing", "empty", "truncated", "entry bit flipped", "header bit flipped",
            "another segment's index", "valid CRC, entries off by 8", "valid CRC, wrong sequences");
        for (final String damage : cases)
        {
            final byte[] bytes = good.clone();
            switch (damage)
            {
                case "missing" -> Files.delete(firstIndex);
                case "empty" -> Files.write(firstIndex, new byte[0]);
                case "truncated" -> Files.write(firstIndex, java.util.Arrays.copyOf(bytes, bytes.length - 5));
                case "entry bit flipped" ->
                {
                    bytes[SeekIndexDescriptor.entryOffset(3) + SeekIndexDescriptor.ENTRY_FRAME_OFFSET_OFFSET] ^= 8;
                    Files.write(firstIndex, bytes);
                }
                case "header bit flipped" ->
                {
                    bytes[SeekIndexDescriptor.BASE_SEQUENCE_OFFSET] ^= 1;
                    Files.write(firstIndex, bytes);
                }
                case "another segment's index" ->
                    Files.copy(SegmentFileNames.indexFileOf(segments.get(1)), firstIndex,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                case "valid CRC, entries off by 8" -> Files.write(firstIndex, reencode(first, bytes, 8, 0));
                case "valid CRC, wrong sequences" -> Files.write(firstIndex, reencode(first, bytes, 0, 1));
                default -> throw new AssertionError(damage);
            }
            SeekIndex.clear();
            JournalReaderSeekTest.checkSeekToEverySequence(dir, last, damage.hashCode());
            if (damage.startsWith("valid CRC"))
            {
                // loaded, then dropped when its first entry was used and did not name its frame
                assertThat(JournalReaderSeekTest.indexEntries(first, true)).as(damage).isZero();
            }
            else
            {
                assertThat(entriesAfterAShortSeek(first)).as(damage).isZero();
            }
            Files.write(firstIndex, good);
        }
        assertThat(entriesAfterAShortSeek(first)).isEqualTo(fileEntries(first));
    }

    /** The index file with every entry's offset and sequence shifted, and a correct CRC and identity. */
    private static byte[] reencode(final Path segment, final byte[] file, final int offsetShift,
        final int sequenceShift)
    {
        final UnsafeBuffer index = new UnsafeBuffer(file);
        final int count = SeekIndexDescriptor.entryCount(index);
        final long[] sequences = new long[count];
        final int[] offsets = new int[count];
        for (int i = 0; i < count; i++)
        {
            sequences[i] = SeekIndexDescriptor.entrySequence(index, i) + sequenceShift;
            offsets[i] = SeekIndexDescriptor.entryFrameOffset(index, i) + offsetShift;
        }
        final byte[] header = java.util.Arrays.copyOf(JournalFiles.read(segment), SegmentHeaderDescriptor.HEADER_LENGTH);
        final UnsafeBuffer out = new UnsafeBuffer(new byte[file.length]);
        SeekIndexDescriptor.encode(out, new UnsafeBuffer(header), SeekIndexDescriptor.stride(SEGMENT), sequences,
            offsets, count);
        assertThat(SeekIndexDescriptor.validate(out, file.length, new UnsafeBuffer(header))).isNull();
        return out.byteArray();
    }

    @Test
    void shouldDeleteIndexFilesWithTheSegmentsRetentionDeletesOrRecycles()
    {
        final Path dir = tmp.resolve("retained");
        final Random random = new Random(5);
        long last = -1;
        try (JournalWriter writer = JournalWriter.open(dir, config()))
        {
            for (int i = 0; i < 40_000; i++)
            {
                final byte[] bytes = JournalFiles.payload(writer.nextSequence(), random.nextInt(900));
                last = writer.append(bytes, 0, bytes.length);
                if (i % 2_000 == 1_999)
                {
                    writer.retireSegmentsBelow(Math.max(0, writer.nextSequence() - 3_000));
                }
            }
            writer.deleteSegmentsBelow(writer.nextSequence() - 4_000);
        }
        final List<Path> segments = JournalFiles.segments(dir);
        assertThat(SegmentFileNames.baseSequence(segments.get(0))).isPositive();
        assertThat(indexFiles(dir)).containsExactlyElementsOf(
            segments.stream().map(SegmentFileNames::indexFileOf).toList());
        boolean recycled = false;
        for (final Path segment : segments)
        {
            final UnsafeBuffer header = new UnsafeBuffer(java.util.Arrays.copyOf(JournalFiles.read(segment), 64));
            recycled |= (SegmentHeaderDescriptor.flags(header) & SegmentHeaderDescriptor.FLAG_RECYCLED) != 0;
        }
        assertThat(recycled).as("some retained segment is a recycled file full of stale frames").isTrue();
        SeekIndex.clear();
        checkSeekLikeAScan(dir, SegmentFileNames.baseSequence(segments.get(0)), last, 13);
    }

    @Test
    void shouldDeleteTheIndexOfASegmentRecoveryCutsAndIndexItAfreshAtTheNextClose() throws IOException
    {
        final Path dir = tmp.resolve("cut");
        write(dir, 900, 6);
        final Path segment = JournalFiles.segments(dir).get(0);
        final Path index = SegmentFileNames.indexFileOf(segment);
        assertThat(fileEntries(segment)).isGreaterThan(3);
        // a torn frame in the middle of the (last) segment: recovery cuts there, below indexed frames
        final byte[] image = JournalFiles.read(segment);
        final UnsafeBuffer indexBytes = new UnsafeBuffer(Files.readAllBytes(index));
        final int cutAt = SeekIndexDescriptor.entryFrameOffset(indexBytes, 1);
        image[cutAt + 30] ^= 0x55;
        JournalFiles.write(segment, image);
        final Random random = new Random(7);
        long last;
        try (JournalWriter writer = JournalWriter.open(dir, config()))
        {
            assertThat(writer.recoveryReport().tornTailCut()).isTrue();
            assertThat(index).doesNotExist();
            SeekIndex.clear();
            // new records of other sizes where the cut ones were: the old entries would name the wrong bytes
            last = writer.nextSequence() - 1;
            for (int i = 0; i < 700; i++)
            {
                final byte[] bytes = JournalFiles.payload(writer.nextSequence(), 1 + random.nextInt(1_500));
                last = writer.append(bytes, 0, bytes.length);
            }
        }
        assertThat(fileEntries(segment)).isPositive();
        SeekIndex.clear();
        JournalReaderSeekTest.checkSeekToEverySequence(dir, last, 14);
    }

    @Test
    void shouldDeleteTheIndexesOfSegmentsARepairTruncatesOrDrops() throws IOException
    {
        final Path dir = tmp.resolve("repaired");
        write(dir, 6_000, 8);
        final List<Path> segments = JournalFiles.segments(dir);
        final Path first = segments.get(0);
        final int damageAt = SeekIndexDescriptor.entryFrameOffset(
            new UnsafeBuffer(Files.readAllBytes(SegmentFileNames.indexFileOf(first))), 2);
        final byte[] image = JournalFiles.read(first);
        image[damageAt + 30] ^= 0x55;
        JournalFiles.write(first, image);
        final JournalConfig repair = JournalConfig.builder().segmentSize(SEGMENT)
            .recoveryMode(RecoveryMode.TRUNCATE_AT_DAMAGE).build();
        long last;
        try (JournalWriter writer = JournalWriter.open(dir, repair))
        {
            assertThat(writer.recoveryReport().repairedDamage()).isNotNull();
            assertThat(indexFiles(dir)).isEmpty();
            last = writer.nextSequence() - 1;
            final Random random = new Random(9);
            for (int i = 0; i < 3_000; i++)
            {
                final byte[] bytes = JournalFiles.payload(writer.nextSequence(), 1 + random.nextInt(1_500));
                last = writer.append(bytes, 0, bytes.length);
            }
        }
        SeekIndex.clear();
        JournalReaderSeekTest.checkSeekToEverySequence(dir, last, 15);
    }

    @Test
    void shouldRemoveLeftoverAndOrphanedIndexFilesOnOpen() throws IOException
    {
        final Path dir = tmp.resolve("stale");
        write(dir, 3_000, 10);
        final Path leftover = dir.resolve("00000000000000000000" + SegmentFileNames.INDEX_TEMP_SUFFIX);
        final Path orphan = dir.resolve("00000000000000999999" + SegmentFileNames.INDEX_SUFFIX);
        Files.write(leftover, new byte[] {1, 2, 3});
        Files.copy(SegmentFileNames.indexFileOf(JournalFiles.segments(dir).get(0)), orphan);
        assertThat(JournalVerifier.verify(dir).otherFiles()).isEmpty();
        try (JournalWriter writer = JournalWriter.open(dir, config()))
        {
            assertThat(writer.recoveryReport().removedFiles()).isEmpty();
            assertThat(leftover).doesNotExist();
            assertThat(orphan).doesNotExist();
        }
    }

    @Test
    void shouldUseTheIndexOfASegmentThatWasLiveAtThisProcesssFirstSeekOnceTheWriterFinishedIt()
    {
        final Path dir = tmp.resolve("live");
        final Random random = new Random(13);
        try (JournalWriter writer = JournalWriter.open(dir, config()))
        {
            for (int i = 0; i < 500; i++)
            {
                final byte[] bytes = JournalFiles.payload(writer.nextSequence(), random.nextInt(900));
                writer.append(bytes, 0, bytes.length);
            }
            final Path first = JournalFiles.segments(dir).get(0);
            assertThat(SegmentFileNames.indexFileOf(first)).doesNotExist();
            assertThat(entriesAfterAShortSeekKeepingTheIndex(first)).isZero();
            while (writer.activeSegmentBase() == 0)
            {
                final byte[] bytes = JournalFiles.payload(writer.nextSequence(), random.nextInt(900));
                writer.append(bytes, 0, bytes.length);
            }
            assertThat(SegmentFileNames.indexFileOf(first)).exists();
            assertThat(entriesAfterAShortSeekKeepingTheIndex(first)).isPositive();
        }
    }

    private static int entriesAfterAShortSeekKeepingTheIndex(final Path segment)
    {
        final long base = SegmentFileNames.baseSequence(segment);
        try (JournalReader reader = JournalReader.open(segment.getParent(), base + 3))
        {
            assertThat(reader.nextSequence()).isEqualTo(base + 3);
        }
        return JournalReaderSeekTest.indexEntries(segment, true);
    }

    @Test
    void shouldGoOnWithoutAnIndexWhenItCannotBeWritten() throws IOException
    {
        final Path dir = tmp.resolve("unwritable");
        final Random random = new Random(12);
        long last = -1;
        try (JournalWriter writer = JournalWriter.open(dir, config()))
        {
            // a directory where the writer writes the first segment's index before renaming it into place
            Files.createDirectories(dir.resolve("00000000000000000000" + SegmentFileNames.INDEX_TEMP_SUFFIX)
                .resolve("in-the-way"));
            while (writer.activeSegmentBase() == 0)
            {
                final byte[] bytes = JournalFiles.payload(writer.nextSequence(), random.nextInt(900));
                last = writer.append(bytes, 0, bytes.length);
            }
            assertThat(writer.failure()).isNull();
            Files.delete(dir.resolve("00000000000000000000" + SegmentFileNames.INDEX_TEMP_SUFFIX).resolve("in-the-way"));
            Files.delete(dir.resolve("00000000000000000000" + SegmentFileNames.INDEX_TEMP_SUFFIX));
        }
        assertThat(SegmentFileNames.indexFileOf(JournalFiles.segments(dir).get(0))).doesNotExist();
        JournalReaderSeekTest.checkSeekToEverySequence(dir, last, 16);
    }

    private static void checkSeekLikeAScan(final Path dir, final long first, final long end, final long seed)
    {
        final List<byte[]> linear = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(dir, first))
        {
            while (reader.poll((sequence, buffer, offset, length) ->
            {
                assertThat(sequence).isEqualTo(first + linear.size());
                final byte[] bytes = new byte[length];
                buffer.getBytes(offset, bytes);
                linear.add(bytes);
            }, 4096) > 0)
            {
                // drain
            }
        }
        assertThat(first + linear.size()).isEqualTo(end + 1);
        final Random random = new Random(seed);
        for (int i = 0; i < 3_000; i++)
        {
            final long target = first + random.nextInt(linear.size() + 2);
            try (JournalReader reader = JournalReader.open(dir, target))
            {
                final long[] seen = {-1};
                final byte[][] bytes = {null};
                reader.poll((sequence, buffer, offset, length) ->
                {
                    seen[0] = sequence;
                    bytes[0] = new byte[length];
                    buffer.getBytes(offset, bytes[0]);
                }, 1);
                if (target > end)
                {
                    assertThat(seen[0]).isEqualTo(-1);
                }
                else
                {
                    assertThat(seen[0]).as("seek to %d", target).isEqualTo(target);
                    assertThat(bytes[0]).isEqualTo(linear.get((int)(target - first)));
                }
            }
        }
    }
}
