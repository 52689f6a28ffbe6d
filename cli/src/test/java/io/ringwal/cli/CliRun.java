package io.ringwal.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import picocli.CommandLine;

/**
 * Runs a {@code ringwal} command line in-process with captured stdout and stderr.
 */
public final class CliRun
{
    /** The exit code. */
    public final int exitCode;
    /** What it printed to stdout. */
    public final StringWriter out;
    /** What it printed to stderr. */
    public final StringWriter err;

    private CliRun(final int exitCode, final StringWriter out, final StringWriter err)
    {
        this.exitCode = exitCode;
        this.out = out;
        this.err = err;
    }

    /**
     * Runs a command line to its end.
     *
     * @param args the arguments.
     * @return what it did.
     */
    public static CliRun run(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine cmd = RingwalCommand.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        final int code = cmd.execute(args);
        return new CliRun(code, out, err);
    }

    /** Starts a command line on a new thread; the writers are live while it runs. */
    public static final class Running
    {
        public final StringWriter out = new StringWriter();
        public final StringWriter err = new StringWriter();
        public final Thread thread;
        public volatile int exitCode = -1;

        public Running(final String... args)
        {
            final CommandLine cmd = RingwalCommand.commandLine();
            cmd.setOut(new PrintWriter(out, true));
            cmd.setErr(new PrintWriter(err, true));
            thread = new Thread(() -> exitCode = cmd.execute(args), "cli-under-test");
            thread.start();
        }
    }

    public String out()
    {
        return out.toString();
    }

    public String err()
    {
        return err.toString();
    }

    public List<String> errLines()
    {
        return Arrays.stream(err().split("\\R")).filter(line -> !line.isBlank()).collect(Collectors.toList());
    }

    @Override
    public String toString()
    {
        return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
