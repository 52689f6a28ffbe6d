package io.ringwal.tool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.format.SeekIndexDescriptor;
import io.ringwal.format.SegmentFileNames;
import io.ringwal.format.SegmentHeaderDescriptor;
import io.ringwal.journal.JournalConfig;
import io.ringwal.journal.JournalWriter;
import io.ringwal.segment.PreallocationMode;
import io.ringwal.segment.PretouchMode;

/**
 * Verify's check of the seek index files (docs/FORMAT.md §12): a valid index is counted, a wrong one (its header,
 * its length, an entry that names no frame of the chain or another sequence, an index without its segment) is a
 * warning naming the file, the entry and its offset in the file, and what is wrong, while the journal stays intact;
 * verify changes nothing, not even an orphaned index.
 */
class SeekIndexVerifyTest
{
    /** 256 KiB segments: a stride of 64 KiB, so a full segment's index has 3 entries. */
    private static final int SEGMENT = 256 * 1024;
    /** 1,000-byte payloads: 1,024-byte frames at 64 + 1,024 k, 255 per segment. */
    private static final int PAYLOAD = 1000;
    private static final int FRAME = 1024;
    private static final int PER_SEGMENT = 255;
    private static final int RECORDS = 600;
    /** The first frame at or after 64 KiB: frame 64, at offset 65,600. */
    private static final int FIRST_ENTRY_OFFSET = SegmentHeaderDescriptor.HEADER_LENGTH + 64 * FRAME;

    @TempDir
    Path dir;

    @Test
    void shouldCountEveryIndexCheckedAndWarnAboutNoneWhenTheWriterWroteThem()
    {
        writeJournal();

        final VerifyReport report = JournalVerifier.verify(dir);

        assertThat(report.intact()).as(report.toString()).isTrue();
        assertThat(report.segments()).isEqualTo(3);
        // both finished segments, and the last one at the clean close
        assertThat(report.seekIndexesChecked()).isEqualTo(3);
        assertThat(report.seekIndexWarnings()).isEmpty();
        assertThat(SeekIndexDescriptor.entryCount(new UnsafeBuffer(read(index(0))))).isEqualTo(3);
        assertThat(report.toString()).contains("seekIndexesChecked=3");
    }

    @Test
    void shouldWarnAboutAFlippedByteInTheIndexHeader() throws IOException
    {
        writeJournal();
        final byte[] bytes = read(index(0));
        bytes[SeekIndexDescriptor.BASE_SEQUENCE_OFFSET] ^= 0x41;
        Files.write(index(0), bytes);
        final byte[] magic = read(index(PER_SEGMENT));
        magic[SeekIndexDescriptor.MAGIC_OFFSET + 2] ^= 0x41;
        Files.write(index(PER_SEGMENT), magic);

        final VerifyReport report = intactWithWarnings(2);

        final VerifyReport.SeekIndexWarning crc = report.seekIndexWarnings().get(0);
        assertThat(crc.file()).isEqualTo(index(0));
        assertThat(crc.entry()).isEqualTo(-1);
        assertThat(crc.indexOffset()).isEqualTo(-1);
        assertThat(crc.what()).startsWith("not a valid index of " + SegmentFileNames.segmentFileName(0) +
            ", readers ignore it: CRC mismatch");
        assertThat(report.seekIndexWarnings().get(1).toString()).startsWith(index(PER_SEGMENT) + ": not a valid " +
            "index of " + SegmentFileNames.segmentFileName(PER_SEGMENT) + ", readers ignore it: bad magic");
    }

    @Test
    void shouldWarnAboutATruncatedIndex() throws IOException
    {
        writeJournal();
        Files.write(index(0), Arrays.copyOf(read(index(0)), SeekIndexDescriptor.fileLength(2) - 5));
        Files.write(index(PER_SEGMENT), Arrays.copyOf(read(index(PER_SEGMENT)), 10));

        final VerifyReport report = intactWithWarnings(2);

        assertThat(report.seekIndexWarnings().get(0).toString()).isEqualTo(index(0) + ": not a valid index of " +
            SegmentFileNames.segmentFileName(0) + ", readers ignore it: entry count 3 does not match the file " +
            "length 91");
        assertThat(report.seekIndexWarnings().get(1).what()).endsWith("file is 10 bytes, shorter than the 64-byte " +
            "header");
    }

    @Test
    void shouldWarnAboutAnEntryThatNamesAnOffsetWhereNoFrameStarts() throws IOException
    {
        writeJournal();
        final int entry1 = SeekIndexDescriptor.entryOffset(1);
        final int frame = SegmentHeaderDescriptor.HEADER_LENGTH + 128 * FRAME;
        rewrite(index(0), file -> file.putInt(entry1 + SeekIndexDescriptor.ENTRY_FRAME_OFFSET_OFFSET, frame + 512));

        final VerifyReport report = intactWithWarnings(1);

        final VerifyReport.SeekIndexWarning warning = report.seekIndexWarnings().get(0);
        assertThat(warning.entry()).isEqualTo(1);
        assertThat(warning.indexOffset()).isEqualTo(80);
        assertThat(warning.toString()).isEqualTo(index(0) + ": entry 1 at index offset 80 names sequence 128 at " +
            "segment offset " + (frame + 512) + ", but no frame starts there (it falls inside the frame of sequence " +
            "128 at offset " + frame + ")");
    }

