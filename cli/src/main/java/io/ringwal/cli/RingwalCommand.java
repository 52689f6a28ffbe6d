package io.ringwal.cli;

import java.io.PrintWriter;
import java.util.ServiceLoader;

import io.ringwal.journal.JournalException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ringwal} command: the operators' tools ({@code verify}, {@code dump}, {@code tail}) and every other
 * {@link RingwalSubcommand} found on the class path (the runnable {@code benchmarks/target/ringwal.jar}, started by
 * the {@code ./ringwal} launcher, adds {@code load}, {@code jmh}, {@code force-cost} and {@code seek-recovery}).
 *
 * <p>Exit codes: 0 success; 1 the run failed or the journal did not verify; 2 bad arguments.
 */
@Command(
    name = "ringwal",
    mixinStandardHelpOptions = true,
    version = "ringwal 0.1.0-SNAPSHOT",
    description = "ringwal: a memory-mapped, CRC-framed journal. Inspection tools, and with the benchmarks jar " +
        "the load generator and benchmarks. 'ringwal COMMAND --help' shows a command's options and examples.",
    footer = {
        "",
        "Exit codes: 0 success, 1 run failed, journal damaged or not verified, 2 bad arguments (including a " +
            "missing directory or one that holds no journal).",
        "JVM options: RINGWAL_JAVA_OPTS (e.g. -Dringwal.verbose=true to see the journal's log)."
    })
public final class RingwalCommand implements Runnable
{
    /** Exit code of a run that failed or a journal that did not verify. */
    public static final int EXIT_FAILED = 1;

    /** Exit code of bad arguments. */
    public static final int EXIT_USAGE = 2;

    /** Keeps the configured logger reachable (java.util.logging holds loggers weakly). */
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
        showJournalLog();
        System.exit(execute(args));
    }

    /**
     * The journal logs through {@code System.Logger} (java.util.logging unless the application routes it): warnings
     * for what an operator must see (a torn tail cut, leftover files removed, a repair), its recovery report at
     * DEBUG. With {@code -Dringwal.verbose=true} the commands show that DEBUG log on stderr too.
     */
    private static void showJournalLog()
    {
        if (Boolean.getBoolean("ringwal.verbose"))
        {
            final java.util.logging.ConsoleHandler handler = new java.util.logging.ConsoleHandler();
            handler.setLevel(java.util.logging.Level.ALL);
            RINGWAL_LOGGER.setLevel(java.util.logging.Level.ALL);
            RINGWAL_LOGGER.setUseParentHandlers(false);
            RINGWAL_LOGGER.addHandler(handler);
        }
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
        for (final RingwalSubcommand command : ServiceLoader.load(RingwalSubcommand.class))
        {
            commandLine.addSubcommand(command);
        }
        commandLine.addSubcommand(new CommandLine.HelpCommand());
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
