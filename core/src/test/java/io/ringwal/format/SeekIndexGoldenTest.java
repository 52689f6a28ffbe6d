package io.ringwal.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.journal.JournalConfig;
import io.ringwal.journal.JournalWriter;
import io.ringwal.segment.PreallocationMode;
import io.ringwal.segment.PretouchMode;

/**
 * Pins the seek index file layout (docs/FORMAT.md §12, layout version 1) to literal values and to a committed
 * golden file: a deterministic writer (fixed journal id and clock, 256 KiB segments, records of known sizes) must
 * write {@code 00000000000000000000.seg.idx} byte for byte as committed under
 * {@code core/src/test/resources/golden/seek-index-v1}, and a parser written from the document alone (plain
 * {@link ByteBuffer} and {@link CRC32C}) must find in it entries that name frames of the segment with their
 * sequences. Regenerate with {@code -Dringwal.golden.regenerate=true}, as for {@code GoldenJournalTest}.
 */
class SeekIndexGoldenTest
{
    private static final int SEGMENT_SIZE = 256 * 1024;
    private static final String RESOURCE = "/golden/seek-index-v1";
    private static final String INDEX_NAME = "00000000000000000000.seg.idx";

    @TempDir
    Path tempDir;

    @Test
    void shouldPinSeekIndexLayout()
    {
        assertThat(SeekIndexDescriptor.BYTE_ORDER).isEqualTo(ByteOrder.LITTLE_ENDIAN);
        assertThat(SeekIndexDescriptor.MAGIC).isEqualTo(0x31494B4545535752L);
        assertThat(new String(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
            .putLong(SeekIndexDescriptor.MAGIC).array(), StandardCharsets.US_ASCII)).isEqualTo("RWSEEKI1");
        assertThat(SeekIndexDescriptor.VERSION).isEqualTo(1);
        assertThat(SeekIndexDescriptor.MAGIC_OFFSET).isEqualTo(0);
        assertThat(SeekIndexDescriptor.VERSION_OFFSET).isEqualTo(8);
        assertThat(SeekIndexDescriptor.ENTRY_COUNT_OFFSET).isEqualTo(12);
        assertThat(SeekIndexDescriptor.SEGMENT_SIZE_OFFSET).isEqualTo(16);
        assertThat(SeekIndexDescriptor.BASE_SEQUENCE_OFFSET).isEqualTo(24);
        assertThat(SeekIndexDescriptor.JOURNAL_ID_OFFSET).isEqualTo(32);
        assertThat(SeekIndexDescriptor.CREATED_OFFSET).isEqualTo(40);
        assertThat(SeekIndexDescriptor.SEGMENT_HEADER_CRC_OFFSET).isEqualTo(48);
        assertThat(SeekIndexDescriptor.STRIDE_OFFSET).isEqualTo(52);
        assertThat(SeekIndexDescriptor.RESERVED_OFFSET).isEqualTo(56);
        assertThat(SeekIndexDescriptor.CRC_OFFSET).isEqualTo(60);
        assertThat(SeekIndexDescriptor.HEADER_LENGTH).isEqualTo(64);
        assertThat(SeekIndexDescriptor.ENTRY_SEQUENCE_OFFSET).isEqualTo(0);
        assertThat(SeekIndexDescriptor.ENTRY_FRAME_OFFSET_OFFSET).isEqualTo(8);
        assertThat(SeekIndexDescriptor.ENTRY_RESERVED_OFFSET).isEqualTo(12);
        assertThat(SeekIndexDescriptor.ENTRY_LENGTH).isEqualTo(16);
        assertThat(SeekIndexDescriptor.MAX_ENTRIES).isEqualTo(4096);
        assertThat(SeekIndexDescriptor.stride(64 * 1024)).isEqualTo(64 * 1024);
        assertThat(SeekIndexDescriptor.stride(256 * 1024 * 1024)).isEqualTo(64 * 1024);
        assertThat(SeekIndexDescriptor.stride(1024 * 1024 * 1024)).isEqualTo(256 * 1024);
        assertThat(SegmentFileNames.INDEX_SUFFIX).isEqualTo(".seg.idx");
        assertThat(SegmentFileNames.INDEX_TEMP_SUFFIX).isEqualTo(".seg.idx.tmp");
        assertThat(SegmentFileNames.indexFileOf(Path.of("d/00000000000000000042.seg")))
            .isEqualTo(Path.of("d/00000000000000000042.seg.idx"));
        assertThat(SegmentFileNames.isIndexFileName("00000000000000000042.seg.idx")).isTrue();
        assertThat(SegmentFileNames.isIndexFileName("00000000000000000042.seg.idx.tmp")).isTrue();
        assertThat(SegmentFileNames.isIndexFileName("0000000000000000042.seg.idx")).isFalse();
        assertThat(SegmentFileNames.isIndexFileName("00000000000000000042.seg")).isFalse();
    }

