package io.ringwal.bench.cli;

import java.io.PrintWriter;
import java.util.Arrays;

import io.ringwal.journal.JournalException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ringwal} command: the entry point of the runnable jar {@code benchmarks/target/ringwal.jar}, started
 * by the {@code ./ringwal} launcher at the repository root.
 *
 * <p>Exit codes: 0 success; 1 the run failed or the journal did not verify; 2 bad arguments.
 */
@Command(
    name = "ringwal",
    mixinStandardHelpOptions = true,
    version = "ringwal 0.1.0-SNAPSHOT",
    description = "ringwal: a memory-mapped, CRC-framed journal. Load generator, inspection tools and benchmarks.",
    subcommands = {
        LoadCommand.class,
        VerifyCommand.class,
        DumpCommand.class,
        TailCommand.class,
        io.ringwal.kafka.cli.ShipCommand.class,
        JmhCommand.class,
        ForceCostCommand.class,
        SeekRecoveryCommand.class,
        CommandLine.HelpCommand.class
    },
    footer = {
        "",
        "Examples:",
        "  ./ringwal load                 20 s, 1 producer, 256 B records through the pipeline, forced every batch",
        "  ./ringwal load --producers 2 --records 1000000 --record-size 1024 --force-policy never",
        "  ./ringwal verify DIR           check a journal (read-only)",
        "  ./ringwal dump DIR --limit 10  print records",
        "  ./ringwal tail DIR             follow a journal being written",
        "  ./ringwal jmh -f 1 -wi 3 -w 2s -i 5 -r 2s 'Append|PlainMappedCopy'",
        "  ./ringwal force-cost",
        "  ./ringwal seek-recovery",
        "",
        "Exit codes: 0 success, 1 run failed, journal damaged or not verified, 2 bad arguments (including a",
        "missing directory or one that holds no journal).",
        "JVM options: RINGWAL_JAVA_OPTS (e.g. -Dringwal.verbose=true to see the journal's INFO log)."
    })
public final class RingwalCommand implements Runnable
{
    /** Exit code of a run that failed or a journal that did not verify. */
    public static final int EXIT_FAILED = 1;

    /** Exit code of bad arguments. */
    public static final int EXIT_USAGE = 2;

    /** Keeps the quietened logger reachable (java.util.logging holds loggers weakly). */
    private static final java.util.logging.Logger RINGWAL_LOGGER = java.util.logging.Logger.getLogger("io.ringwal");

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /**
     * Creates the command (picocli instantiates it).
     */
    public RingwalCommand()
    {
    }

    /**
     * Runs the command line and exits with its code.
     *
     * @param args the arguments.
     */
    public static void main(final String[] args)
    {
        if (args.length > 0 && "jmh".equals(args[0]))
        {
            // JMH has its own option syntax (-f 1 -wi 3 ...): hand everything after "jmh" to it untouched.
            JmhCommand.runJmh(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (!Boolean.getBoolean("ringwal.verbose"))
        {
            // The journal logs its recovery report at INFO on every open; the commands print their own reports.
            RINGWAL_LOGGER.setLevel(java.util.logging.Level.WARNING);
        }
        System.exit(execute(args));
    }

    /**
     * Runs the command line without exiting (for tests).
     *
     * @param args the arguments.
     * @return the exit code.
     */
    public static int execute(final String... args)
    {
        return commandLine().execute(args);
    }

    /**
     * The configured command line: bad arguments print one line and give {@link #EXIT_USAGE}; a journal error
     * prints its message in one line and gives {@link #EXIT_FAILED}. Set its out/err writers to capture output.
     *
     * @return a new command line.
     */
    public static CommandLine commandLine()
    {
        final CommandLine commandLine = new CommandLine(new RingwalCommand());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setParameterExceptionHandler(RingwalCommand::onBadArguments);
        commandLine.setExecutionExceptionHandler((ex, cmd, parseResult) ->
        {
            final String name = cmd.getCommandSpec().qualifiedName();
            if (ex instanceof JournalException)
            {
                cmd.getErr().println(name + ": " + ex.getMessage());
            }
            else
            {
                cmd.getErr().println(name + ": failed: " + ex);
            }
            cmd.getErr().flush();
            return EXIT_FAILED;
        });
        return commandLine;
    }

    private static int onBadArguments(final CommandLine.ParameterException ex, final String[] args)
    {
        final CommandLine cmd = ex.getCommandLine();
        final PrintWriter err = cmd.getErr();
        final String name = cmd.getCommandSpec().qualifiedName();
        err.println(name + ": " + ex.getMessage() + " (see '" + name + " --help')");
        err.flush();
        return EXIT_USAGE;
    }

    @Override
    public void run()
    {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
