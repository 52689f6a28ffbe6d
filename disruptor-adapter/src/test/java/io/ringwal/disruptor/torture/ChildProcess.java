package io.ringwal.disruptor.torture;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A child JVM running a main class from the test classpath, its merged stdout/stderr handed line by line to a
 * consumer on a pump thread. A small cousin of core's {@code io.ringwal.testing.ChildJvm} (test classes are not
 * shared across modules), which streams instead of collecting, since a torture child prints without end.
 */
public final class ChildProcess implements AutoCloseable
{
    private final Process process;
    private final Thread pump;

    private ChildProcess(final Process process, final Consumer<String> lines)
    {
        this.process = process;
        this.pump = new Thread(() -> pump(lines), "child-output-" + process.pid());
        this.pump.setDaemon(true);
        this.pump.start();
    }

    /**
     * Starts a main class in a child JVM with the Agrona flag.
     *
     * @param mainClass the class with the main method.
     * @param lines     receives every output line, on the pump thread.
     * @param args      program arguments.
     * @return the running child.
     */
    public static ChildProcess start(final Class<?> mainClass, final Consumer<String> lines, final String... args)
    {
        final String java = ProcessHandle.current().info().command().orElseGet(
            () -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
        final List<String> command = new ArrayList<>(List.of(java, "--add-opens",
            "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
            "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(List.of(args));
        try
        {
            return new ChildProcess(new ProcessBuilder(command).redirectErrorStream(true).start(), lines);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot start " + command, ex);
        }
    }

    private void pump(final Consumer<String> lines)
    {
        try (BufferedReader reader = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = reader.readLine()) != null)
            {
                lines.accept(line);
            }
        }
        catch (final IOException ignore)
        {
            // the child is gone
        }
    }

    /**
     * Whether the child still runs.
     *
     * @return true if alive.
     */
    public boolean isAlive()
    {
        return process.isAlive();
    }

    /**
     * Sends SIGKILL and waits until the child is gone and every line it wrote before dying was consumed.
     */
    public void kill()
    {
        process.destroyForcibly();
        try
        {
            if (!process.waitFor(30, TimeUnit.SECONDS))
            {
                throw new AssertionError("child " + process.pid() + " survived SIGKILL for 30 s");
            }
            pump.join(TimeUnit.SECONDS.toMillis(30));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", ex);
        }
    }

    @Override
    public void close()
    {
        if (process.isAlive())
        {
            kill();
        }
    }
}
