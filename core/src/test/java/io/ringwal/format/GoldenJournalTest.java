package io.ringwal.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.journal.JournalReader;

/**
 * The golden-file test of format version 2, and the reading half of version 1's. Writes {@link GoldenJournal}
 * afresh and compares every segment file byte for byte with the committed copy under
 * {@code src/test/resources/golden/v2}, reads the committed copies of both versions back with
 * {@link JournalReader}, and parses them once more with an independent reader written from docs/FORMAT.md alone
 * (plain {@link ByteBuffer} and {@link CRC32C}). This build writes only version 2, so the version-1 files are
 * only read, and continued by a version-2 writer.
 *
 * <p>To regenerate the golden files deliberately (a format change, which needs a new format version):
 * {@code mvn -pl core -am test -Dtest=GoldenJournalTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dringwal.golden.regenerate=true}. The test then writes the files into the source tree and fails, saying so.
 */
class GoldenJournalTest
{
    /** The system property that makes this test rewrite the committed golden files. */
    static final String REGENERATE_PROPERTY = "ringwal.golden.regenerate";

    @TempDir
    Path tempDir;

    @Test
    void shouldWriteSegmentsByteForByteIdenticalToGoldenFiles() throws IOException
    {
        final Path fresh = tempDir.resolve("journal");
        GoldenJournal.write(fresh);

        if (Boolean.getBoolean(REGENERATE_PROPERTY))
        {
            final Path target = sourceGoldenDirectory();
            regenerate(fresh, target);
            fail("golden files were REGENERATED into " + target + " (" + REGENERATE_PROPERTY + "=true); " +
                "review and commit them, then run again without the property");
        }

        final Path golden = GoldenJournal.committedDirectory();
        final List<String> expectedNames = segmentNames(golden);
        assertThat(segmentNames(fresh)).as("segment files written vs committed in " + golden)
            .isEqualTo(expectedNames);
        assertThat(expectedNames).hasSize(4);
        for (final String name : expectedNames)
        {
            assertSameBytes(golden.resolve(name), fresh.resolve(name));
        }
    }

    @Test
    void shouldReadGoldenJournalBackWithJournalReader()
    {
        readBack(GoldenJournal.committedDirectory(), GoldenJournal.lengths().size());
    }

    @Test
    void shouldReadVersionOneGoldenJournalBackWithJournalReader()
    {
        readBack(GoldenJournal.committedV1Directory(), GoldenJournal.V1_RECORDS);
    }

    @Test
    void shouldContinueAVersionOneJournalInANewVersionTwoSegment() throws IOException
    {
        final Path dir = tempDir.resolve("continued");
        Files.createDirectories(dir);
        for (final String name : segmentNames(GoldenJournal.committedV1Directory()))
        {
            Files.copy(GoldenJournal.committedV1Directory().resolve(name), dir.resolve(name));
        }
        try (io.ringwal.journal.JournalWriter writer =
            io.ringwal.journal.JournalWriter.open(dir, GoldenJournal.config()))
        {
            assertThat(writer.activeSegmentBase()).as("a version-2 writer never appends to a version-1 segment")
                .isEqualTo(GoldenJournal.V1_RECORDS);
            for (int s = GoldenJournal.V1_RECORDS; s < GoldenJournal.lengths().size(); s++)
            {
                final byte[] payload = GoldenJournal.payload(s);
                assertThat(writer.append(payload, 0, payload.length)).isEqualTo(s);
            }
        }
        final List<String> names = segmentNames(dir);
        assertThat(names).hasSize(5);
        final ByteBuffer oldLast = ByteBuffer.wrap(Files.readAllBytes(dir.resolve(names.get(3))))
            .order(ByteOrder.LITTLE_ENDIAN);
        assertThat(oldLast.getInt(8)).isEqualTo(1);
        assertThat(oldLast.getShort(activeEnd() + 16)).as("the version-1 segment is closed by a padding frame")
            .isEqualTo(FrameDescriptor.TYPE_PADDING);
        final ByteBuffer added = ByteBuffer.wrap(Files.readAllBytes(dir.resolve(names.get(4))))
            .order(ByteOrder.LITTLE_ENDIAN);
        assertThat(added.getInt(8)).isEqualTo(2);
        readBack(dir, GoldenJournal.lengths().size());
    }

