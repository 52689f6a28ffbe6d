package io.ringwal.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.format.SegmentFileNames;
import io.ringwal.segment.PretouchMode;
import io.ringwal.testing.Mounts;

/**
 * Reserving a journal's space ahead of time ({@link JournalSpace#reserve}): free files that the writer takes
 * instead of allocating, refused while a writer holds the journal, a clear error on a full disk.
 */
class JournalSpaceTest
{
    private static final int SEGMENT_SIZE = 64 * 1024;
    private static final int PAYLOAD = 1000;

    @TempDir
    Path dir;

    @Test
    void shouldCreateTheMissingFreeFilesOnlyOnce()
    {
        assertThat(JournalSpace.reserve(dir, SEGMENT_SIZE, 5)).isEqualTo(5);
        assertThat(JournalSpace.reserve(dir, SEGMENT_SIZE, 5)).isZero();
        assertThat(JournalSpace.reserve(dir, SEGMENT_SIZE, 7)).isEqualTo(2);
        assertThat(JournalSpace.freeSegments(dir, SEGMENT_SIZE)).isEqualTo(7);
        assertThat(JournalSpace.freeSegments(dir, 2 * SEGMENT_SIZE)).isZero();
        assertThat(files("*" + SegmentFileNames.FREE_SUFFIX)).hasSize(7).allSatisfy(file ->
            assertThat(Files.size(file)).isEqualTo(SEGMENT_SIZE));
        assertThat(files("*" + SegmentFileNames.TEMP_SUFFIX)).isEmpty();
        assertThat(files(SegmentFileNames.LOCK_FILE_NAME)).as("the lock file the reservation created").isEmpty();
    }

    @Test
    void shouldFillTheFilesTheWayTheConfiguredWriterWantsThem() throws IOException
    {
        final Path staged = Files.createDirectories(dir.resolve("staged"));
        final Path mapped = Files.createDirectories(dir.resolve("mapped"));

        assertThat(JournalSpace.reserve(staged, JournalConfig.builder().segmentSize(SEGMENT_SIZE)
            .writeMode(WriteMode.STAGED).build(), 2)).isEqualTo(2);
        assertThat(JournalSpace.reserve(mapped, JournalConfig.builder().segmentSize(SEGMENT_SIZE)
            .writeMode(WriteMode.MAPPED).build(), 2)).isEqualTo(2);

        assertThat(JournalSpace.freeSegments(staged, SEGMENT_SIZE)).isEqualTo(2);
        assertThat(JournalSpace.freeSegments(mapped, SEGMENT_SIZE)).isEqualTo(2);
        for (final Path file : freeFiles(staged))
        {
            assertThat(inPageCache(file)).as("buffered zero-fill for staged writes leaves %s cached", file).isTrue();
        }
        if ("tmpfs".equals(Files.getFileStore(mapped).type()))
        {
            return; // no direct I/O there: the fill falls back to buffered writes
        }
        for (final Path file : freeFiles(mapped))
        {
            assertThat(inPageCache(file)).as("direct zero-fill for mapped writes bypasses the cache: %s", file)
                .isFalse();
        }
    }

    private static List<Path> freeFiles(final Path directory) throws IOException
    {
        try (Stream<Path> listing = Files.list(directory))
        {
            return listing.filter(file -> file.getFileName().toString().endsWith(SegmentFileNames.FREE_SUFFIX))
                .toList();
        }
    }

