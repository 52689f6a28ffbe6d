package io.ringwal.bench.disk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Reads the "sectors written" counter of the block device that holds a directory, from
 * {@code /sys/dev/block/MAJOR:MINOR/stat} (field 7, in 512-byte sectors, whatever the device's sector size).
 * The device is found from the directory's {@code st_dev}. The counter is device-wide: writes by other processes
 * on the same device are counted too.
 */
public final class BlockDeviceStats
{
    private static final int SECTOR = 512;
    private static final int SECTORS_WRITTEN_FIELD = 6;

    private final Path statFile;
    private final String device;

    private BlockDeviceStats(final Path statFile, final String device)
    {
        this.statFile = statFile;
        this.device = device;
    }

    /**
     * Finds the block device of a directory.
     *
     * @param directory the directory.
     * @return the stats reader.
     * @throws IOException if the device or its stat file cannot be found (for example on tmpfs or overlay
     *                     file systems, which have no block device).
     */
    public static BlockDeviceStats of(final Path directory) throws IOException
    {
        final Object attribute;
        try
        {
            attribute = Files.getAttribute(directory, "unix:dev");
        }
        catch (final UnsupportedOperationException | IllegalArgumentException ex)
        {
            throw new IOException("cannot read st_dev of " + directory + ": " + ex.getMessage(), ex);
        }
        final long dev = ((Number)attribute).longValue();
        final long major = ((dev >>> 8) & 0xfffL) | ((dev >>> 32) & ~0xfffL);
        final long minor = (dev & 0xffL) | ((dev >>> 12) & ~0xffL);
        final Path devDir = Paths.get("/sys/dev/block/" + major + ":" + minor);
        final Path stat = devDir.resolve("stat");
        if (!Files.isReadable(stat))
        {
            throw new IOException("no block device statistics for " + directory + " (st_dev " + major + ":" + minor +
                ", " + stat + " not readable): is it on tmpfs or an overlay file system?");
        }
        String name = major + ":" + minor;
        try
        {
            name = devDir.toRealPath().getFileName().toString() + " (" + major + ":" + minor + ")";
        }
        catch (final IOException ignore)
        {
            // keep the numbers
        }
        return new BlockDeviceStats(stat, name);
    }

    /**
     * Bytes written to the device since boot (sectors written × 512).
     *
     * @return the count.
     * @throws IOException if the stat file cannot be read.
     */
    public long bytesWritten() throws IOException
    {
        final String[] fields = Files.readString(statFile).trim().split("\\s+");
        return Long.parseLong(fields[SECTORS_WRITTEN_FIELD]) * SECTOR;
    }

    /**
     * The device name and number, e.g. {@code vda (254:0)}.
     *
     * @return the description.
     */
    public String device()
    {
        return device;
    }

    /**
     * The stat file read.
     *
     * @return the path.
     */
    public Path statFile()
    {
        return statFile;
    }
}
