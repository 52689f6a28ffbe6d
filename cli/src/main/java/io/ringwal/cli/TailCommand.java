package io.ringwal.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.agrona.DirectBuffer;

import io.ringwal.journal.JournalCorruptedException;
import io.ringwal.journal.JournalReader;
import io.ringwal.journal.RecordHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ringwal tail DIR}: follows a journal being written, across segment rotations, printing each record as
 * it is committed, until interrupted (Ctrl-C: a shutdown hook stops the loop, closes the reader and prints a
 * summary; or an interrupt of the running thread), or until {@code --limit} records were printed. Polls a
 * {@link JournalReader} and parks briefly when there is nothing new. Read-only.
 */
@Command(
    name = "tail",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Follow a journal while it is written, printing records as they are committed.",
        "Follows across segment rotations, checking every sequence and CRC32C, until Ctrl-C. Starts at the end " +
            "of the journal unless --from is given. Polls with JournalReader and parks for --idle-park when " +
            "nothing is new."
    },
    footer = {
        "",
        "Examples:",
        "  ./ringwal tail /var/lib/app/journal                 new records from now on",
        "  ./ringwal tail /var/lib/app/journal --from 0        everything, then follow",
        "  ./ringwal tail /var/lib/app/journal --format json --limit 100",
        "",
        "Exit codes: 0 stopped by --limit or an interrupt, 130 stopped by Ctrl-C (SIGINT) and 143 by SIGTERM " +
            "(the summary is printed first), 1 a damaged record was reached or a read failed, 2 bad arguments: " +
            "DIR missing, not a " +
            "directory or without segment files, or --from below the first record kept."
    })
public final class TailCommand implements Callable<Integer>, RecordHandler, RingwalSubcommand
{
    private static final int POLL_LIMIT = 256;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The journal directory.")
    private Path dir;

    @Option(names = "--from", paramLabel = "SEQ",
        description = "First sequence to print (default: the end of the journal: only new records).")
    private Long from;

    @Option(names = "--format", paramLabel = "text|hex|json|lines", defaultValue = "text",
        converter = RecordFormat.Converter.class,
        description = "Output format, as for dump (default: ${DEFAULT-VALUE}).")
    private RecordFormat format;

    @Option(names = "--limit", paramLabel = "N", description = "Stop after N records (default: never).")
    private Long limit;

    @Option(names = "--idle-park", paramLabel = "MICROS", defaultValue = "1000",
        description = "How long to park when nothing is new, in microseconds (default: ${DEFAULT-VALUE}).")
    private long idleParkMicros;

    private final StringBuilder sb = new StringBuilder(256);
    private volatile boolean running = true;
    private PrintWriter out;
    private long printed;

    /**
     * Creates the command (picocli fills in its options).
     */
    public TailCommand()
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
        if (limit != null && limit < 1)
        {
            throw new CommandLine.ParameterException(cmd, "--limit=" + limit + " must be positive");
        }
        if (idleParkMicros < 1 || idleParkMicros > 1_000_000)
        {
            throw new CommandLine.ParameterException(cmd, "--idle-park=" + idleParkMicros + " must be 1..1000000");
        }
        final long[] bases = JournalDirectories.requireJournal(cmd, dir);
        if (from != null && from < bases[0])
        {
            throw new CommandLine.ParameterException(cmd, "--from " + from + " is below the first record kept (" +
                bases[0] + ")");
        }
        out = cmd.getOut();
        final PrintWriter err = cmd.getErr();
        final long maxRecords = limit != null ? limit : Long.MAX_VALUE;
        final Thread tailThread = Thread.currentThread();
        final CountDownLatch stopped = new CountDownLatch(1);
        final Thread hook = new Thread(() ->
        {
            running = false;
            LockSupport.unpark(tailThread);
            try
            {
                stopped.await(2, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }, "ringwal-tail-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        final long parkNanos = TimeUnit.MICROSECONDS.toNanos(idleParkMicros);
        String stopReason = "interrupted";
        try (JournalReader reader = JournalReader.open(dir, from != null ? from : bases[bases.length - 1]))
        {
            if (from == null)
            {
                final RecordHandler skip = (sequence, buffer, offset, length) ->
                {
                };
                while (reader.poll(skip, 4096) > 0)
                {
                    // skip to the end of the journal as it is now
                }
            }
            err.println("ringwal tail: following " + dir.toAbsolutePath() + " from sequence " +
                reader.nextSequence() + " (Ctrl-C to stop)");
            err.flush();
            while (running && !Thread.currentThread().isInterrupted())
            {
                final int limitNow = (int)Math.min(POLL_LIMIT, maxRecords - printed);
                final int n = reader.poll(this, limitNow);
                if (n > 0)
                {
                    out.flush();
                    if (printed >= maxRecords)
                    {
                        stopReason = "--limit reached";
                        break;
                    }
                }
                else
                {
                    LockSupport.parkNanos(this, parkNanos);
                }
            }
            out.flush();
            // printed before the shutdown hook is released: the JVM halts as soon as the hook returns
            err.println("ringwal tail: " + printed + " records printed, next sequence " + reader.nextSequence() +
                ", stopped: " + (running ? stopReason : "signal"));
            err.flush();
        }
        catch (final JournalCorruptedException ex)
        {
            out.flush();
            err.println("ringwal tail: " + printed + " records printed, then: " + ex.getMessage());
            err.flush();
            return RingwalCommand.EXIT_FAILED;
        }
        finally
        {
            out.flush();
            stopped.countDown();
            removeHook(hook);
        }
        return 0;
    }

    @Override
    public void onRecord(final long sequence, final DirectBuffer buffer, final int offset, final int length)
    {
        format.print(out, sb, sequence, buffer, offset, length);
        printed++;
    }

    private static void removeHook(final Thread hook)
    {
        try
        {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (final IllegalStateException ex)
        {
            // the JVM is shutting down: the hook is running (Ctrl-C)
        }
    }
}
