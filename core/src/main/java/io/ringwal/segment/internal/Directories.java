package io.ringwal.segment.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Directories: forcing one, so that a file created or renamed in it survives a power loss, and the usable space
 * on its file system.
 */
public final class Directories
{
    private Directories()
    {
    }

    /**
     * Forces a directory's entries to disk ({@code fsync} on the directory).
     *
     * @param directory the directory.
     * @throws IOException if the directory cannot be opened or forced.
     */
    public static void force(final Path directory) throws IOException
    {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ))
        {
            channel.force(true);
        }
    }

    /**
     * Usable bytes on the directory's file system ({@code statvfs} {@code f_bavail}: without the blocks it keeps
     * for root and, on ext4, for its own metadata), or {@link Long#MAX_VALUE} if it cannot be told.
     *
     * @param directory the directory.
     * @return bytes.
     */
    public static long usableSpace(final Path directory)
    {
        try
        {
            return Files.getFileStore(directory).getUsableSpace();
        }
        catch (final IOException | RuntimeException ex)
        {
            return Long.MAX_VALUE;
        }
    }
}
