package io.ringwal.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.ringwal.format.SegmentFileNames;
import io.ringwal.journal.JournalConfig;
import io.ringwal.journal.JournalSpace;
import io.ringwal.journal.WriteMode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ringwal reserve DIR --segments N}: reserves a journal's disk space ahead of time with
 * {@link JournalSpace#reserve}, so that its writer takes its next segments without zero-filling new files.
 */
@Command(
    name = "reserve",
    mixinStandardHelpOptions = true,
    description = {
        "Reserve a journal's disk space ahead of time.",
        "Creates free segment files (zero-filled and forced) until DIR holds N of them. The journal's writer takes " +
            "its next segments from these instead of allocating and zero-filling new files while it runs, so the " +
            "zero-fill happens now and the space is held from now on. Run it before the writer starts (it takes " +
            "the journal's lock) with the journal's segment size: the writer deletes free files of another size. " +
            "A journal with retention keeps recycling its retired segments afterwards. Files for a journal with " +
            "staged writes (the default under every-batch and bounded) are zero-filled with buffered writes, " +
            "which leaves them in the page cache as large folios; for mapped writes with direct I/O."
    },
    footer = {
        "",
        "Examples:",
        "  ./ringwal reserve /var/lib/app/journal --segments 16",
        "  ./ringwal reserve /var/lib/app/journal --segments 8 --segment-size 256MiB",
        "  ./ringwal reserve /var/lib/app/journal --segments 8 --write-mode mapped   # a journal forced never",
        "",
        "Exit codes: 0 reserved (or already there), 1 the files could not be created (the disk is full, or a " +
            "writer has the journal open), 2 bad arguments."
    })
public final class ReserveCommand implements Callable<Integer>, RingwalSubcommand
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The journal directory (created if absent).")
    private Path dir;

    @Option(names = "--segments", paramLabel = "N", required = true,
        description = "How many free segment files DIR should hold, from 0 to " + JournalSpace.MAX_SEGMENTS + ".")
    private int segments;

    @Option(names = "--segment-size", paramLabel = "SIZE", converter = ByteSizeConverter.class,
        description = "The journal's segment size (a power of two from 64KiB to 1GiB). Default: the size of the " +
            "journal's segments, or 64MiB for a directory without any.")
    private Integer segmentSize;

    @Option(names = "--write-mode", paramLabel = "MODE", defaultValue = "staged",
        description = "How the journal's writer will write: staged (the journal's default) or mapped. Decides " +
            "how the files are zero-filled. " +
            "Default: ${DEFAULT-VALUE}.")
    private WriteMode writeMode;

    /**
     * Creates the command (picocli fills in its options).
     */
    public ReserveCommand()
    {
    }

    @Override
    public Integer call()
    {
        final CommandLine cmd = spec.commandLine();
        if (Files.exists(dir) && !Files.isDirectory(dir))
        {
            throw new CommandLine.ParameterException(cmd, dir + " is not a directory");
        }
        if (segments < 0 || segments > JournalSpace.MAX_SEGMENTS)
        {
            throw new CommandLine.ParameterException(cmd, "--segments=" + segments + " must be from 0 to " +
                JournalSpace.MAX_SEGMENTS);
        }
        final long existing = existingSegmentSize(cmd);
        if (segmentSize != null && existing > 0 && existing != segmentSize)
        {
            throw new CommandLine.ParameterException(cmd, "--segment-size=" + segmentSize + " differs from the " +
                existing + "-byte segments of the journal in " + dir + ": its writer would delete those free files");
        }
        final int size = segmentSize != null ? segmentSize :
            existing > 0 ? (int)existing : JournalConfig.DEFAULT_SEGMENT_SIZE;
        final int created;
        try
        {
            created = JournalSpace.reserve(dir, JournalConfig.builder().segmentSize(size).writeMode(writeMode)
                .build(), segments);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(cmd, ex.getMessage());
        }
        final PrintWriter out = cmd.getOut();
        final int free = JournalSpace.freeSegments(dir, size);
        out.printf(Locale.ROOT, "reserved    %d new free segment file%s of %,d bytes in %s%n", created,
            created == 1 ? "" : "s", size, dir.toAbsolutePath());
        out.printf(Locale.ROOT, "free files  %d (%,d bytes)%n", free, (long)free * size);
        out.flush();
        return 0;
    }

    /** The size of the journal's first segment file, or 0 if it has none. */
    private long existingSegmentSize(final CommandLine cmd)
    {
        if (!Files.isDirectory(dir))
        {
            return 0;
        }
        try
        {
            final List<Path> segments = SegmentFileNames.listSegments(dir);
            return segments.isEmpty() ? 0 : Files.size(segments.get(0));
        }
        catch (final IOException ex)
        {
            throw new CommandLine.ParameterException(cmd, dir + " cannot be listed: " + ex.getMessage());
        }
    }
}