    private static boolean inPageCache(final Path file) throws IOException
    {
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file))
        {
            return channel.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, 0, channel.size()).isLoaded();
        }
    }

    @Test
    void shouldLetTheWriterTakeItsSegmentsFromTheReservationWithoutAllocatingAny()
    {
        JournalSpace.reserve(dir, SEGMENT_SIZE, 8);
        final JournalConfig config = JournalConfig.builder().segmentSize(SEGMENT_SIZE)
            .pretouchMode(PretouchMode.WRITE).build();
        final int records = 3 * (SEGMENT_SIZE / (PAYLOAD + 64)); // about three segments
        final JournalCounters counters;
        try (JournalWriter writer = JournalWriter.open(dir, config))
        {
            final byte[] payload = new byte[PAYLOAD];
            for (int i = 0; i < records; i++)
            {
                payload[0] = (byte)i;
                writer.append(payload, 0, payload.length);
                writer.endOfBatch();
            }
            writer.force();
            counters = writer.counters();
        }
        assertThat(counters.rotations()).isGreaterThanOrEqualTo(3);
        assertThat(counters.segmentsDirect() + counters.segmentsBufferedPages() + counters.segmentsBuffered())
            .as("segments zero-filled while the journal ran").isZero();
        assertThat(counters.segmentsRecycled()).isGreaterThanOrEqualTo(3);
        try (JournalReader reader = JournalReader.open(dir, 0))
        {
            final int[] read = new int[1];
            while (reader.poll((sequence, buffer, offset, length) ->
            {
                assertThat(sequence).isEqualTo(read[0]);
                assertThat(length).isEqualTo(PAYLOAD);
                assertThat(buffer.getByte(offset)).isEqualTo((byte)read[0]);
                read[0]++;
            }, 1000) > 0)
            {
                // read on
            }
            assertThat(read[0]).isEqualTo(records);
        }
    }

    @Test
    void shouldRefuseAJournalThatAWriterHasOpen()
    {
        try (JournalWriter writer = JournalWriter.open(dir, JournalConfig.builder().segmentSize(SEGMENT_SIZE).build()))
        {
            assertThat(writer.nextSequence()).isZero();
            assertThatThrownBy(() -> JournalSpace.reserve(dir, SEGMENT_SIZE, 2))
                .isInstanceOf(JournalLockedException.class);
        }
        assertThat(JournalSpace.reserve(dir, SEGMENT_SIZE, 2)).isEqualTo(2);
    }

    @Test
    void shouldNameTheBadArgument()
    {
        assertThatThrownBy(() -> JournalSpace.reserve(dir, 1000, 1))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("segmentSize=1000");
        assertThatThrownBy(() -> JournalSpace.reserve(dir, SEGMENT_SIZE, -1))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("segments=-1");
    }

    @Test
    void shouldSayHowFarItGotWhenTheDiskIsFull() throws IOException
    {
        Mounts.requireRoot("disk-full reservation (loop-mounted ext4)");
        final Path image = dir.resolve("disk.img");
        final Path mount = Files.createDirectories(dir.resolve("mnt"));
        Mounts.mountExt4(image, 8L * 1024 * 1024, mount);
        try
        {
            final Path journal = mount.resolve("journal");
            final int segmentSize = 1024 * 1024;
            assertThatThrownBy(() -> JournalSpace.reserve(journal, segmentSize, 20))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("cannot reserve a 1048576-byte segment in " + journal)
                .hasMessageContaining("created")
                .hasMessageContaining("No space left on device");
            final int present = JournalSpace.freeSegments(journal, segmentSize);
            assertThat(present).as("whole free files left by the failed reservation").isBetween(1, 7);
            try (Stream<Path> left = Files.list(journal))
            {
                assertThat(left.map(path -> path.getFileName().toString()))
                    .allMatch(name -> SegmentFileNames.isFreeFileName(name), "only whole free files are left");
            }
            assertThat(JournalSpace.reserve(journal, segmentSize, present)).isZero();
        }
        finally
        {
            assertThat(Mounts.unmount(mount)).isTrue();
        }
    }

    private List<Path> files(final String glob)
    {
        try (Stream<Path> all = Files.list(dir))
        {
            final java.nio.file.PathMatcher matcher = dir.getFileSystem().getPathMatcher("glob:" + glob);
            return all.filter(path -> matcher.matches(path.getFileName())).toList();
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }
}
