package io.ringwal.bench.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import picocli.CommandLine;

/**
 * Runs a {@code ringwal} command line in-process with captured stdout and stderr.
 */
final class CliRun
{
    final int exitCode;
    final StringWriter out;
    final StringWriter err;

    private CliRun(final int exitCode, final StringWriter out, final StringWriter err)
    {
        this.exitCode = exitCode;
        this.out = out;
        this.err = err;
    }

    static CliRun run(final String... args)
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
    static final class Running
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final Thread thread;
        volatile int exitCode = -1;

        Running(final String... args)
        {
            final CommandLine cmd = RingwalCommand.commandLine();
            cmd.setOut(new PrintWriter(out, true));
            cmd.setErr(new PrintWriter(err, true));
            thread = new Thread(() -> exitCode = cmd.execute(args), "cli-under-test");
            thread.start();
        }
    }

    String out()
    {
        return out.toString();
    }

    String err()
    {
        return err.toString();
    }

    List<String> errLines()
    {
        return Arrays.stream(err().split("\\R")).filter(line -> !line.isBlank()).collect(Collectors.toList());
    }

    @Override
    public String toString()
    {
        return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
