package io.ringwal.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.format.FrameDescriptor;
import io.ringwal.format.GoldenJournal;
import io.ringwal.format.SegmentFileNames;
import io.ringwal.format.SegmentHeaderDescriptor;
import io.ringwal.journal.JournalConfig;
import io.ringwal.journal.JournalException;
import io.ringwal.journal.JournalWriter;
import io.ringwal.journal.WriteMode;
import io.ringwal.segment.PreallocationMode;
import io.ringwal.segment.PretouchMode;

class JournalVerifierTest
{
    /** 1,000-byte payloads: 1,024-byte frames, 63 per 64 KiB segment, then a 960-byte padding frame. */
    private static final int PAYLOAD = 1000;
    private static final int FRAME = 1024;
    private static final int PER_SEGMENT = 63;
    private static final int RECORDS = 150;

    @TempDir
    Path dir;

    @Test
    void shouldReportIntactJournalWrittenByWriter()
    {
        writeJournal(RECORDS);

        final VerifyReport report = JournalVerifier.verify(dir);

        assertThat(report.intact()).as(report.toString()).isTrue();
        assertThat(report.damage()).isNull();
        assertThat(report.tornTail()).isNull();
        assertThat(report.segments()).isEqualTo(3);
        assertThat(report.segmentFiles()).extracting(p -> p.getFileName().toString()).containsExactly(
            SegmentFileNames.segmentFileName(0), SegmentFileNames.segmentFileName(PER_SEGMENT),
            SegmentFileNames.segmentFileName(2 * PER_SEGMENT));
        assertThat(report.records()).isEqualTo(RECORDS);
        assertThat(report.firstSequence()).isZero();
        assertThat(report.lastSequence()).isEqualTo(RECORDS - 1);
        assertThat(report.journalId()).isEqualTo(0xABCDL);
        assertThat(report.segmentBytes()).isEqualTo(3L * SegmentHeaderDescriptor.MIN_SEGMENT_SIZE);
        // the frames, and the close marker the writer left after them
        assertThat(report.frameBytes()).isEqualTo((long)RECORDS * FRAME + FrameDescriptor.HEADER_LENGTH);
        assertThat(report.closedCleanly()).isTrue();
        assertThat(report.tempFiles()).isEmpty();
        assertThat(report.otherFiles()).isEmpty();
    }

    @Test
    void shouldReportGoldenJournalIntact()
    {
        final VerifyReport report = JournalVerifier.verify(GoldenJournal.committedDirectory());

        assertThat(report.intact()).as(report.toString()).isTrue();
        assertThat(report.tornTail()).isNull();
        assertThat(report.segments()).isEqualTo(4);
        assertThat(report.records()).isEqualTo(GoldenJournal.lengths().size());
        assertThat(report.lastSequence()).isEqualTo(GoldenJournal.lengths().size() - 1);
        assertThat(report.journalId()).isEqualTo(GoldenJournal.JOURNAL_ID);
        long frameBytes = 0;
        for (final int length : GoldenJournal.lengths())
        {
            frameBytes += FrameDescriptor.alignedLength(FrameDescriptor.frameLength(length));
        }
        // two close markers and an open marker between them
        assertThat(report.frameBytes()).isEqualTo(frameBytes + 3 * FrameDescriptor.HEADER_LENGTH);
        assertThat(report.closedCleanly()).isTrue();
    }

    @Test
    void shouldReportEmptyDirectoryAsNoSegmentsAndFailOnMissingDirectory()
    {
        final VerifyReport report = JournalVerifier.verify(dir);
        assertThat(report.segments()).isZero();
        assertThat(report.records()).isZero();
        assertThat(report.firstSequence()).isEqualTo(-1);
        assertThat(report.lastSequence()).isEqualTo(-1);
        assertThat(report.intact()).isTrue();

        assertThatThrownBy(() -> JournalVerifier.verify(dir.resolve("absent")))
            .isInstanceOf(JournalException.class).hasMessageContaining("does not exist");
    }

