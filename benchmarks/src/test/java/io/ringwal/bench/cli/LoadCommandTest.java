package io.ringwal.bench.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.cli.CliRun;
import io.ringwal.cli.Journals;
import io.ringwal.cli.MiniJson;

import static org.assertj.core.api.Assertions.assertThat;

class LoadCommandTest
{
    @TempDir
    Path tmp;

    @Test
    void shouldPublishThroughPipelineAndVerifyWhenTwoProducers()
    {
        final Path dir = tmp.resolve("journal");
        final CliRun run = CliRun.run("load", "--records", "20000", "--producers", "2", "--segment-size", "1MiB",
            "--record-size", "16-200", "--dir", dir.toString());

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.out()).contains("target=pipeline producers=2")
            .contains("throughput    20,000 records")
            .contains("  publish     ")
            .contains("  ->durable   ")
            .contains("  force (us)  ")
            .contains("2 producers, 1 writer, 1 segment allocator = 4 threads")
            .contains("verify        PASSED")
            .contains("each of 2 producers in order")
            .contains("journal kept in");
        assertThat(dir).isDirectory();
        assertThat(CliRun.run("verify", dir.toString()).exitCode).isZero();
    }

    @Test
    void shouldPrintOneJsonObjectAndWriteHistogramsWhenAsked() throws Exception
    {
        final Path dir = tmp.resolve("journal");
        final Path hgrm = tmp.resolve("hgrm");
        final CliRun run = CliRun.run("load", "--records", "5000", "--producers", "2", "--dir", dir.toString(),
            "--json", "--hgrm", hgrm.toString(), "--rate", "50000", "--wait-strategy", "blocking");

        assertThat(run.exitCode).as(run.toString()).isZero();
        final Object parsed = MiniJson.parse(run.out().trim());
        assertThat(parsed).isInstanceOf(Map.class);
        @SuppressWarnings("unchecked") final Map<String, Object> json = (Map<String, Object>)parsed;
        assertThat(json).containsKeys("directory", "target", "settings", "producers", "records", "payloadBytes",
            "elapsedNanos", "recordsPerSecond", "megabytesPerSecond", "rate", "publishLatencyNanos",
            "durableLatencyNanos", "forces", "forceTimeNanos", "forcedBytes", "gcCount", "gcTimeMillis",
            "availableProcessors", "threads", "verify");
        assertThat(json.get("records")).isEqualTo(5000.0);
        assertThat(json.get("producers")).isEqualTo(2.0);
        assertThat(json.get("rate")).isEqualTo(50000.0);
        assertThat(json.get("recordsPerProducer")).isEqualTo(List.of(2500.0, 2500.0));
        @SuppressWarnings("unchecked") final Map<String, Object> durable =
            (Map<String, Object>)json.get("durableLatencyNanos");
        assertThat(durable).containsKeys("count", "p50", "p90", "p99", "p99.9", "p99.99", "max");
        assertThat(durable.get("count")).isEqualTo(5000.0);
        @SuppressWarnings("unchecked") final Map<String, Object> verify = (Map<String, Object>)json.get("verify");
        assertThat(verify.get("ok")).isEqualTo(Boolean.TRUE);
        @SuppressWarnings("unchecked") final Map<String, Object> threads = (Map<String, Object>)json.get("threads");
        assertThat(threads.get("total")).isEqualTo(4.0);
        // progress and notes go to stderr so that stdout is only the JSON object
        assertThat(run.err()).contains("ringwal load: journal");

        for (final String name : List.of("publish-latency.hgrm", "durable-latency.hgrm", "force-time.hgrm"))
        {
            final Path file = hgrm.resolve(name);
            assertThat(file).isRegularFile();
            assertThat(Files.readString(file)).contains("Percentile").contains("#[Max");
        }
    }

    @Test
    void shouldStillDriveTheWriterDirectlyWhenTargetWriter()
    {
        final Path dir = tmp.resolve("journal");
        final CliRun run = CliRun.run("load", "--target", "writer", "--records", "5000", "--batch", "16",
            "--dir", dir.toString());

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.out()).contains("target=writer").contains("the producer is the writer")
            .contains("verify        PASSED");
    }

    @Test
    void shouldVerifyOnlyItsOwnRecordsWhenDirectoryAlreadyHeldAJournal()
    {
        // the records already there carry no producer stamps: the read-back starts at the run's first sequence,
        // while the JournalVerifier pass covers the whole journal
        final Path dir = tmp.resolve("journal");
        Journals.write(dir, 10, 8);
        final CliRun run = CliRun.run("load", "--records", "1000", "--dir", dir.toString());

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.out()).contains("sequences 10..1009 contiguous");
    }

    @Test
    void shouldPrintOneLineAndExitTwoWhenLoadArgumentsAreBad()
    {
        final List<String[]> cases = List.of(
            new String[] {"load", "--producers", "0"},
            new String[] {"load", "--record-size", "abc"},
            new String[] {"load", "--record-size", "4"},
            new String[] {"load", "--records", "10", "--duration", "1"},
            new String[] {"load", "--wait-strategy", "spin-forever"},
            new String[] {"load", "--ring-size", "1000"},
            new String[] {"load", "--force-policy", "sometimes"},
            new String[] {"load", "--target", "writer", "--producers", "2"},
            new String[] {"load", "--no-such-option"},
            new String[] {"load", "--record-size", "5000000", "--records", "10"});
        for (final String[] args : cases)
        {
            final CliRun run = CliRun.run(args);
            assertThat(run.exitCode).as(String.join(" ", args) + "\n" + run).isEqualTo(2);
            assertThat(run.errLines()).as(String.join(" ", args) + "\n" + run).hasSize(1);
            assertThat(run.out()).as(String.join(" ", args)).isEmpty();
        }
    }

    @Test
    void shouldPrintOnlyTheErrorAndCreateNothingWhenRecordSizeNeedsMoreRingMemoryThanABufferHolds()
    {
        final Path dir = tmp.resolve("journal");
        final CliRun run = CliRun.run("load", "--record-size", "5000000", "--records", "10", "--dir",
            dir.toString());

        assertThat(run.exitCode).as(run.toString()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).as(run.toString()).singleElement().asString()
            .startsWith("ringwal load: ringSize=8192 x maxRecordSize=5000000 needs ")
            .contains("once every slot has grown to the largest record");
        assertThat(dir).doesNotExist();
    }

    @Test
    void shouldKeepEveryCommandNameWhenCliAndBenchmarkCommandsShareOneCommandLine()
    {
        assertThat(io.ringwal.cli.RingwalCommand.commandLine().getSubcommands().keySet()).contains("load", "jmh",
            "force-cost", "seek-recovery", "verify", "dump", "tail", "help");
        final CliRun load = CliRun.run("load", "--help");
        assertThat(load.exitCode).isZero();
        assertThat(load.out()).contains("Usage: ringwal load").contains("Examples:").contains("Exit codes:");
    }
}
