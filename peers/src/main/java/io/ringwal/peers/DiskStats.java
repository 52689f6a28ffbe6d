package io.ringwal.peers;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * Bytes written to the block device that holds a directory, from the kernel's own count: field 7 ("sectors
 * written", in 512-byte units whatever the device's sector size) of {@code /sys/dev/block/MAJOR:MINOR/stat}, for
 * the device number of the directory's file system. The count is the whole device's, so anything else writing
 * to the same device at the same time is counted too.
 */
public final class DiskStats
{
    private final Path statFile;

    private DiskStats(final Path statFile)
    {
        this.statFile = statFile;
    }

    /**
     * The stats of the device holding a directory.
     *
     * @param dir an existing directory.
     * @return the stats, or null if this system does not expose them (not Linux, or a file system without a
     *         block device such as tmpfs or overlay).
     */
    public static DiskStats forPath(final Path dir)
    {
        try
        {
            final long dev = ((Number)Files.getAttribute(dir, "unix:dev")).longValue();
            final long major = ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
            final long minor = (dev & 0xff) | ((dev >>> 12) & ~0xffL);
            final Path stat = Path.of("/sys/dev/block/" + major + ":" + minor + "/stat");
            return Files.isReadable(stat) ? new DiskStats(stat) : null;
        }
        catch (final IOException | UnsupportedOperationException | IllegalArgumentException ex)
        {
            return null;
        }
    }

    /**
     * The device's name and stat file, for the report.
     *
     * @return a description.
     */
    public String describe()
    {
        try
        {
            return statFile.getParent().toRealPath().getFileName() + " (" + statFile + ")";
        }
        catch (final IOException ex)
        {
            return statFile.toString();
        }
    }

    /**
     * Bytes written to the device since it appeared.
     *
     * @return bytes.
     * @throws IOException if the stat file cannot be read.
     */
    public long bytesWritten() throws IOException
    {
        final String[] fields = Files.readString(statFile).trim().split("\\s+");
        if (fields.length < 7)
        {
            throw new IOException(statFile + " has " + fields.length + " fields, expected at least 7");
        }
        return Long.parseLong(fields[6]) * 512;
    }

    /**
     * Forces every regular file under a directory to the device ({@code fsync}), so that what a contender left in
     * the page cache is counted by the next {@link #bytesWritten()}.
     *
     * @param dir the directory.
     * @throws IOException if a file cannot be forced.
     */
    public static void forceAll(final Path dir) throws IOException
    {
        final List<Path> files;
        try (Stream<Path> walk = Files.walk(dir))
        {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (final Path file : files)
        {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
            {
                channel.force(true);
            }
        }
    }
}
