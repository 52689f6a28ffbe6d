package io.ringwal.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.format.SegmentFileNames;
import io.ringwal.format.SegmentHeaderDescriptor;
import io.ringwal.testing.JournalFiles;

/**
 * Damage anywhere other than the tail of the last segment is not a torn tail: a STRICT open fails with
 * {@link JournalCorruptedException} naming the file and byte offset and changes nothing; an open with
 * {@link RecoveryMode#TRUNCATE_AT_DAMAGE} truncates the journal there, reports the damage and the dropped segments,
 * and keeps every record before the damage intact.
 */
class JournalDamageTest
{
    private static final int SEGMENT = 64 * 1024;
    private static final int RECORD = 1000;
    private static final int PER_SEGMENT = 63; // 63 frames of 1024 bytes, then a 960-byte padding frame
    private static final int RECORDS = 3 * PER_SEGMENT + 12; // segments 0, 63, 126 full, 189 partly
    private static final int PADDING_OFFSET = SegmentHeaderDescriptor.HEADER_LENGTH + PER_SEGMENT * 1024;

    @TempDir
    Path tmp;

    private static JournalConfig config(final RecoveryMode mode, final long journalId)
    {
        return JournalConfig.builder().segmentSize(SEGMENT).recoveryMode(mode).newJournalId(journalId).build();
    }

    private static Path segment(final Path dir, final long base)
    {
        return dir.resolve(SegmentFileNames.segmentFileName(base));
    }

    private static int frameOffset(final int indexInSegment)
    {
        return SegmentHeaderDescriptor.HEADER_LENGTH + indexInSegment * 1024;
    }

    private Path journal(final String name, final long journalId)
    {
        final Path dir = tmp.resolve(name);
        try (JournalWriter writer = JournalWriter.open(dir, config(RecoveryMode.STRICT, journalId)))
        {
            for (int i = 0; i < RECORDS; i++)
            {
                writer.append(JournalFiles.payload(i, RECORD), 0, RECORD);
            }
            writer.endOfBatch();
        }
        assertThat(JournalFiles.segments(dir)).containsExactly(segment(dir, 0), segment(dir, 63), segment(dir, 126),
            segment(dir, 189));
        return dir;
    }

    private static void flip(final Path file, final int offset)
    {
        final byte[] bytes = JournalFiles.read(file);
        bytes[offset] ^= 0x10;
        JournalFiles.write(file, bytes);
    }

    private static List<byte[]> snapshot(final Path dir)
    {
        final List<byte[]> files = new ArrayList<>();
        for (final Path segment : JournalFiles.segments(dir))
        {
            files.add(JournalFiles.read(segment));
        }
        return files;
    }

    /**
     * Damages a journal, checks that STRICT refuses it naming file and offset without touching it, then that
     * TRUNCATE_AT_DAMAGE cuts it at the damage.
     */
    private void check(
        final Consumer<Path> damage,
        final long damagedBase,
        final long offset,
        final String problem,
        final long expectedLast,
        final long[] expectedDropped)
    {
        final Path dir = journal("journal", 0x1111L);
        damage.accept(dir);
        final List<Path> before = JournalFiles.segments(dir);
        final List<byte[]> bytesBefore = snapshot(dir);

        assertThatThrownBy(() -> JournalWriter.open(dir, config(RecoveryMode.STRICT, 0)))
            .isInstanceOfSatisfying(JournalCorruptedException.class, ex ->
            {
                assertThat(ex.file()).isEqualTo(segment(dir, damagedBase));
                assertThat(ex.offset()).isEqualTo(offset);
            })
            .hasMessageContaining(segment(dir, damagedBase) + " offset " + offset)
            .hasMessageContaining(problem)
            .hasMessageContaining("TRUNCATE_AT_DAMAGE");
        assertThat(JournalFiles.segments(dir)).isEqualTo(before);
        final List<byte[]> bytesAfter = snapshot(dir);
        for (int i = 0; i < bytesBefore.size(); i++)
        {
            assertThat(bytesAfter.get(i)).as("STRICT open must not change %s", before.get(i))
                .isEqualTo(bytesBefore.get(i));
        }

        try (JournalWriter writer = JournalWriter.open(dir, config(RecoveryMode.TRUNCATE_AT_DAMAGE, 0)))
        {
            final RecoveryReport report = writer.recoveryReport();
            assertThat(report.repairedDamage()).as("%s", report)
                .contains(segment(dir, damagedBase) + " offset " + offset).contains(problem);
            final List<Path> dropped = new ArrayList<>();
            for (final long base : expectedDropped)
            {
                dropped.add(segment(dir, base));
            }
            assertThat(report.droppedSegments()).containsExactlyInAnyOrderElementsOf(dropped);
            assertThat(report.lastSequence()).isEqualTo(expectedLast);
            assertThat(writer.nextSequence()).isEqualTo(expectedLast + 1);
            assertThat(writer.append(JournalFiles.payload(expectedLast + 1, RECORD), 0, RECORD))
                .isEqualTo(expectedLast + 1);
        }
        final List<byte[]> records = JournalFiles.readAll(dir);
        assertThat(records).hasSize((int)expectedLast + 2);
        for (int i = 0; i < records.size(); i++)
        {
            assertThat(records.get(i)).as("record %d", i).isEqualTo(JournalFiles.payload(i, RECORD));
        }
        // repaired for good: a STRICT open is happy now
        try (JournalWriter writer = JournalWriter.open(dir, config(RecoveryMode.STRICT, 0)))
        {
            assertThat(writer.recoveryReport().lastSequence()).isEqualTo(expectedLast + 1);
            assertThat(writer.recoveryReport().repairedDamage()).isNull();
        }
    }