    @Test
    void shouldWriteTheIndexOfAFinishedSegmentByteForByteAsTheGoldenFile() throws IOException
    {
        final Path dir = tempDir.resolve("journal");
        write(dir);
        final Path written = dir.resolve(INDEX_NAME);
        if (Boolean.getBoolean(GoldenJournalTest.REGENERATE_PROPERTY))
        {
            final Path base = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
            final Path target = base.resolve("src/test/resources" + RESOURCE).toAbsolutePath().normalize();
            Files.createDirectories(target);
            Files.copy(written, target.resolve(INDEX_NAME), StandardCopyOption.REPLACE_EXISTING);
            fail("golden seek index REGENERATED into " + target + "; review and commit it, then run again");
        }
        final byte[] golden = Files.readAllBytes(GoldenJournal.committedDirectory(RESOURCE).resolve(INDEX_NAME));
        final byte[] actual = Files.readAllBytes(written);
        for (int i = 0; i < Math.min(golden.length, actual.length); i++)
        {
            if (golden[i] != actual[i])
            {
                fail(INDEX_NAME + " differs from the golden file at offset " + i + ": golden 0x" +
                    Integer.toHexString(golden[i] & 0xFF) + ", written 0x" + Integer.toHexString(actual[i] & 0xFF) +
                    ". A layout change needs a new layout version (docs/FORMAT.md §12)");
            }
        }
        assertThat(actual).hasSameSizeAs(golden);
    }

    @Test
    void shouldParseTheGoldenIndexFollowingTheFormatDocAndFindItsFramesInTheSegment() throws IOException
    {
        final byte[] file = Files.readAllBytes(GoldenJournal.committedDirectory(RESOURCE).resolve(INDEX_NAME));
        final ByteBuffer index = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new String(file, 0, 8, StandardCharsets.US_ASCII)).isEqualTo("RWSEEKI1");
        assertThat(index.getInt(8)).isEqualTo(1);
        final int count = index.getInt(12);
        assertThat(file.length).isEqualTo(64 + 16 * count);
        assertThat(count).isEqualTo(SEGMENT_SIZE / (64 * 1024) - 1);
        final CRC32C crc = new CRC32C();
        crc.update(file, 0, 60);
        crc.update(file, 64, file.length - 64);
        assertThat(index.getInt(60)).isEqualTo((int)crc.getValue());
        assertThat(index.getInt(52)).isEqualTo(64 * 1024);

        // the segment the index describes, written again by the same deterministic writer
        final Path dir = tempDir.resolve("journal");
        write(dir);
        final ByteBuffer segment = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("00000000000000000000.seg")))
            .order(ByteOrder.LITTLE_ENDIAN);
        assertThat(index.getLong(16)).isEqualTo(segment.getLong(16));
        assertThat(index.getLong(24)).isEqualTo(segment.getLong(24));
        assertThat(index.getLong(32)).isEqualTo(segment.getLong(40));
        assertThat(index.getLong(40)).isEqualTo(segment.getLong(48));
        assertThat(index.getInt(48)).isEqualTo(segment.getInt(60));
        for (int i = 0; i < count; i++)
        {
            final long sequence = index.getLong(64 + 16 * i);
            final int offset = index.getInt(64 + 16 * i + 8);
            assertThat(index.getInt(64 + 16 * i + 12)).isZero();
            assertThat(offset).as("entry %d", i).isGreaterThanOrEqualTo((i + 1) * 64 * 1024);
            assertThat(segment.getLong(offset + 8)).as("sequence of the frame entry %d names", i).isEqualTo(sequence);
            assertThat(segment.getShort(offset + 16)).isEqualTo(FrameDescriptor.TYPE_DATA);
        }
        // walking the chain of frames from offset 64 passes through every entry
        int offset = SegmentHeaderDescriptor.HEADER_LENGTH;
        long sequence = 0;
        int next = 0;
        while (next < count && offset < SEGMENT_SIZE - FrameDescriptor.HEADER_LENGTH)
        {
            if (offset == index.getInt(64 + 16 * next + 8))
            {
                assertThat(index.getLong(64 + 16 * next)).isEqualTo(sequence);
                next++;
            }
            offset += FrameDescriptor.alignedLength(segment.getInt(offset));
            sequence++;
        }
        assertThat(next).isEqualTo(count);
    }

    /** Records of sizes 0..1,499 in a fixed pattern, until the writer is in its third segment. */
    private static void write(final Path dir)
    {
        final JournalConfig config = JournalConfig.builder()
            .segmentSize(SEGMENT_SIZE)
            .preallocationMode(PreallocationMode.BUFFERED)
            .pretouchMode(PretouchMode.NONE)
            .newJournalId(GoldenJournal.JOURNAL_ID)
            .epochMillisClock(() -> GoldenJournal.CREATED_EPOCH_MILLIS)
            .build();
        try (JournalWriter writer = JournalWriter.open(dir, config))
        {
            long s = 0;
            while (writer.activeSegmentBase() == 0 || s < 400)
            {
                final byte[] payload = new byte[(int)((s * 389) % 1_500)];
                for (int j = 0; j < payload.length; j++)
                {
                    payload[j] = (byte)(s * 31 + j * 7 + 1);
                }
                writer.append(payload, 0, payload.length);
                s++;
            }
        }
    }
}