    @Test
    void shouldReportTornTailWhenLastFrameIsCorruptAndAgreeWithRecovery() throws IOException
    {
        writeJournal(RECORDS);
        final Path last = segment(2 * PER_SEGMENT);
        final int lastFrame = SegmentHeaderDescriptor.HEADER_LENGTH + (RECORDS - 1 - 2 * PER_SEGMENT) * FRAME;
        flipByte(last, lastFrame + FrameDescriptor.HEADER_LENGTH + 500);

        final VerifyReport report = JournalVerifier.verify(dir);

        assertThat(report.intact()).as(report.toString()).isTrue();
        assertThat(report.damage()).isNull();
        assertThat(report.tornTail()).isNotNull();
        assertThat(report.tornTail().file()).isEqualTo(last);
        assertThat(report.tornTail().offset()).isEqualTo(lastFrame);
        // the damaged frame, then the close marker after it up to its last non-zero byte (the type field)
        assertThat(report.tornTail().bytes()).isEqualTo(FRAME + FrameDescriptor.TYPE_OFFSET + 1);
        assertThat(report.closedCleanly()).isFalse();
        assertThat(report.tornTail().what()).contains("CRC mismatch");
        assertThat(report.lastSequence()).isEqualTo(RECORDS - 2);
        assertThat(report.records()).isEqualTo(RECORDS - 1);

        try (JournalWriter writer = JournalWriter.open(dir, config()))
        {
            assertThat(writer.recoveryReport().tornOffset()).isEqualTo(report.tornTail().offset());
            assertThat(writer.recoveryReport().tornBytes()).isEqualTo(report.tornTail().bytes());
            assertThat(writer.recoveryReport().lastSequence()).isEqualTo(report.lastSequence());
        }
    }

    @Test
    void shouldReportTornTailWhenNonZeroBytesFollowAZeroLength() throws IOException
    {
        writeJournal(10);
        final Path last = segment(0);
        final int end = SegmentHeaderDescriptor.HEADER_LENGTH + 10 * FRAME;
        writeBytes(last, end + 100, new byte[] {1, 2, 3});

        // after a close marker such bytes are what a recycled segment holds: not a tail
        final VerifyReport clean = JournalVerifier.verify(dir);
        assertThat(clean.closedCleanly()).isTrue();
        assertThat(clean.tornTail()).isNull();

        // without it (a writer that crashed), they are a torn tail
        writeBytes(last, end, new byte[FrameDescriptor.HEADER_LENGTH]);
        final VerifyReport report = JournalVerifier.verify(dir);

        assertThat(report.intact()).isTrue();
        assertThat(report.tornTail().offset()).isEqualTo(end);
        assertThat(report.tornTail().bytes()).isEqualTo(103);
        assertThat(report.lastSequence()).isEqualTo(9);
    }

    @Test
    void shouldReportFirstDamageWhenFrameInOlderSegmentIsCorrupt() throws IOException
    {
        writeJournal(RECORDS);
        final Path first = segment(0);
        final int frame = SegmentHeaderDescriptor.HEADER_LENGTH + 20 * FRAME;
        flipByte(first, frame + FrameDescriptor.HEADER_LENGTH + 3);
        flipByte(segment(PER_SEGMENT), SegmentHeaderDescriptor.HEADER_LENGTH + 5 * FRAME + 30);

        final VerifyReport report = JournalVerifier.verify(dir);

        assertThat(report.intact()).isFalse();
        assertThat(report.damage().file()).isEqualTo(first);
        assertThat(report.damage().offset()).isEqualTo(frame);
        assertThat(report.damage().what()).contains("CRC mismatch in frame of sequence 20");
        assertThat(report.records()).isEqualTo(20);
        assertThat(report.lastSequence()).isEqualTo(19);
        assertThat(report.tornTail()).isNull();
    }

    @Test
    void shouldReportDamagedHeaderOfMiddleSegment() throws IOException
    {
        writeJournal(RECORDS);
        final Path middle = segment(PER_SEGMENT);
        flipByte(middle, SegmentHeaderDescriptor.CREATED_OFFSET);

        final VerifyReport report = JournalVerifier.verify(dir);

        assertThat(report.intact()).isFalse();
        assertThat(report.damage().file()).isEqualTo(middle);
        assertThat(report.damage().offset()).isZero();
        assertThat(report.damage().what()).contains("bad segment header").contains("header CRC mismatch");
        assertThat(report.lastSequence()).isEqualTo(PER_SEGMENT - 1);
    }