    @Test
    void shouldFailOnABitFlipInAFrameOfANonLastSegment()
    {
        final int frame = 5;
        check(dir -> flip(segment(dir, 63), frameOffset(frame) + 24 + 500), 63, frameOffset(frame),
            "CRC mismatch in frame of sequence " + (63 + frame), 63 + frame - 1, new long[] {126, 189});
    }

    @Test
    void shouldFailOnABitFlipInTheLengthOfTheFirstFrameOfANonLastSegment()
    {
        check(dir -> flip(segment(dir, 126), frameOffset(0) + 1), 126, frameOffset(0), "frame",
            125, new long[] {189});
    }

    @Test
    void shouldFailOnADamagedPaddingFrameOfANonLastSegment()
    {
        check(dir -> flip(segment(dir, 0), PADDING_OFFSET + 9), 0, PADDING_OFFSET, "padding frame",
            PER_SEGMENT - 1, new long[] {63, 126, 189});
    }

    @Test
    void shouldFailOnABitFlipInASegmentHeader()
    {
        check(dir -> flip(segment(dir, 126), SegmentHeaderDescriptor.CREATED_OFFSET), 126, 0,
            "bad segment header: header CRC mismatch", 125, new long[] {126, 189});
    }

    @Test
    void shouldFailOnABitFlipInTheLastSegmentsHeader()
    {
        check(dir -> flip(segment(dir, 189), SegmentHeaderDescriptor.MAGIC_OFFSET), 189, 0,
            "bad magic", 188, new long[] {189});
    }

    @Test
    void shouldFailWhenAHeaderBaseDoesNotMatchTheFileName()
    {
        check(dir ->
        {
            final Path file = segment(dir, 63);
            final byte[] bytes = JournalFiles.read(file);
            final UnsafeBuffer header = new UnsafeBuffer(bytes);
            SegmentHeaderDescriptor.write(header, SEGMENT, 64, 0, SegmentHeaderDescriptor.journalId(header),
                SegmentHeaderDescriptor.createdEpochMillis(header));
            assertThat(SegmentHeaderDescriptor.validate(header)).isNull();
            JournalFiles.write(file, bytes);
        }, 63, SegmentHeaderDescriptor.BASE_SEQUENCE_OFFSET, "header base sequence 64 does not match the file name",
            62, new long[] {63, 126, 189});
    }

    @Test
    void shouldFailWhenAMiddleSegmentIsMissing()
    {
        check(dir ->
        {
            try
            {
                Files.delete(segment(dir, 63));
            }
            catch (final IOException ex)
            {
                throw new AssertionError(ex);
            }
        }, 126, SegmentHeaderDescriptor.PREVIOUS_BASE_SEQUENCE_OFFSET, "a segment is missing", 62,
            new long[] {126, 189});
    }

    @Test
    void shouldFailOnASegmentCopiedFromAnotherJournal()
    {
        final Path other = journal("other", 0x2222L);
        check(dir -> JournalFiles.write(segment(dir, 126), JournalFiles.read(segment(other, 126))), 126,
            SegmentHeaderDescriptor.JOURNAL_ID_OFFSET, "another journal", 125, new long[] {126, 189});
    }

    @Test
    void shouldFailWhenANonLastSegmentIsShorterThanItsHeaderSays()
    {
        check(dir ->
        {
            final Path file = segment(dir, 63);
            final byte[] bytes = JournalFiles.read(file);
            JournalFiles.write(file, java.util.Arrays.copyOf(bytes, SEGMENT / 2));
        }, 63, SEGMENT / 2, "header says the segment is " + SEGMENT + " bytes",
            // frame 31 of the segment straddles the cut: the repaired segment is the last one and loses it as a tail
            63 + (SEGMENT / 2 - SegmentHeaderDescriptor.HEADER_LENGTH) / 1024 - 1, new long[] {126, 189});
    }
}
