package io.ringwal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.journal.JournalConfig;
import io.ringwal.journal.JournalCountersPublisher;
import io.ringwal.journal.JournalWriter;

class StatCommandTest
{
    @TempDir
    Path dir;

    @Test
    void shouldSayPlainlyThatNoWriterIsRunningWhenThereIsNoCountersFile()
    {
        final CliRun run = CliRun.run("stat", dir.toString());
        assertThat(run.exitCode).as(run.toString()).isEqualTo(RingwalCommand.EXIT_FAILED);
        assertThat(run.out()).contains("no writer is running").contains("has no counters file (ringwal.counters)");

        final CliRun json = CliRun.run("stat", dir.toString(), "--json");
        assertThat(asMap(MiniJson.parse(json.out().trim()))).containsEntry("status", "absent");
    }

    @Test
    void shouldRefuseADirectoryThatDoesNotExist()
    {
        final CliRun run = CliRun.run("stat", dir.resolve("missing").toString());
        assertThat(run.exitCode).isEqualTo(RingwalCommand.EXIT_USAGE);
        assertThat(run.err()).contains("no such directory");
    }

    @Test
    void shouldPrintLiveCountersOfAPipelineInAnotherProcessAndSayWhenItDied() throws Exception
    {
        final Process child = startChild();
        try
        {
            final CliRun once = CliRun.run("stat", dir.toString());
            assertThat(once.exitCode).as(once.toString()).isZero();
            assertThat(once.out()).contains("writer running (pid " + child.pid()).contains("ring size 512")
                .containsPattern("records +[0-9,]+ records").contains("durable_sequence");

            final CliRun json = CliRun.run("stat", dir.toString(), "--json");
            final Map<String, Object> object = asMap(MiniJson.parse(json.out().trim()));
            assertThat(object).containsEntry("status", "live").containsEntry("pid", (double)child.pid())
                .containsEntry("ringSize", 512.0).containsEntry("failureReason", null);
            assertThat((Double)asMap(object.get("counters")).get("records")).isPositive();

            final CliRun watch = CliRun.run("stat", dir.toString(), "--watch", "--json", "--interval", "300",
                "--count", "2");
            assertThat(watch.exitCode).as(watch.toString()).isZero();
            final String[] lines = watch.out().trim().split("\n");
            assertThat(lines).hasSize(2);
            assertThat(asMap(MiniJson.parse(lines[0]))).doesNotContainKey("ratesPerSecond");
            final Map<String, Object> rates = asMap(asMap(MiniJson.parse(lines[1])).get("ratesPerSecond"));
            assertThat((Double)rates.get("records")).as("records per second while the child publishes").isPositive();

            final CliRun text = CliRun.run("stat", dir.toString(), "--watch", "--interval", "200", "--count", "2");
            assertThat(text.out()).containsPattern("records +[0-9,]+ records +[0-9,]+/s");
        }
        finally
        {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        final CliRun dead = CliRun.run("stat", dir.toString());
        assertThat(dead.exitCode).isEqualTo(RingwalCommand.EXIT_FAILED);
        assertThat(dead.out()).contains("no writer is running: process " + child.pid() +
            " ended without closing the journal");
    }

    @Test
    void shouldSayTheJournalWasClosedCleanlyAndShowTheFinalCounters()
    {
        final JournalWriter writer = JournalWriter.open(dir, JournalConfig.builder().segmentSize(64 * 1024).build());
        final JournalCountersPublisher publisher = JournalCountersPublisher.open(writer);
        try
        {
            writer.append(new byte[10], 0, 10);
            writer.endOfBatch();
            publisher.publish();
        }
        finally
        {
            writer.close();
            publisher.close();
        }
        final CliRun run = CliRun.run("stat", dir.toString());
        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.out()).contains("no writer is running: the journal was closed cleanly")
            .containsPattern("records +1 records").contains("ring size none");
    }

    @Test
    void shouldSayStaleWhenTheWritersHeartbeatIsOlderThanStaleAfter() throws InterruptedException
    {
        try (JournalWriter writer = JournalWriter.open(dir, JournalConfig.builder().segmentSize(64 * 1024).build());
            JournalCountersPublisher publisher = JournalCountersPublisher.open(writer))
        {
            Thread.sleep(1_200);
            final CliRun run = CliRun.run("stat", dir.toString(), "--stale-after", "1");
            assertThat(run.exitCode).isEqualTo(RingwalCommand.EXIT_FAILED);
            assertThat(run.out()).contains("writer stale: process " + ProcessHandle.current().pid() + " is alive");
            publisher.publish();
            assertThat(CliRun.run("stat", dir.toString(), "--stale-after", "1").exitCode).isZero();
        }
    }

    private Process startChild() throws Exception
    {
        final String java = ProcessHandle.current().info().command().orElseGet(
            () -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
        final List<String> command = new ArrayList<>(List.of(java, "--add-opens",
            "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp",
            System.getProperty("java.class.path"), StatPipelineChild.class.getName(), dir.toString()));
        final Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        final BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(),
            StandardCharsets.UTF_8));
        String line;
        while ((line = lines.readLine()) != null && !line.equals("STARTED"))
        {
            // start-up output
        }
        assertThat(line).as("the child started its pipeline").isEqualTo("STARTED");
        return child;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(final Object value)
    {
        return (Map<String, Object>)value;
    }
}
