package io.ringwal.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running a main class from the test classpath with the same java binary and the Agrona flag. Its
 * stdout and stderr are merged and collected line by line on a daemon thread.
 */
public final class ChildJvm implements AutoCloseable
{
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> output = new ArrayList<>();
    private final Thread pump;

    private ChildJvm(final Process process)
    {
        this.process = process;
        this.pump = new Thread(this::pump, "child-jvm-output-" + process.pid());
        this.pump.setDaemon(true);
        this.pump.start();
    }

    /**
     * Starts a main class in a child JVM.
     *
     * @param mainClass the class with the main method.
     * @param jvmFlags  extra JVM flags (before the class name).
     * @param args      program arguments.
     * @return the running child.
     */
    public static ChildJvm start(final Class<?> mainClass, final List<String> jvmFlags, final String... args)
    {
        final String java = ProcessHandle.current().info().command().orElseGet(
            () -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
        final List<String> command = new ArrayList<>();
        command.add(java);
        command.add("--add-opens");
        command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        command.add("-Xmx256m");
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        try
        {
            return new ChildJvm(new ProcessBuilder(command).redirectErrorStream(true).start());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot start " + command, ex);
        }
    }

    private void pump()
    {
        try (BufferedReader reader = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = reader.readLine()) != null)
            {
                synchronized (output)
                {
                    output.add(line);
                }
                lines.add(line);
            }
        }
        catch (final IOException ignore)
        {
            // the child is gone
        }
    }

    /**
     * Waits for an output line starting with {@code prefix}.
     *
     * @param prefix  the prefix.
     * @param timeout how long to wait.
     * @param unit    the unit.
     * @return the line.
     * @throws AssertionError if the line does not come in time or the child exits first.
     */
    public String awaitLine(final String prefix, final long timeout, final TimeUnit unit)
    {
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        try
        {
            while (System.nanoTime() < deadline)
            {
                final String line = lines.poll(50, TimeUnit.MILLISECONDS);
                if (line != null && line.startsWith(prefix))
                {
                    return line;
                }
                if (line == null && !process.isAlive() && lines.isEmpty() && !pump.isAlive())
                {
                    break;
                }
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        throw new AssertionError("child JVM did not print a line starting with '" + prefix + "' (alive=" +
            process.isAlive() + "); its output:\n" + output());
    }

    /**
     * Waits for the child to exit.
     *
     * @param timeout how long to wait.
     * @param unit    the unit.
     * @return the exit code.
     * @throws AssertionError if it does not exit in time (it is then killed).
     */
    public int awaitExit(final long timeout, final TimeUnit unit)
    {
        try
        {
            if (!process.waitFor(timeout, unit))
            {
                process.destroyForcibly();
                throw new AssertionError("child JVM did not exit within " + timeout + " " + unit + "; output:\n" +
                    output());
            }
            pump.join(TimeUnit.SECONDS.toMillis(10));
            return process.exitValue();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", ex);
        }
    }

    /**
     * The child's process.
     *
     * @return the process.
     */
    public Process process()
    {
        return process;
    }

    /**
     * Everything the child printed so far.
     *
     * @return the output.
     */
    public String output()
    {
        synchronized (output)
        {
            return String.join("\n", output);
        }
    }

    /** Kills the child (SIGKILL) if it is still running and waits for it. */
    @Override
    public void close()
    {
        if (process.isAlive())
        {
            process.destroyForcibly();
        }
        try
        {
            process.waitFor(30, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