    @Test
    void shouldWarnAboutAnEntryThatNamesAFrameWithAnotherSequence() throws IOException
    {
        writeJournal();
        final int entry2 = SeekIndexDescriptor.entryOffset(2);
        rewrite(index(PER_SEGMENT), file -> file.putLong(entry2 + SeekIndexDescriptor.ENTRY_SEQUENCE_OFFSET,
            PER_SEGMENT + 193));

        final VerifyReport report = intactWithWarnings(1);

        assertThat(report.seekIndexWarnings().get(0).toString()).isEqualTo(index(PER_SEGMENT) + ": entry 2 at " +
            "index offset 96 names sequence 448 at segment offset " + (SegmentHeaderDescriptor.HEADER_LENGTH +
            192 * FRAME) + ", but the frame there has sequence 447");
    }

    @Test
    void shouldWarnAboutEntriesPastTheFramesOutsideTheSegmentOrOutOfOrder() throws IOException
    {
        writeJournal();
        // the last segment holds 90 frames and the close marker: its frames end at 64 + 90 * 1024 + 24
        final int end = SegmentHeaderDescriptor.HEADER_LENGTH + (RECORDS - 2 * PER_SEGMENT) * FRAME + 24;
        rewrite(index(2 * PER_SEGMENT), file -> file.putInt(SeekIndexDescriptor.entryOffset(0) +
            SeekIndexDescriptor.ENTRY_FRAME_OFFSET_OFFSET, 200_000));
        rewrite(index(0), file ->
        {
            file.putInt(SeekIndexDescriptor.entryOffset(0) + SeekIndexDescriptor.ENTRY_FRAME_OFFSET_OFFSET, 12);
            final long sequence1 = file.getLong(SeekIndexDescriptor.entryOffset(1));
            file.putLong(SeekIndexDescriptor.entryOffset(1), file.getLong(SeekIndexDescriptor.entryOffset(2)));
            file.putLong(SeekIndexDescriptor.entryOffset(2), sequence1);
        });

        final VerifyReport report = intactWithWarnings(5);

        assertThat(report.seekIndexWarnings()).extracting(Object::toString).containsExactly(
            index(0) + ": entry 0 at index offset 64 names sequence 64 at segment offset 12, where no frame can " +
                "start (frames start at 8-aligned offsets from 64 to " + (SEGMENT - 24) + ")",
            index(0) + ": entry 2 at index offset 96 names sequence 128 at segment offset 196672, not after entry 1 " +
                "(sequence 192 at offset 131136): entries must ascend, readers search them in order",
            index(0) + ": entry 1 at index offset 80 names sequence 192 at segment offset 131136, but the frame " +
                "there has sequence 128",
            index(0) + ": entry 2 at index offset 96 names sequence 128 at segment offset 196672, but the frame " +
                "there has sequence 192",
            index(2 * PER_SEGMENT) + ": entry 0 at index offset 64 names sequence " + (2 * PER_SEGMENT + 64) +
                " at segment offset 200000, past the segment's last frame (its frames end at offset " + end + ")");
    }

    @Test
    void shouldListFiveWrongEntriesOfAFileAndCountTheRest() throws IOException
    {
        writeJournal();
        final byte[] header = Arrays.copyOf(read(dir.resolve(SegmentFileNames.segmentFileName(0))),
            SegmentHeaderDescriptor.HEADER_LENGTH);
        final long[] sequences = new long[8];
        final int[] offsets = new int[8];
        for (int i = 0; i < 8; i++)
        {
            offsets[i] = SegmentHeaderDescriptor.HEADER_LENGTH + (i + 1) * FRAME;
            sequences[i] = i + 1000;
        }
        final UnsafeBuffer file = new UnsafeBuffer(new byte[SeekIndexDescriptor.fileLength(8)]);
        SeekIndexDescriptor.encode(file, new UnsafeBuffer(header), SeekIndexDescriptor.MIN_STRIDE, sequences,
            offsets, 8);
        Files.write(index(0), file.byteArray());

        final VerifyReport report = intactWithWarnings(6);

        assertThat(report.seekIndexWarnings().subList(0, 5)).extracting(VerifyReport.SeekIndexWarning::entry)
            .containsExactly(0, 1, 2, 3, 4);
        assertThat(report.seekIndexWarnings().get(5).toString()).isEqualTo(index(0) + ": 3 more of its entries " +
            "are wrong (not listed)");
    }

