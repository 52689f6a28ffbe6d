package io.ringwal.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.ringwal.journal.JournalCorruptedException;
import io.ringwal.journal.JournalReader;
import io.ringwal.journal.RecordHandler;
import io.ringwal.tool.JournalDumper;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ringwal dump DIR}: prints the records of a journal with {@link JournalDumper}. Read-only.
 */
@Command(
    name = "dump",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Print a journal's committed records in sequence order.",
        "Starts at --from and prints at most --limit records. Every record's sequence and CRC32C are checked " +
            "before it is printed. Records go to stdout; a summary (records printed, the next sequence, why it " +
            "stopped) goes to stderr."
    },
    footer = {
        "",
        "Formats:",
        "  text  <sequence> <length> <payload>, printable ASCII as is, other bytes as \\xNN",
        "  hex   '# sequence N length L', then offset, 16 hex bytes and ASCII per line",
        "  json  one object per line: {\"sequence\":N,\"length\":L,\"payload\":\"<base64>\"}",
        "",
        "Examples:",
        "  ./ringwal dump ringwal-data/load-20250101-120000 --limit 10",
        "  ./ringwal dump /var/lib/app/journal --from 1000000 --limit 5 --format hex",
        "  ./ringwal dump /var/lib/app/journal --format json | jq .length",
        "",
        "A --from beyond the last record prints 'beyond the end: last sequence is N' and exits 0.",
        "",
        "Exit codes: 0 done, 1 a damaged record was reached (the records before it were printed) or a read " +
            "failed, 2 bad arguments: DIR missing, not a directory or without segment files, or --from below the " +
            "first record kept."
    })
public final class DumpCommand implements Callable<Integer>, RingwalSubcommand
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The journal directory.")
    private Path dir;

    @Option(names = "--from", paramLabel = "SEQ",
        description = "First sequence to print (default: the first record kept).")
    private Long from;

    @Option(names = "--limit", paramLabel = "N",
        description = "Print at most N records (default: all).")
    private Long limit;

    @Option(names = "--format", paramLabel = "text|hex|json|lines", defaultValue = "text",
        converter = RecordFormat.Converter.class, description = "Output format (default: ${DEFAULT-VALUE}).")
    private RecordFormat format;

    /**
     * Creates the command (picocli fills in its options).
     */
    public DumpCommand()
    {
    }

    @Override
    public Integer call()
    {
        final CommandLine cmd = spec.commandLine();
        if (from != null && from < 0)
        {
            throw new CommandLine.ParameterException(cmd, "--from=" + from + " must not be negative");
        }
        if (limit != null && limit < 0)
        {
            throw new CommandLine.ParameterException(cmd, "--limit=" + limit + " must not be negative");
        }
        final long[] bases = JournalDirectories.requireJournal(cmd, dir);
        if (from != null && from < bases[0])
        {
            throw new CommandLine.ParameterException(cmd, "--from " + from + " is below the first record kept (" +
                bases[0] + ")");
        }
        final long start = from != null ? from : bases[0];
        final PrintWriter out = cmd.getOut();
        final PrintWriter err = cmd.getErr();
        final StringBuilder sb = new StringBuilder(256);
        final long[] printed = new long[1];
        try
        {
            final JournalDumper.DumpResult result = JournalDumper.dump(dir, start, limit != null ? limit :
                Long.MAX_VALUE, (sequence, buffer, offset, length) ->
                {
                    format.print(out, sb, sequence, buffer, offset, length);
                    printed[0]++;
                    return true;
                });
            out.flush();
            if (result.records() == 0 && from != null)
            {
                final long last = lastSequence(bases);
                if (from > last)
                {
                    err.println("ringwal dump: --from " + from + " is beyond the end: " + (last < bases[0] ?
                        "the journal holds no records yet (next sequence " + (last + 1) + ")" :
                        "last sequence is " + last));
                    err.flush();
                    return 0;
                }
            }
            err.println("ringwal dump: " + result.records() + " records from " + start + ", next sequence " +
                result.nextSequence() + ", stopped: " + (result.stopReason() == JournalDumper.StopReason.END ?
                "end of journal" : "--limit reached"));
            err.flush();
            return 0;
        }
        catch (final JournalCorruptedException ex)
        {
            out.flush();
            err.println("ringwal dump: " + printed[0] + " records printed, then: " + ex.getMessage());
            err.flush();
            return RingwalCommand.EXIT_FAILED;
        }
    }

    /** The last sequence written: reads the last segment from its base to the end (base - 1 if it holds none). */
    private long lastSequence(final long[] bases)
    {
        try (JournalReader reader = JournalReader.open(dir, bases[bases.length - 1]))
        {
            final RecordHandler skip = (sequence, buffer, offset, length) ->
            {
            };
            while (reader.poll(skip, 4096) > 0)
            {
                // to the end
            }
            return reader.nextSequence() - 1;
        }
    }
}