    @Test
    void shouldReportMissingSegment() throws IOException
    {
        writeJournal(4 * PER_SEGMENT);
        Files.delete(segment(PER_SEGMENT));

        final VerifyReport report = JournalVerifier.verify(dir);

        assertThat(report.intact()).isFalse();
        assertThat(report.damage().file()).isEqualTo(segment(2 * PER_SEGMENT));
        assertThat(report.damage().offset()).isEqualTo(SegmentHeaderDescriptor.PREVIOUS_BASE_SEQUENCE_OFFSET);
        assertThat(report.damage().what()).contains("a segment is missing");
    }

    @Test
    void shouldReportOlderSegmentThatEndsWithoutPadding() throws IOException
    {
        writeJournal(RECORDS);
        final int padding = SegmentHeaderDescriptor.HEADER_LENGTH + PER_SEGMENT * FRAME;
        writeBytes(segment(0), padding, new byte[FrameDescriptor.HEADER_LENGTH]);

        final VerifyReport report = JournalVerifier.verify(dir);

        assertThat(report.intact()).isFalse();
        assertThat(report.damage().file()).isEqualTo(segment(0));
        assertThat(report.damage().offset()).isEqualTo(padding);
        assertThat(report.damage().what()).contains("without a padding frame");
    }

    @Test
    void shouldReportSegmentOfAnotherJournal() throws IOException
    {
        writeJournal(RECORDS);
        final Path last = segment(2 * PER_SEGMENT);
        final ByteBuffer header = ByteBuffer.allocate(SegmentHeaderDescriptor.HEADER_LENGTH);
        try (FileChannel channel = FileChannel.open(last, StandardOpenOption.READ))
        {
            channel.read(header, 0);
        }
        final UnsafeBuffer rewritten = new UnsafeBuffer(header.array());
        SegmentHeaderDescriptor.write(rewritten, SegmentHeaderDescriptor.segmentSize(rewritten),
            SegmentHeaderDescriptor.baseSequence(rewritten), SegmentHeaderDescriptor.previousBaseSequence(rewritten),
            0x777L, SegmentHeaderDescriptor.createdEpochMillis(rewritten));
        writeBytes(last, 0, header.array());

        final VerifyReport report = JournalVerifier.verify(dir);

        assertThat(report.intact()).isFalse();
        assertThat(report.damage().offset()).isEqualTo(SegmentHeaderDescriptor.JOURNAL_ID_OFFSET);
        assertThat(report.damage().what()).contains("another journal");
    }

    @Test
    void shouldReportSegmentNameOutOfRangeAsDamage() throws IOException
    {
        try (JournalWriter writer = JournalWriter.open(dir, config()))
        {
            final byte[] payload = new byte[JournalConfig.maxPayloadFor(SegmentHeaderDescriptor.MIN_SEGMENT_SIZE)];
            writer.append(payload, 0, payload.length);
        }
        assertThat(JournalVerifier.verify(dir).intact()).isTrue();
        Files.write(dir.resolve("99999999999999999999.seg"), new byte[SegmentHeaderDescriptor.MIN_SEGMENT_SIZE]);

        final VerifyReport report = JournalVerifier.verify(dir);

        assertThat(report.intact()).isFalse();
        assertThat(report.damage().file().getFileName().toString()).isEqualTo("99999999999999999999.seg");
        assertThat(report.damage().what()).contains("out of range");
        assertThat(report.records()).isEqualTo(1);
    }

