package io.ringwal.disruptor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import io.ringwal.tool.JournalVerifier;
import io.ringwal.journal.JournalReader;

/**
 * A pipeline that is never closed loses nothing at a normal JVM exit: the shutdown hook drains the ring, forces
 * and closes the journal.
 */
class PipelineJvmExitTest
{
    @TempDir
    Path dir;

    static final class Child
    {
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();
        final Thread pump;

        Child(final String... args) throws IOException
        {
            final String java = ProcessHandle.current().info().command().orElseGet(
                () -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
            final List<String> command = new ArrayList<>(List.of(java, "--add-opens",
                "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), PipelineExitChild.class.getName()));
            command.addAll(List.of(args));
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            pump = new Thread(() ->
            {
                try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
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
            pump.setDaemon(true);
            pump.start();
        }

        int awaitExit() throws InterruptedException
        {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("child exits; output %s", lines).isTrue();
            pump.join(10_000);
            return process.exitValue();
        }

        long lastPublished()
        {
            long last = -1;
            for (final String line : lines)
            {
                if (line.startsWith("published ") || line.startsWith("done "))
                {
                    last = Math.max(last, Long.parseLong(line.substring(line.indexOf(' ') + 1)));
                }
            }
            return last;
        }
    }

    static List<Long> sequences(final Path dir)
    {
        final List<Long> sequences = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(dir, 0))
        {
            while (reader.poll((sequence, buffer, offset, length) -> sequences.add(sequence), 10_000) > 0)
            {
                // drain
            }
        }
        return sequences;
    }

    static void assertContiguousFromZero(final List<Long> sequences)
    {
        for (int i = 0; i < sequences.size(); i++)
        {
            if (sequences.get(i) != i)
            {
                throw new AssertionError("journal sequence at index " + i + " is " + sequences.get(i));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"never", "bounded", "everyBatch"})
    void shouldJournalEveryPublishedRecordWhenMainReturnsWithoutClose(final String policy) throws Exception
    {
        final int records = 100_000;
        final Child child = new Child(dir.toString(), Integer.toString(records), policy, "10000");
        assertThat(child.awaitExit()).as("exit status; output %s", child.lines).isZero();
        assertThat(child.lines).contains("done " + (records - 1));

        final List<Long> sequences = sequences(dir);
        assertThat(sequences).as("every published record is in the journal").hasSize(records);
        assertContiguousFromZero(sequences);
        assertThat(JournalVerifier.verify(dir).closedCleanly()).as("the hook closed the journal").isTrue();
    }

    @Test
    void shouldJournalEveryAcknowledgedRecordWhenTheJvmGetsSigterm() throws Exception
    {
        final Child child = new Child(dir.toString(), "-1", "never", "10000");
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (child.lastPublished() < 50_000 && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
        }
        child.process.destroy(); // SIGTERM
        child.awaitExit();
        final long acknowledged = child.lastPublished();
        assertThat(acknowledged).isGreaterThanOrEqualTo(50_000);

        final List<Long> sequences = sequences(dir);
        assertThat((long)sequences.size()).as("every record whose publish returned before the exit")
            .isGreaterThan(acknowledged);
        assertContiguousFromZero(sequences);
        assertThat(JournalVerifier.verify(dir).closedCleanly()).as("the hook closed the journal").isTrue();
    }
}
