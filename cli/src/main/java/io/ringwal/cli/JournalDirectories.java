package io.ringwal.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.ringwal.format.SegmentFileNames;
import picocli.CommandLine;

/**
 * Checks the journal directory argument of {@code verify}, {@code dump} and {@code tail} before anything reads it,
 * so that a missing directory, a file, or a directory without segments is said in one line (exit code 2, as for
 * any bad argument) rather than as a stack trace.
 */
final class JournalDirectories
{
    private JournalDirectories()
    {
    }

    /**
     * Requires {@code dir} to be a directory holding at least one segment file.
     *
     * @param cmd the command, for the error.
     * @param dir the directory.
     * @return the base sequences of its segments, in order.
     * @throws CommandLine.ParameterException if it is not.
     */
    static long[] requireJournal(final CommandLine cmd, final Path dir)
    {
        if (!Files.exists(dir))
        {
            throw new CommandLine.ParameterException(cmd, dir + ": no such directory");
        }
        if (!Files.isDirectory(dir))
        {
            throw new CommandLine.ParameterException(cmd, dir + " is not a directory");
        }
        final long[] bases;
        try
        {
            bases = SegmentFileNames.listSegmentBases(dir);
        }
        catch (final IOException ex)
        {
            throw new CommandLine.ParameterException(cmd, dir + " cannot be listed: " + ex.getMessage());
        }
        if (bases.length > 0)
        {
            return bases;
        }
        throw new CommandLine.ParameterException(cmd, dir + " is not a journal directory (no segment files named " +
            "like " + SegmentFileNames.segmentFileName(0) + ")");
    }
}
