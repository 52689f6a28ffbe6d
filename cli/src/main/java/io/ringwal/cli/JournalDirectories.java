package io.ringwal.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

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
        long[] bases = new long[8];
        int count = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir))
        {
            for (final Path entry : entries)
            {
                if (SegmentFileNames.isSegmentFileName(entry.getFileName().toString()))
                {
                    if (count == bases.length)
                    {
                        bases = Arrays.copyOf(bases, count * 2);
                    }
                    bases[count++] = SegmentFileNames.baseSequence(entry);
                }
            }
        }
        catch (final IOException ex)
        {
            throw new CommandLine.ParameterException(cmd, dir + " cannot be listed: " + ex.getMessage());
        }
        if (count > 0)
        {
            final long[] result = Arrays.copyOf(bases, count);
            Arrays.sort(result);
            return result;
        }
        throw new CommandLine.ParameterException(cmd, dir + " is not a journal directory (no segment files named " +
            "like " + SegmentFileNames.segmentFileName(0) + ")");
    }
}