    private static void readBack(final Path directory, final int count)
    {
        final List<Long> sequences = new ArrayList<>();
        final List<byte[]> payloads = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(directory, 0))
        {
            while (reader.poll((sequence, buffer, offset, length) ->
            {
                sequences.add(sequence);
                final byte[] payload = new byte[length];
                buffer.getBytes(offset, payload);
                payloads.add(payload);
            }, 7) > 0)
            {
                // drain
            }
            assertThat(reader.atCleanEnd()).as("closed cleanly: the reader stands after a close marker")
                .isEqualTo(count == GoldenJournal.lengths().size());
        }
        assertRecords(sequences, payloads, count);
    }

    @Test
    void shouldParseGoldenJournalWithIndependentReaderFollowingFormatDoc() throws IOException
    {
        final int closeAt = activeEnd();
        final int closeAgainAt = closeAt + 48 + 40 + 32;
        parseIndependently(GoldenJournal.committedDirectory(), 2, GoldenJournal.lengths().size(),
            "close marker at " + closeAt + ", open marker at " + (closeAt + 24) + ", close marker at " +
            closeAgainAt + ", zero length at " + (closeAgainAt + 24));
    }

    @Test
    void shouldParseVersionOneGoldenJournalWithIndependentReaderFollowingFormatDoc() throws IOException
    {
        parseIndependently(GoldenJournal.committedV1Directory(), 1, GoldenJournal.V1_RECORDS,
            "zero length at " + activeEnd());
    }

    private static void parseIndependently(final Path golden, final int version, final int count,
        final String lastEnding) throws IOException
    {
        final List<String> names = segmentNames(golden);
        final List<Long> sequences = new ArrayList<>();
        final List<byte[]> payloads = new ArrayList<>();
        long expected = 0;
        long previousBase = -1;
        final List<String> endings = new ArrayList<>();
        for (final String name : names)
        {
            final ByteBuffer segment = ByteBuffer.wrap(Files.readAllBytes(golden.resolve(name)))
                .order(ByteOrder.LITTLE_ENDIAN);
            final long base = Long.parseLong(name.substring(0, 20));
            assertThat(segment.getLong(0)).isEqualTo(0x314C4157474E4952L);
            assertThat(segment.getInt(8)).isEqualTo(version);
            assertThat(segment.getInt(12)).isEqualTo(64);
            assertThat(segment.getLong(16)).isEqualTo(segment.capacity()).isEqualTo(GoldenJournal.SEGMENT_SIZE);
            assertThat(segment.getLong(24)).isEqualTo(base).isEqualTo(expected);
            assertThat(segment.getLong(32)).isEqualTo(previousBase);
            assertThat(segment.getLong(40)).isEqualTo(GoldenJournal.JOURNAL_ID);
            assertThat(segment.getLong(48)).isEqualTo(GoldenJournal.CREATED_EPOCH_MILLIS);
            assertThat(segment.getInt(56)).isZero();
            assertThat(segment.getInt(60)).isEqualTo(crc32c(segment, 0, 60, -1));

            int offset = 64;
            String ending;
            final StringBuilder markers = new StringBuilder();
            while (true)
            {
                final int remaining = segment.capacity() - offset;
                if (remaining < 24)
                {
                    ending = "ends with " + remaining + " bytes left";
                    break;
                }
                final int length = segment.getInt(offset);
                if (length == 0)
                {
                    ending = markers + "zero length at " + offset;
                    break;
                }
                assertThat(length).isBetween(24, remaining);
                final int type = segment.getShort(offset + 16);
                assertThat(segment.getLong(offset + 8)).as("sequence at %s offset %d", name, offset)
                    .isEqualTo(expected);
                assertThat(segment.getShort(offset + 18)).as("flags").isZero();
                assertThat(segment.getInt(offset + 20)).as("reserved").isZero();
                final int crcEnd = type == 2 ? 24 : length;
                assertThat(segment.getInt(offset + 4)).as("CRC at %s offset %d", name, offset)
                    .isEqualTo(crc32c(segment, offset + 8, offset + crcEnd, length));
                if (type == 2)
                {
                    assertThat(offset + length).isEqualTo(segment.capacity());
                    ending = "padding of " + length + " at " + offset;
                    break;
                }
                if (version >= 2 && (type == 3 || type == 4))
                {
                    // a close (3) or open (4) marker: header only, the next record's sequence, no sequence used
                    assertThat(length).isEqualTo(24);
                    markers.append(type == 3 ? "close" : "open").append(" marker at ").append(offset).append(", ");
                    offset += 24;
                    continue;
                }
                assertThat(type).isEqualTo(1);
                final byte[] payload = new byte[length - 24];
                segment.get(offset + 24, payload);
                sequences.add(expected);
                payloads.add(payload);
                final int aligned = (length + 7) & ~7;
                for (int i = offset + length; i < offset + aligned; i++)
                {
                    assertThat(segment.get(i)).as("alignment padding byte %d of %s", i, name).isZero();
                }
                expected++;
                offset += aligned;
            }
            for (int i = offset + (ending.startsWith("padding") ? 24 : 0); i < segment.capacity(); i++)
            {
                assertThat(segment.get(i)).as("byte %d after the last frame of %s", i, name).isZero();
            }
            endings.add(ending);
            previousBase = base;
        }

        assertThat(endings).containsExactly(
            "ends with 0 bytes left",
            "padding of " + GoldenJournal.PADDING_LENGTH + " at " + (GoldenJournal.SEGMENT_SIZE -
            GoldenJournal.PADDING_LENGTH),
            "ends with " + GoldenJournal.SHORT_TAIL + " bytes left",
            lastEnding);
        final List<Long> bases = names.stream().map(n -> Long.parseLong(n.substring(0, 20)))
            .collect(Collectors.toList());
        assertThat(bases).containsExactly(GoldenJournal.SEGMENT_BASES[0], GoldenJournal.SEGMENT_BASES[1],
            GoldenJournal.SEGMENT_BASES[2], GoldenJournal.SEGMENT_BASES[3]);
        assertThat(GoldenJournal.SEGMENT_BASES[1]).isEqualTo(GoldenJournal.EXACT_FIT_INDEX + 1);
        assertRecords(sequences, payloads, count);
    }

    private static int activeEnd()
    {
        int offset = SegmentHeaderDescriptor.HEADER_LENGTH;
        final List<Integer> lengths = GoldenJournal.lengths();
        for (int s = (int)GoldenJournal.SEGMENT_BASES[3]; s < GoldenJournal.V1_RECORDS; s++)
        {
            offset += FrameDescriptor.alignedLength(FrameDescriptor.frameLength(lengths.get(s)));
        }
        return offset;
    }

    private static void assertRecords(final List<Long> sequences, final List<byte[]> payloads, final int count)
    {
        assertThat(sequences).hasSize(count);
        for (int s = 0; s < count; s++)
        {
            assertThat(sequences.get(s)).isEqualTo(s);
            assertThat(payloads.get(s)).as("payload of sequence %d", s).isEqualTo(GoldenJournal.payload(s));
        }
        assertThat(GoldenJournal.lengths().subList(0, 5)).containsExactly(0, 1, 7, 8, 100);
    }

    /** CRC32C of the 4 little-endian length bytes (unless {@code length} is -1) then {@code [from, to)}. */
    private static int crc32c(final ByteBuffer bytes, final int from, final int to, final int length)
    {
        final CRC32C crc = new CRC32C();
        if (length != -1)
        {
            crc.update(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, length));
        }
        crc.update(bytes.duplicate().limit(to).position(from));
        return (int)crc.getValue();
    }

    private static void assertSameBytes(final Path expectedFile, final Path actualFile) throws IOException
    {
        final byte[] expected = Files.readAllBytes(expectedFile);
        final byte[] actual = Files.readAllBytes(actualFile);
        final int common = Math.min(expected.length, actual.length);
        for (int i = 0; i < common; i++)
        {
            if (expected[i] != actual[i])
            {
                fail(actualFile.getFileName() + " differs from the golden file at offset " + i + " (0x" +
                    Integer.toHexString(i) + "): golden 0x" + String.format("%02x", expected[i] & 0xFF) +
                    ", written 0x" + String.format("%02x", actual[i] & 0xFF) + " — " + describe(i) +
                    ". If the format changed on purpose, bump the format version and regenerate (docs/FORMAT.md)");
            }
        }
        if (expected.length != actual.length)
        {
            fail(actualFile.getFileName() + " is " + actual.length + " bytes, the golden file " + expected.length);
        }
    }

    private static String describe(final int offset)
    {
        return offset < SegmentHeaderDescriptor.HEADER_LENGTH ? "inside the segment header" : "in the frames area";
    }

    private static List<String> segmentNames(final Path directory) throws IOException
    {
        try (Stream<Path> files = Files.list(directory))
        {
            return files.map(p -> p.getFileName().toString()).filter(SegmentFileNames::isSegmentFileName).sorted()
                .collect(Collectors.toList());
        }
    }

    private static Path sourceGoldenDirectory()
    {
        final Path base = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        return base.resolve("src/test/resources" + GoldenJournal.RESOURCE).toAbsolutePath().normalize();
    }

    private static void regenerate(final Path fresh, final Path target) throws IOException
    {
        Files.createDirectories(target);
        try (Stream<Path> old = Files.list(target))
        {
            for (final Path file : old.collect(Collectors.toList()))
            {
                Files.delete(file);
            }
        }
        for (final String name : segmentNames(fresh))
        {
            Files.copy(fresh.resolve(name), target.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
