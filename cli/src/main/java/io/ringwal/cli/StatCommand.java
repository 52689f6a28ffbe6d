package io.ringwal.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import io.ringwal.format.CounterId;
import io.ringwal.format.CountersDescriptor;
import io.ringwal.journal.CountersFileReader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ringwal stat DIR}: prints the live counters a journal's writer publishes in its counters file
 * ({@code ringwal.counters}), once or, with {@code --watch}, every interval with rates, as text or JSON; says
 * plainly when no writer is running or the file is stale. Read-only: it maps the file and nothing else.
 */
@Command(
    name = "stat",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Print the live counters of the writer of a journal, read from its counters file (ringwal.counters).",
        "Says whether a writer is running: live (heartbeat recent), stale (process alive, heartbeat older than " +
            "--stale-after), dead (process gone without closing the journal), closed, failed (with the reason) " +
            "or detached. A pipeline publishes the file by default; a plain JournalWriter through " +
            "JournalCountersPublisher."
    },
    footer = {
        "",
        "Examples:",
        "  ./ringwal stat /var/lib/app/journal                 once",
        "  ./ringwal stat /var/lib/app/journal --watch         every second, with rates",
        "  ./ringwal stat /var/lib/app/journal --json          one JSON object",
        "",
        "Exit codes: 0 a live, closed or detached writer's counters were printed, 1 no writer is running " +
            "(no counters file, or its writer is dead, stale or failed), 2 bad arguments (DIR missing or not a " +
            "directory)."
    })
