package io.ringwal.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest
{
    @TempDir
    Path out;

    private static RunResult ok(final String contender, final double recordsPerSec, final Map<String, Long> counters)
    {
        return new RunResult(contender, "1p-64B-max", 1, 64, 0, 1_000, 900, 1.0, recordsPerSec,
            recordsPerSec * 64 / 1e6, 1.1, recordsPerSec * 64 / 1.1e6, 64_000, 70_400, 1.1, "sda", "WRITTEN", 0, "ok",
            true, 1_000, 0, 0, 0, "", RunResult.Latency.NONE, RunResult.Latency.NONE, counters);
    }

    @Test
    void shouldRankRunsFromTheirTypedResultsAndNotRankAFailedOne() throws Exception
    {
        final PeersMain.Cell cell = new PeersMain.Cell("noforce-1p-64B", 1, 64, 0,
            List.of("ringwal-never", "group-commit-reused", "chronicle"), "ringwal-never");
        final List<RunResult.Row> rows = List.of(
            new RunResult.Row(cell.name(), 0, "h0", ok("ringwal-never", 2_000_000, Map.of("records", 1_000L))),
            new RunResult.Row(cell.name(), 0, "h1", ok("group-commit-reused", 1_000_000,
                Map.of("poolExhausted", 2L))),
            new RunResult.Row(cell.name(), 0, "h2", RunResult.failed("chronicle", "FAILED (exit 1)", "boom")));

        final String report = Report.render(new Report.Run(List.of(cell), rows, List.of(), 512, 1, 2_000, 500, "1g",
            "0.1", "0.2", 3.0, List.of()), out);

        assertThat(report).contains("| ringwal-never | 2,000,000 | 128.0 |")
            .contains("| group-commit-reused | 1,000,000 | 64.0 |")
            .contains("| 2.00× | 1.10 | ok (1/1) |")
            .contains("| chronicle | (not ranked) |")
            .contains("**1/1 runs bad: FAILED (exit 1)**")
            .contains("**group-commit-reused, repetition 0, outgrew its pool of preallocated files** " +
                "({poolExhausted=2})");
    }
}
