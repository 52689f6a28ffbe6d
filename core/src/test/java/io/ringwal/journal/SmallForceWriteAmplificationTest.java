package io.ringwal.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.segment.PretouchMode;
import io.ringwal.testing.Mounts;

/**
 * Under small forces (a force every 10 records), with the defaults and with write pretouch, a force writes back about what
 * it dirtied, also into a recycled segment whose pages were evicted and would otherwise come back as large folios:
 * the bytes the device wrote, counted on a loop-mounted ext4 image, stay within a small multiple of the payload. On
 * a kernel with large folios and without the allocator's page-cache priming, the recycled segment's forces wrote
 * 5.9 times the payload.
 */
class SmallForceWriteAmplificationTest
{
    /** Large enough that the measured appends stay in the first segment: no rotation, no allocation meanwhile. */
    private static final int SEGMENT_SIZE = 16 * 1024 * 1024;
    private static final int PAYLOAD = 1000;
    private static final int RECORDS_PER_BATCH = 10;
    /** Payload + one rewritten partial page per force + the file system's journal, with room to spare. */
    private static final double MAX_DEVICE_BYTES_PER_PAYLOAD_BYTE = 3.0;

    @TempDir
    Path dir;
    private Path mount;
    private Path image;

    @BeforeEach
    void mount()
    {
        Mounts.requireRoot("write amplification on a loop-mounted ext4 image");
        image = dir.resolve("disk.img");
        mount = dir.resolve("mnt");
        try
        {
            Files.createDirectories(mount);
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
        Mounts.mountExt4(image, 256L * 1024 * 1024, mount);
    }

    @AfterEach
    void unmount()
    {
        if (mount != null)
        {
            assertThat(Mounts.unmount(mount)).isTrue();
        }
    }

    @Test
    void shouldWriteBackAboutThePayloadIntoANewSegment()
    {
        final Path journal = mount.resolve("journal");
        final JournalConfig config = config().build();
        try (JournalWriter writer = JournalWriter.open(journal, config))
        {
            appendAndMeasure(writer, SEGMENT_SIZE / 2 / PAYLOAD, "a new segment");
        }
    }

    @Test
    void shouldWriteBackAboutThePayloadIntoRecycledSegmentsWhosePagesWereEvicted()
    {
        final Path journal = mount.resolve("journal");
        final JournalConfig config = config().build();
        JournalSpace.reserve(journal, SEGMENT_SIZE, 4);
        // a remount empties the page cache of the image: the free files come back from the disk
        assertThat(Mounts.unmount(mount)).isTrue();
        Mounts.mountExistingExt4(image, mount);
        try (JournalWriter writer = JournalWriter.open(journal, config))
        {
            appendAndMeasure(writer, SEGMENT_SIZE / 2 / PAYLOAD, "a recycled segment read back from the disk");
            assertThat(writer.counters().segmentsRecycled()).isGreaterThanOrEqualTo(1);
            assertThat(writer.counters().segmentsDirect()).isZero();
        }
    }

    @Test
    void shouldWriteBackAboutThePayloadWithTheDefaultsIntoLargeFolios()
    {
        // the defaults: staged writes, buffered zero-fill, read pretouch; the free files are reserved for this
        // configuration and evicted, so they come back from the disk through read-ahead, as large folios
        final Path journal = mount.resolve("journal");
        final JournalConfig config = JournalConfig.builder().segmentSize(SEGMENT_SIZE)
            .forcePolicy(ForcePolicy.everyBatch()).build();
        JournalSpace.reserve(journal, config, 4);
        assertThat(Mounts.unmount(mount)).isTrue();
        Mounts.mountExistingExt4(image, mount);
        try (JournalWriter writer = JournalWriter.open(journal, config))
        {
            appendAndMeasure(writer, SEGMENT_SIZE / 2 / PAYLOAD, "a recycled segment, staged defaults");
            assertThat(writer.counters().segmentsRecycled()).isGreaterThanOrEqualTo(1);
        }
        try (JournalWriter writer = JournalWriter.open(mount.resolve("fresh"), config))
        {
            appendAndMeasure(writer, SEGMENT_SIZE / 2 / PAYLOAD, "a new buffered segment, staged defaults");
            assertThat(writer.counters().segmentsBuffered()).isGreaterThanOrEqualTo(1);
        }
    }

    private static JournalConfig.Builder config()
    {
        return JournalConfig.builder().segmentSize(SEGMENT_SIZE).forcePolicy(ForcePolicy.everyBatch())
            .pretouchMode(PretouchMode.WRITE);
    }

    private void appendAndMeasure(final JournalWriter writer, final int records, final String what)
    {
        final byte[] payload = new byte[PAYLOAD];
        writer.append(payload, 0, payload.length); // the first segment and the allocator's next ones are ready
        writer.endOfBatch();
        sleepUntilPrepared();
        final long before = deviceBytesWritten();
        for (int i = 1; i < records; i++)
        {
            writer.append(payload, 0, payload.length);
            if (i % RECORDS_PER_BATCH == 0)
            {
                writer.endOfBatch();
            }
        }
        writer.endOfBatch();
        final long written = deviceBytesWritten() - before;
        final long payloadBytes = (long)(records - 1) * PAYLOAD;
        assertThat((double)written / payloadBytes)
            .as(what + ": device bytes %,d for %,d payload bytes in %,d forces", written, payloadBytes,
                writer.counters().forces())
            .isLessThanOrEqualTo(MAX_DEVICE_BYTES_PER_PAYLOAD_BYTE);
    }

    private static void sleepUntilPrepared()
    {
        try
        {
            Thread.sleep(500);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** Sectors written by the loop device behind the mount (field 7 of its stat file), in bytes. */
    private long deviceBytesWritten()
    {
        final Mounts.Result source = Mounts.run(List.of("findmnt", "-n", "-o", "SOURCE", mount.toString()));
        assertThat(source.exitCode).as(source.output).isZero();
        final String device = Path.of(source.output.trim()).getFileName().toString();
        try
        {
            final String[] fields = Files.readString(Path.of("/sys/block", device, "stat")).trim().split("\\s+");
            return Long.parseLong(fields[6]) * 512;
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }
}