    @Test
    void shouldWarnAboutAnIndexWhoseSegmentIsGoneAndLeaveEveryFileAsItWas() throws IOException
    {
        writeJournal();
        final Path orphan = dir.resolve(SegmentFileNames.segmentFileName(5000).replace(
            SegmentFileNames.SEGMENT_SUFFIX, SegmentFileNames.INDEX_SUFFIX));
        Files.copy(index(0), orphan);
        Files.write(dir.resolve(SegmentFileNames.segmentFileName(0).replace(SegmentFileNames.SEGMENT_SUFFIX,
            SegmentFileNames.INDEX_TEMP_SUFFIX)), new byte[7]);
        final Map<String, String> before = contents();

        final VerifyReport report = intactWithWarnings(1);

        assertThat(report.seekIndexesChecked()).isEqualTo(4);
        assertThat(report.seekIndexWarnings().get(0).toString()).isEqualTo(orphan + ": its segment " +
            SegmentFileNames.segmentFileName(5000) + " does not exist; recovery deletes this file on the next open");
        assertThat(report.otherFiles()).isEmpty();
        assertThat(before).hasSize(8);
        assertThat(contents()).isEqualTo(before);
    }

    @Test
    void shouldCheckNoEntryPastTheDamageOfADamagedJournal() throws IOException
    {
        writeJournal();
        final Path middle = dir.resolve(SegmentFileNames.segmentFileName(PER_SEGMENT));
        final byte[] segment = read(middle);
        // the payload of frame 100 of the middle segment: its CRC no longer matches
        segment[SegmentHeaderDescriptor.HEADER_LENGTH + 100 * FRAME + 40] ^= 0x41;
        Files.write(middle, segment);
        final int entry2 = SeekIndexDescriptor.entryOffset(2);
        // wrong, but past the damage: entry 2 names frame 192, where the frame of sequence 447 starts
        rewrite(index(PER_SEGMENT), file -> file.putLong(entry2, PER_SEGMENT + 193));
        rewrite(index(2 * PER_SEGMENT), file -> file.putLong(SeekIndexDescriptor.entryOffset(0), 1));

        final VerifyReport report = JournalVerifier.verify(dir);

        assertThat(report.intact()).isFalse();
        assertThat(report.damage().file()).isEqualTo(middle);
        // layouts and identities are checked beside every segment with a valid header, entries up to the damage
        assertThat(report.seekIndexesChecked()).isEqualTo(3);
        assertThat(report.seekIndexWarnings()).isEmpty();
    }

    private VerifyReport intactWithWarnings(final int warnings)
    {
        final VerifyReport report = JournalVerifier.verify(dir);
        assertThat(report.intact()).as(report.toString()).isTrue();
        assertThat(report.damage()).isNull();
        assertThat(report.records()).isEqualTo(RECORDS);
        assertThat(report.lastSequence()).isEqualTo(RECORDS - 1);
        assertThat(report.seekIndexWarnings()).as(report.toString()).hasSize(warnings);
        return report;
    }

    private void writeJournal()
    {
        final byte[] payload = new byte[PAYLOAD];
        final JournalConfig config = JournalConfig.builder()
            .segmentSize(SEGMENT)
            .preallocationMode(PreallocationMode.BUFFERED)
            .pretouchMode(PretouchMode.NONE)
            .build();
        try (JournalWriter writer = JournalWriter.open(dir, config))
        {
            for (int i = 0; i < RECORDS; i++)
            {
                Arrays.fill(payload, (byte)(i + 1));
                writer.append(payload, 0, payload.length);
            }
        }
        assertThat(SeekIndexDescriptor.entrySequence(new UnsafeBuffer(read(index(0))), 0)).isEqualTo(64);
        assertThat(SeekIndexDescriptor.entryFrameOffset(new UnsafeBuffer(read(index(0))), 0))
            .isEqualTo(FIRST_ENTRY_OFFSET);
    }

    private Path index(final long base)
    {
        return SegmentFileNames.indexFileOf(dir.resolve(SegmentFileNames.segmentFileName(base)));
    }

    /** Changes an index file's bytes and gives it the CRC the change calls for (docs/FORMAT.md §12). */
    private static void rewrite(final Path indexFile, final Consumer<ByteBuffer> change) throws IOException
    {
        final ByteBuffer file = ByteBuffer.wrap(read(indexFile)).order(ByteOrder.LITTLE_ENDIAN);
        change.accept(file);
        final CRC32C crc = new CRC32C();
        crc.update(file.array(), 0, SeekIndexDescriptor.CRC_OFFSET);
        crc.update(file.array(), SeekIndexDescriptor.HEADER_LENGTH,
            file.capacity() - SeekIndexDescriptor.HEADER_LENGTH);
        file.putInt(SeekIndexDescriptor.CRC_OFFSET, (int)crc.getValue());
        Files.write(indexFile, file.array());
    }

    private static byte[] read(final Path file)
    {
        try
        {
            return Files.readAllBytes(file);
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    /** File name to the file's length and CRC32C. */
    private Map<String, String> contents() throws IOException
    {
        final Map<String, String> result = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir))
        {
            for (final Path file : files.toList())
            {
                final byte[] bytes = read(file);
                final CRC32C crc = new CRC32C();
                crc.update(bytes);
                result.put(file.getFileName().toString(), bytes.length + " bytes, CRC32C " + crc.getValue());
            }
        }
        return result;
    }
}
