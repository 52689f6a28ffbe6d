package io.ringwal.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunResultJsonTest
{
    @TempDir
    Path dir;

    private static RunResult sample()
    {
        final Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("records", 4_992_768L);
        counters.put("forceMs", 0L);
        counters.put("recordedPosition", Long.MAX_VALUE);
        counters.put("negative", Long.MIN_VALUE);
        final Histogram h = new Histogram(60_000_000_000L, 3);
        for (int i = 1; i <= 10_000; i++)
        {
            h.recordValue(i * 1_003L);
        }
        return new RunResult("ringwal-every-batch", "1p-1KiB-100000/s", 2, 1024, 100_000, Long.MAX_VALUE,
            4_538_816, 2.140_000_000_1, 1.0 / 3, 135.722_333_444_555, 1e-9, Double.MAX_VALUE, 1L << 40, -1,
            Double.NaN, "sda (8:0) \"rotational\" \\ back\\slash", "DURABLE", 0,
            "LOST 3 \"quoted\"", false, 4_000, 3, 0, 0,
            "line one\nline two\twith a tab, a \"quote\", a } brace, µs → and \u0001", RunResult.Latency.of(h),
            RunResult.Latency.NONE, counters);
    }

    @Test
    void shouldKeepEveryFieldOfAResultLineWhenWrittenAndReadBack()
    {
        final RunResult result = sample();

        final String json = RunResult.toJson(result);
        final RunResult back = RunResult.fromJson(json, RunResult.class);

        assertThat(json).doesNotContain("\n").startsWith("{\"contender\":\"ringwal-every-batch\"");
        assertThat(back).isEqualTo(result);
        assertThat(back.problem()).isEqualTo(result.problem());
        assertThat(back.disk()).isEqualTo(result.disk());
        assertThat(back.seconds()).isEqualTo(2.140_000_000_1);
        assertThat(back.recordsPerSec()).isEqualTo(1.0 / 3);
        assertThat(back.syncedSeconds()).isEqualTo(1e-9);
        assertThat(back.syncedMbPerSec()).isEqualTo(Double.MAX_VALUE);
        assertThat(back.diskPerPayload()).isNaN();
        assertThat(back.published()).isEqualTo(Long.MAX_VALUE);
        assertThat(back.diskBytesWritten()).isEqualTo(-1);
        assertThat(back.call()).isEqualTo(result.call());
        assertThat(back.call().count()).isEqualTo(10_000);
        assertThat(back.complete().p99us()).isNaN();
        assertThat(back.counters()).containsExactlyEntriesOf(result.counters());
    }

    @Test
    void shouldWriteTheCountersAsANestedObject()
    {
        final String json = RunResult.toJson(sample());

        assertThat(json).contains("\"counters\":{\"records\":4992768,\"forceMs\":0,\"recordedPosition\":" +
            Long.MAX_VALUE + ",\"negative\":" + Long.MIN_VALUE + "}");
        assertThat(json).contains("\"published\":" + Long.MAX_VALUE + ",");
    }

    @Test
    void shouldKeepEveryRowWhenResultsJsonlIsWrittenAndReadBack() throws Exception
    {
        final List<RunResult.Row> rows = List.of(
            new RunResult.Row("latency-100k-1KiB", 0, "/tmp/hgrm/a \"b\"", sample()),
            new RunResult.Row("noforce-1p-64B", 2, null, RunResult.failed("chronicle", "FAILED (exit 1)",
                "Exception in thread \"main\" java.lang.IllegalStateException: x | \tat Foo.bar(Foo.java:1)")));
        final Path file = dir.resolve("results.jsonl");

        RunResult.writeJsonl(rows, file);

        assertThat(Files.readAllLines(file)).hasSize(2);
        assertThat(RunResult.readJsonl(file)).isEqualTo(rows);
    }

    @Test
    void shouldNameTheLineAndTheProblemWhenAResultsLineIsNotAResult() throws Exception
    {
        final Path file = dir.resolve("results.jsonl");
        Files.write(file, List.of(RunResult.toJson(new RunResult.Row("c", 0, "h", sample())),
            "{\"cell\":\"c\",\"rep\":\"not a number\"}"));

        assertThatThrownBy(() -> RunResult.readJsonl(file))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("line 2")
            .hasMessageContaining("not a number");
    }

    @Test
    void shouldRejectAResultLineWithAnUnknownField()
    {
        assertThatThrownBy(() -> RunResult.fromJson("{\"contender\":\"x\",\"surprise\":1}", RunResult.class))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("surprise");
    }

    @Test
    void shouldNameTheMeasuresTheReportRanksBy()
    {
        final RunResult result = sample();

        assertThat(result.measure("recordsPerSec")).isEqualTo(1.0 / 3);
        assertThat(result.measure("callP99us")).isEqualTo(result.call().p99us());
        assertThat(result.measure("completeMaxUs")).isNaN();
        assertThat(result.measure("payloadBytes")).isEqualTo(1L << 40);
        assertThatThrownBy(() -> result.measure("callP98us")).hasMessageContaining("callP98us");
    }
}
