package io.ringwal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ringwal tail} in a child JVM stops cleanly on SIGINT and SIGTERM: it prints its summary, releases the
 * reader and exits with 128 + the signal number, promptly.
 */
class TailSignalTest
{
    @TempDir
    Path dir;

    static Thread pump(final InputStream stream, final List<String> lines)
    {
        final Thread thread = new Thread(() ->
        {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8)))
            {
                String line;
                while ((line = reader.readLine()) != null)
                {
                    lines.add(line);
                }
            }
            catch (final IOException ignore)
            {
                // gone
            }
        });
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    static boolean ignored(final String signal) throws IOException
    {
        for (final String line : Files.readAllLines(Path.of("/proc/self/status")))
        {
            if (line.startsWith("SigIgn:"))
            {
                final long mask = Long.parseLong(line.substring(7).trim(), 16);
                final int number = "INT".equals(signal) ? 2 : 15;
                return (mask & (1L << (number - 1))) != 0;
            }
        }
        return false;
    }

    @ParameterizedTest
    @ValueSource(strings = {"INT", "TERM"})
    void shouldPrintTheSummaryAndExitPromptlyWhenSignalled(final String signal) throws Exception
    {
        Assumptions.assumeTrue(Files.exists(Path.of("/proc/self/status")), "Linux /proc");
        Assumptions.assumeFalse(ignored(signal), "SIG" + signal + " is ignored by this process, so by its children");
        Journals.write(dir, 100, 16);
        final String java = ProcessHandle.current().info().command().orElseGet(
            () -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
        final Process child = new ProcessBuilder(java, "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
            RingwalCommand.class.getName(), "tail", dir.toString(), "--from", "0").start();
        final List<String> out = new CopyOnWriteArrayList<>();
        final List<String> err = new CopyOnWriteArrayList<>();
        final Thread outPump = pump(child.getInputStream(), out);
        final Thread errPump = pump(child.getErrorStream(), err);
        try
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (out.size() < 100 && System.nanoTime() < deadline)
            {
                Thread.sleep(10);
            }
            assertThat(out).as("the records, then following; stderr %s", err).hasSize(100);
            final Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(child.pid())).start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).as("tail exits within 10 s of SIG%s", signal).isTrue();
            outPump.join(5_000);
            errPump.join(5_000);
            assertThat(child.exitValue()).isEqualTo(128 + ("INT".equals(signal) ? 2 : 15));
            assertThat(err).as("the summary").anySatisfy(line ->
                assertThat(line).contains("100 records printed, next sequence 100, stopped: signal"));
        }
        finally
        {
            child.destroyForcibly();
        }
    }
}
