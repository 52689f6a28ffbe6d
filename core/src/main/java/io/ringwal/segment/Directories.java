package io.ringwal.segment;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Forcing a directory, so that a file created or renamed in it survives a power loss.
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
}