    @Test
    void shouldNotChangeAnyByteNorModificationTime() throws IOException
    {
        writeJournal(RECORDS);
        Files.writeString(dir.resolve("notes.txt"), "not part of the journal");
        Files.write(dir.resolve("prepared-9-1.seg.tmp"), new byte[4096]);
        flipByte(segment(2 * PER_SEGMENT), SegmentHeaderDescriptor.HEADER_LENGTH + 3 * FRAME + 40);
        flipByte(segment(PER_SEGMENT), SegmentHeaderDescriptor.HEADER_LENGTH + 7 * FRAME + 40);
        final FileTime old = FileTime.fromMillis(1_500_000_000_000L);
        try (Stream<Path> files = Files.list(dir))
        {
            for (final Path file : files.collect(Collectors.toList()))
            {
                Files.setLastModifiedTime(file, old);
            }
        }
        Files.setLastModifiedTime(dir, old);
        final Map<String, Snapshot> before = snapshot();

        final VerifyReport report = JournalVerifier.verify(dir);

        assertThat(report.intact()).isFalse();
        assertThat(report.tempFiles()).extracting(p -> p.getFileName().toString())
            .containsExactly("prepared-9-1.seg.tmp");
        assertThat(report.otherFiles()).extracting(p -> p.getFileName().toString()).containsExactly("notes.txt");
        assertThat(snapshot()).isEqualTo(before);
        assertThat(Files.getLastModifiedTime(dir)).isEqualTo(old);
    }

    @ParameterizedTest
    @EnumSource(WriteMode.class)
    void shouldVerifyWhileWriterIsAppending(final WriteMode writeMode)
    {
        try (JournalWriter writer = JournalWriter.open(dir, config(writeMode)))
        {
            final byte[] payload = new byte[PAYLOAD];
            for (int i = 0; i < 100; i++)
            {
                writer.append(payload, 0, payload.length);
            }
            writer.endOfBatch();

            final VerifyReport report = JournalVerifier.verify(dir);

            assertThat(report.intact()).as(report.toString()).isTrue();
            assertThat(report.tornTail()).isNull();
            assertThat(report.records()).isEqualTo(100);
            assertThat(report.lastSequence()).isEqualTo(99);

            writer.append(payload, 0, payload.length);
            // a mapped store is in the file at once, a staged record at the end of its batch
            assertThat(JournalVerifier.verify(dir).lastSequence()).isEqualTo(writeMode == WriteMode.MAPPED ? 100 : 99);
            writer.endOfBatch();
            assertThat(JournalVerifier.verify(dir).lastSequence()).isEqualTo(100);
        }
    }

    private void writeJournal(final int records)
    {
        final byte[] payload = new byte[PAYLOAD];
        try (JournalWriter writer = JournalWriter.open(dir, config()))
        {
            for (int i = 0; i < records; i++)
            {
                Arrays.fill(payload, (byte)(i + 1));
                writer.append(payload, 0, payload.length);
            }
            writer.endOfBatch();
        }
    }

    private static JournalConfig config()
    {
        return config(WriteMode.STAGED);
    }

    private static JournalConfig config(final WriteMode writeMode)
    {
        return JournalConfig.builder()
            .segmentSize(SegmentHeaderDescriptor.MIN_SEGMENT_SIZE)
            .preallocationMode(PreallocationMode.BUFFERED)
            .pretouchMode(PretouchMode.NONE)
            .writeMode(writeMode)
            .newJournalId(0xABCDL)
            .build();
    }

    private Path segment(final long base)
    {
        return dir.resolve(SegmentFileNames.segmentFileName(base));
    }

    private static void flipByte(final Path file, final long offset) throws IOException
    {
        final ByteBuffer one = ByteBuffer.allocate(1);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            channel.read(one, offset);
            one.put(0, (byte)(one.get(0) ^ 0x41)).clear();
            channel.write(one, offset);
        }
    }

    private static void writeBytes(final Path file, final long offset, final byte[] bytes) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.write(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN), offset);
        }
    }

    private Map<String, Snapshot> snapshot() throws IOException
    {
        final Map<String, Snapshot> result = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir))
        {
            for (final Path file : files.collect(Collectors.toList()))
            {
                result.put(file.getFileName().toString(),
                    new Snapshot(Files.readAllBytes(file), Files.getLastModifiedTime(file)));
            }
        }
        return result;
    }

    private static final class Snapshot
    {
        final byte[] bytes;
        final FileTime modified;

        Snapshot(final byte[] bytes, final FileTime modified)
        {
            this.bytes = bytes;
            this.modified = modified;
        }

        @Override
        public boolean equals(final Object other)
        {
            return other instanceof Snapshot && Arrays.equals(bytes, ((Snapshot)other).bytes) &&
                modified.equals(((Snapshot)other).modified);
        }

        @Override
        public int hashCode()
        {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString()
        {
            return bytes.length + " bytes, modified " + modified;
        }
    }
}
