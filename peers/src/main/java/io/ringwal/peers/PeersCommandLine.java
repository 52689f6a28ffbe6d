package io.ringwal.peers;

import java.io.PrintWriter;
import java.util.List;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The picocli set-up the harness's entry points ({@link PeersMain}, {@link RunMain}, {@link SvgPlot}) share: an
 * unknown or invalid argument prints one line naming it and gives exit code {@value #EXIT_USAGE}; a failure of
 * the command itself prints its stack trace and gives {@value #EXIT_FAILED}.
 */
final class PeersCommandLine
{
    /** Exit code of a command that failed. */
    static final int EXIT_FAILED = 1;
    /** Exit code of bad arguments. */
    static final int EXIT_USAGE = 2;

    private PeersCommandLine()
    {
    }

    /**
     * The configured command line of a command object.
     *
     * @param command the annotated command.
     * @return its command line (set its out/err writers to capture output).
     */
    static CommandLine commandLine(final Object command)
    {
        final CommandLine commandLine = new CommandLine(command);
        commandLine.setParameterExceptionHandler((ex, args) ->
        {
            final CommandLine cmd = ex.getCommandLine();
            final PrintWriter err = cmd.getErr();
            final String name = cmd.getCommandSpec().qualifiedName();
            err.println(name + ": " + ex.getMessage() + " (see '" + name + " --help')");
            err.flush();
            return EXIT_USAGE;
        });
        commandLine.setExecutionExceptionHandler((ex, cmd, parseResult) ->
        {
            ex.printStackTrace(cmd.getErr());
            cmd.getErr().flush();
            return EXIT_FAILED;
        });
        return commandLine;
    }

    /**
     * Parses the arguments and runs the command.
     *
     * @param command the annotated command.
     * @param args    the arguments.
     * @return the exit code.
     */
    static int execute(final Object command, final String... args)
    {
        return commandLine(command).execute(args);
    }

    /**
     * Checks that a name is one of the known ones.
     *
     * @param spec   the command.
     * @param option the option that gave it.
     * @param name   the name.
     * @param known  the known names.
     * @throws ParameterException naming the option and the known names, if it is not.
     */
    static void checkName(final CommandSpec spec, final String option, final String name, final List<String> known)
    {
        if (!known.contains(name))
        {
            throw new ParameterException(spec.commandLine(), option + ": unknown name '" + name + "'; known: " +
                String.join(",", known));
        }
    }

    /**
     * Checks that a number is not negative.
     *
     * @param spec   the command.
     * @param option the option that gave it.
     * @param value  the number.
     * @throws ParameterException naming the option, if it is negative.
     */
    static void checkNotNegative(final CommandSpec spec, final String option, final long value)
    {
        if (value < 0)
        {
            throw new ParameterException(spec.commandLine(), option + "=" + value + " must not be negative");
        }
    }

    /**
     * Checks that a number is positive.
     *
     * @param spec   the command.
     * @param option the option that gave it.
     * @param value  the number.
     * @throws ParameterException naming the option, if it is not.
     */
    static void checkPositive(final CommandSpec spec, final String option, final long value)
    {
        if (value <= 0)
        {
            throw new ParameterException(spec.commandLine(), option + "=" + value + " must be positive");
        }
    }
}