public final class StatCommand implements Callable<Integer>, RingwalSubcommand
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The journal directory.")
    private Path dir;

    @Option(names = "--watch", description = "Refresh every --interval with rates per second, until Ctrl-C.")
    private boolean watch;

    @Option(names = "--json", description = "Print one JSON object (per refresh with --watch, one per line).")
    private boolean json;

    @Option(names = "--interval", paramLabel = "MILLIS", defaultValue = "1000",
        description = "Refresh interval of --watch in milliseconds (default: ${DEFAULT-VALUE}).")
    private long intervalMillis;

    @Option(names = "--count", paramLabel = "N",
        description = "With --watch, stop after N refreshes (default: until Ctrl-C).")
    private Long count;

    @Option(names = "--stale-after", paramLabel = "SECONDS", defaultValue = "5",
        description = "A running writer whose heartbeat is older than this is reported stale " +
            "(default: ${DEFAULT-VALUE}).")
    private long staleAfterSeconds;

    private final long[] previous = new long[CounterId.count()];
    private long previousNanos;
    private Object previousFileKey;

    /**
     * Creates the command (picocli fills in its options).
     */
    public StatCommand()
    {
    }

    @Override
    public Integer call() throws InterruptedException
    {
        final CommandLine cmd = spec.commandLine();
        if (!Files.exists(dir))
        {
            throw new CommandLine.ParameterException(cmd, dir + ": no such directory");
        }
        if (!Files.isDirectory(dir))
        {
            throw new CommandLine.ParameterException(cmd, dir + " is not a directory");
        }
        if (intervalMillis < 10 || intervalMillis > 3_600_000)
        {
            throw new CommandLine.ParameterException(cmd, "--interval=" + intervalMillis + " must be 10..3600000");
        }
        if (staleAfterSeconds < 1)
        {
            throw new CommandLine.ParameterException(cmd, "--stale-after=" + staleAfterSeconds + " must be positive");
        }
        if (count != null && count < 1)
        {
            throw new CommandLine.ParameterException(cmd, "--count=" + count + " must be positive");
        }
        final PrintWriter out = cmd.getOut();
        if (!watch)
        {
            final int exit = printOnce(out, false);
            out.flush();
            return exit;
        }
        int exit = 0;
        for (long i = 0; count == null || i < count; i++)
        {
            if (i > 0)
            {
                Thread.sleep(intervalMillis);
            }
            exit = printOnce(out, true);
            out.flush();
        }
        return exit;
    }

    private int printOnce(final PrintWriter out, final boolean rates)
    {
        final Optional<CountersFileReader> opened = CountersFileReader.openIfPresent(dir);
        if (opened.isEmpty())
        {
            final String message = "no writer is running: " + dir.toAbsolutePath() + " has no counters file (" +
                CountersDescriptor.FILE_NAME + ")";
            if (json)
            {
                out.println("{\"directory\":" + JsonText.quote(dir.toAbsolutePath().toString()) +
                    ",\"status\":\"absent\",\"message\":" + JsonText.quote(message) + "}");
            }
            else
            {
                out.println(message);
            }
            previousNanos = 0;
            return RingwalCommand.EXIT_FAILED;
        }
        try (CountersFileReader reader = opened.get())
        {
            final long now = System.nanoTime();
            final long[] values = new long[CounterId.count()];
            for (final CounterId id : CounterId.values())
            {
                values[id.index()] = reader.get(id);
            }
            final CountersFileReader.Status status = reader.status(TimeUnit.SECONDS.toMillis(staleAfterSeconds));
            final Object fileKey = reader.pid() + "/" + reader.startEpochMillis();
            final boolean haveRates = rates && previousNanos != 0 && fileKey.equals(previousFileKey);
            final double seconds = (now - previousNanos) / 1e9;
            if (json)
            {
                printJson(out, reader, status, values, haveRates, seconds);
            }
            else
            {
                printText(out, reader, status, values, haveRates, seconds);
            }
            System.arraycopy(values, 0, previous, 0, values.length);
            previousNanos = now;
            previousFileKey = fileKey;
            return status == CountersFileReader.Status.LIVE || status == CountersFileReader.Status.CLOSED ||
                status == CountersFileReader.Status.DETACHED ? 0 : RingwalCommand.EXIT_FAILED;
        }
    }

    private String summary(final CountersFileReader reader, final CountersFileReader.Status status)
    {
        final long ageMillis = System.currentTimeMillis() - reader.heartbeatEpochMillis();
        final String age = String.format("%.1f s ago", ageMillis / 1000.0);
        switch (status)
        {
            case LIVE:
                return "writer running (pid " + reader.pid() + ", last update " + age + ")";
            case STALE:
                return "writer stale: process " + reader.pid() + " is alive but its last update was " + age +
                    " (more than " + staleAfterSeconds + " s: idle without wake-ups, or stuck)";
            case DEAD:
                return "no writer is running: process " + reader.pid() + " ended without closing the journal " +
                    "(last update " + age + "); these are its last counters";
            case CLOSED:
                return "no writer is running: the journal was closed cleanly by process " + reader.pid() + " (" +
                    age + "); final counters";
            case FAILED:
                return "writer failed (pid " + reader.pid() + ", " + age + "): " + reader.failureReason();
            default:
                return "writer detached: process " + reader.pid() + " stopped publishing counters (" + age + ")";
        }
    }

    private void printText(
        final PrintWriter out,
        final CountersFileReader reader,
        final CountersFileReader.Status status,
        final long[] values,
        final boolean haveRates,
        final double seconds)
    {
        out.println(dir.toAbsolutePath() + ": " + summary(reader, status));
        out.println("  started " + Instant.ofEpochMilli(reader.startEpochMillis()) + ", ring size " +
            (reader.ringSize() == 0 ? "none" : Integer.toString(reader.ringSize())) + ", counters layout version " +
            reader.layoutVersion());
        for (final CounterId id : CounterId.values())
        {
            final long value = values[id.index()];
            final StringBuilder line = new StringBuilder(String.format("  %-22s %,20d %-12s", id.label(), value,
                id.unit()));
            if (haveRates && id.kind() == CounterId.Kind.COUNT)
            {
                line.append(String.format(" %,14.0f/s", (value - previous[id.index()]) / seconds));
            }
            out.println(line.toString().stripTrailing());
        }
        if (haveRates || !watch)
        {
            out.println();
        }
        else
        {
            out.println("  (rates from the next refresh)");
            out.println();
        }
    }

    private void printJson(
        final PrintWriter out,
        final CountersFileReader reader,
        final CountersFileReader.Status status,
        final long[] values,
        final boolean haveRates,
        final double seconds)
    {
        final StringBuilder sb = new StringBuilder(1024);
        sb.append("{\"directory\":").append(JsonText.quote(dir.toAbsolutePath().toString()));
        sb.append(",\"status\":\"").append(status.name().toLowerCase(java.util.Locale.ROOT)).append('"');
        sb.append(",\"message\":").append(JsonText.quote(summary(reader, status)));
        sb.append(",\"pid\":").append(reader.pid());
        sb.append(",\"processStartEpochMillis\":").append(reader.processStartEpochMillis());
        sb.append(",\"startEpochMillis\":").append(reader.startEpochMillis());
        sb.append(",\"heartbeatEpochMillis\":").append(reader.heartbeatEpochMillis());
        sb.append(",\"state\":\"").append(CountersDescriptor.stateName(reader.state())).append('"');
        sb.append(",\"layoutVersion\":").append(reader.layoutVersion());
        sb.append(",\"ringSize\":").append(reader.ringSize());
        sb.append(",\"failureReason\":").append(JsonText.quote(reader.failureReason()));
        sb.append(",\"counters\":{");
        for (final CounterId id : CounterId.values())
        {
            sb.append(id.index() == 0 ? "" : ",").append('"').append(id.label()).append("\":")
                .append(values[id.index()]);
        }
        sb.append('}');
        if (haveRates)
        {
            sb.append(",\"ratesPerSecond\":{");
            boolean first = true;
            for (final CounterId id : CounterId.values())
            {
                if (id.kind() == CounterId.Kind.COUNT)
                {
                    sb.append(first ? "" : ",").append('"').append(id.label()).append("\":")
                        .append(String.format(java.util.Locale.ROOT, "%.1f",
                        (values[id.index()] - previous[id.index()]) / seconds));
                    first = false;
                }
            }
            sb.append('}');
        }
        sb.append('}');
        out.println(sb);
    }
}
