package io.ringwal.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders the driver's results as Markdown tables (medians, spread, ratios to ringwal, verdicts) and the goal
 * checks, and writes the latency plots.
 */
final class Report
{
    private Report()
    {
    }

    /**
     * What one driver run produced and how it was run.
     *
     * @param cells      the cells run.
     * @param results    one map per forked run.
     * @param ddRates    the dd ceilings measured (MB/s), one per repetition.
     * @param ddMib      the dd size in MiB.
     * @param reps       repetitions.
     * @param durationMs timed cells' measured duration.
     * @param warmupMs   timed cells' warm-up.
     * @param heap       the children's heap.
     * @param loadBefore load average before.
     * @param loadAfter  load average after.
     * @param seconds    how long the run took.
     * @param notes      sentences about the machine (device, dirty limits) for the header.
     */
    record Run(List<PeersMain.Cell> cells, List<RunResult.Row> results, List<Double> ddRates, int ddMib,
        int reps, long durationMs, long warmupMs, String heap, String loadBefore, String loadAfter, double seconds,
        List<String> notes)
    {
    }

    static String render(final Run run, final Path out) throws IOException
    {
        final List<RunResult.Row> results = run.results();
        final List<Double> ddRates = run.ddRates();
        final StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Runs: %d repetitions x %d ms measured (+%d ms warm-up), each in a " +
            "fresh JVM (-Xms%s -Xmx%s -XX:+AlwaysPreTouch), contenders interleaved; %d cores; load average " +
            "before [%s] after [%s]; took %.0f s.%n%n", run.reps(), run.durationMs(), run.warmupMs(), run.heap(),
            run.heap(), Runtime.getRuntime().availableProcessors(), run.loadBefore(), run.loadAfter(),
            run.seconds()));
        for (final String note : run.notes())
        {
            sb.append(note).append("\n\n");
        }
        if (!ddRates.isEmpty())
        {
            sb.append(String.format(Locale.ROOT, "Disk ceiling (dd bs=1M count=%d conv=fdatasync): median " +
                "%.0f MB/s, runs %s.%n%n", run.ddMib(), median(ddRates), fmtList(ddRates)));
        }
        for (final PeersMain.Cell cell : run.cells())
        {
            sb.append("### ").append(cell.name()).append(String.format(Locale.ROOT,
                " (%d producer%s, %d B records, %s)%n%n", cell.producers(), cell.producers() > 1 ? "s" : "",
                cell.size(), cell.sustained() ? "flat out for a fixed volume" :
                cell.rate() > 0 ? cell.rate() + " records/s offered" : "flat out"));
            poolWarnings(sb, cell, results);
            if (cell.sustained())
            {
                sustainedTable(sb, cell, results, ddRates);
            }
            else if (cell.rate() == 0)
            {
                throughputTable(sb, cell, results);
            }
            else
            {
                latencyTable(sb, cell, results, out);
            }
        }
        goals(sb, results, ddRates);
        return sb.toString();
    }

    private static List<RunResult.Row> of(final List<RunResult.Row> results, final String cell,
        final String contender)
    {
        return results.stream().filter(r -> cell.equals(r.cell()) && contender.equals(r.result().contender()))
            .toList();
    }

    private static boolean allOk(final List<RunResult.Row> runs)
    {
        return !runs.isEmpty() && runs.stream().allMatch(r -> r.result().ok());
    }

    private static String verdict(final List<RunResult.Row> runs)
    {
        if (allOk(runs))
        {
            return "ok (" + runs.size() + "/" + runs.size() + ")";
        }
        final List<String> bad = runs.stream().filter(r -> !r.result().ok()).map(r -> r.result().verdict()).toList();
        return "**" + bad.size() + "/" + runs.size() + " runs bad: " + String.join("; ", bad) + "**";
    }

    static double median(final List<Double> values)
    {
        final List<Double> v = values.stream().filter(d -> !d.isNaN()).sorted().toList();
        if (v.isEmpty())
        {
            return Double.NaN;
        }
        final int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    private static List<Double> values(final List<RunResult.Row> runs, final String key)
    {
        final List<Double> list = new ArrayList<>();
        for (final RunResult.Row r : runs)
        {
            list.add(r.result().measure(key));
        }
        return list;
    }

    static double medianOf(final List<RunResult.Row> results, final String cell, final String contender,
        final String key)
    {
        return median(values(of(results, cell, contender), key));
    }

    private static String spread(final List<Double> values)
    {
        final double m = median(values);
        final double min = values.stream().filter(d -> !d.isNaN()).min(Double::compare).orElse(Double.NaN);
        final double max = values.stream().filter(d -> !d.isNaN()).max(Double::compare).orElse(Double.NaN);
        return String.format(Locale.ROOT, "-%.0f%% / +%.0f%%", 100 * (m - min) / m, 100 * (max - m) / m);
    }

    private static void throughputTable(final StringBuilder sb, final PeersMain.Cell cell,
        final List<RunResult.Row> results)
    {
        final double ref = allOk(of(results, cell.name(), cell.reference())) ?
            medianOf(results, cell.name(), cell.reference(), "recordsPerSec") : Double.NaN;
        sb.append("| contender | median records/s | MB/s | spread (min / max vs median) | runs (records/s) | " +
            cell.reference() + " ÷ this | disk ÷ payload | read-back |\n|---|---:|---:|---:|---|---:|---:|---|\n");
        for (final String contender : cell.contenders())
        {
            final List<RunResult.Row> runs = of(results, cell.name(), contender);
            final List<Double> rates = values(runs, "recordsPerSec");
            final double m = median(rates);
            final boolean ok = allOk(runs);
            sb.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %s | %s | %s | %s | %s |%n", contender,
                ok ? String.format(Locale.ROOT, "%,.0f", m) : "(not ranked)", median(values(runs, "mbPerSec")),
                spread(rates), fmtList(rates), ok && !Double.isNaN(ref) ? String.format(Locale.ROOT, "%.2f×", ref / m) :
                "—", diskRatio(runs), verdict(runs)));
        }
        sb.append('\n');
    }

    private static void latencyTable(final StringBuilder sb, final PeersMain.Cell cell,
        final List<RunResult.Row> results, final Path out) throws IOException
    {
        sb.append("Latencies in µs, medians of the repetitions' percentiles. \"call\" is how long publish took; " +
            "\"complete\" is from the intended send time until the record was durable (DURABLE) or in the " +
            "file's pages (WRITTEN).\n\n");
        sb.append("| contender | achieved records/s | complete = | call p50 | call p99 | call p99.9 | " +
            "call p99.99 | complete p50 | complete p99 | complete p99.9 | complete p99.99 | complete max | " +
            "disk ÷ payload | read-back |\n|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (final String contender : cell.contenders())
        {
            final List<RunResult.Row> runs = of(results, cell.name(), contender);
            final String completion = runs.isEmpty() ? "?" : runs.get(0).result().completion();
            sb.append(String.format(Locale.ROOT,
                "| %s | %,.0f | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                contender, median(values(runs, "recordsPerSec")), completion,
                us(runs, "callP50us"), us(runs, "callP99us"), us(runs, "callP999us"), us(runs, "callP9999us"),
                us(runs, "completeP50us"), us(runs, "completeP99us"), us(runs, "completeP999us"),
                us(runs, "completeP9999us"), us(runs, "completeMaxUs"), diskRatio(runs), verdict(runs)));
        }
        sb.append('\n');
        for (final String kind : List.of("completion", "call"))
        {
            final Path plotDir = out.resolve("plot").resolve(cell.name() + "-" + kind);
            boolean any = false;
            for (final String contender : cell.contenders())
            {
                final String key = kind.equals("call") ? "callP99us" : "completeP99us";
                final List<RunResult.Row> runs = new ArrayList<>(of(results, cell.name(), contender));
                runs.removeIf(r -> Double.isNaN(r.result().measure(key)));
                if (runs.isEmpty())
                {
                    continue;
                }
                runs.sort(Comparator.comparingDouble(r -> r.result().measure(key)));
                final Path hgrm = Path.of(runs.get(runs.size() / 2).hgrm() + "-" + kind + ".hgrm");
                if (Files.exists(hgrm))
                {
                    PeersMain.copy(hgrm, plotDir.resolve(contender + ".hgrm"));
                    any = true;
                }
            }
            if (any)
            {
                final Path svg = out.resolve("peers-" + cell.name() + "-" + kind + ".svg");
                SvgPlot.write(plotDir, svg, SvgPlot.title(cell.name(), kind));
                sb.append("Plot: `").append(svg.getFileName()).append("` (the repetition with the median p99).\n\n");
            }
        }
    }

    private static void sustainedTable(final StringBuilder sb, final PeersMain.Cell cell,
        final List<RunResult.Row> results, final List<Double> ddRates)
    {
        final double dd = median(ddRates);
        sb.append("Payload MB/s until the last record was written to the page cache, and until every file was " +
            "fsynced after close (what reached the disk); \"÷ dd\" compares the latter with the disk's synced " +
            "bandwidth measured by dd in the same run.\n\n");
        sb.append("| contender | payload GB | median MB/s (written) | median MB/s (to disk, incl. final fsync) | " +
            "÷ dd | runs (MB/s to disk) | disk GB written | disk ÷ payload | read-back |\n" +
            "|---|---:|---:|---:|---:|---|---:|---:|---|\n");
        for (final String contender : cell.contenders())
        {
            final List<RunResult.Row> runs = of(results, cell.name(), contender);
            final List<Double> synced = values(runs, "syncedMbPerSec");
            final double m = median(synced);
            sb.append(String.format(Locale.ROOT, "| %s | %.2f | %.0f | %s | %s | %s | %.2f | %s | %s |%n", contender,
                median(values(runs, "payloadBytes")) / 1e9, median(values(runs, "mbPerSec")),
                allOk(runs) ? String.format(Locale.ROOT, "%.0f", m) : "(not ranked)",
                Double.isNaN(dd) ? "—" : String.format(Locale.ROOT, "%.0f%%", 100 * m / dd), fmtList(synced),
                median(values(runs, "diskBytesWritten")) / 1e9, diskRatio(runs), verdict(runs)));
        }
        sb.append('\n');
    }

    /** Flags runs of the reused group commit that outgrew their pool (and so zero-filled in the foreground). */
    private static void poolWarnings(final StringBuilder sb, final PeersMain.Cell cell,
        final List<RunResult.Row> results)
    {
        for (final RunResult.Row r : results)
        {
            final Map<String, Long> counters = r.result().counters();
            if (cell.name().equals(r.cell()) && counters.getOrDefault("poolExhausted", 0L) > 0)
            {
                sb.append("**").append(r.result().contender()).append(", repetition ").append(r.rep())
                    .append(", outgrew its pool of preallocated files** (").append(counters)
                    .append("): it zero-filled more in the foreground, so it was slower than it would be.\n\n");
            }
        }
    }

    private static String diskRatio(final List<RunResult.Row> runs)
    {
        final double m = median(values(runs, "diskPerPayload"));
        return Double.isNaN(m) ? "n/a" : String.format(Locale.ROOT, "%.2f", m);
    }

    private static String us(final List<RunResult.Row> runs, final String key)
    {
        final double m = median(values(runs, key));
        return Double.isNaN(m) ? "n/a" : m < 10 ? String.format(Locale.ROOT, "%.2f", m) :
            String.format(Locale.ROOT, "%,.0f", m);
    }

    private static String fmtList(final List<Double> values)
    {
        final StringBuilder sb = new StringBuilder();
        for (final double v : values)
        {
            sb.append(sb.length() > 0 ? ", " : "").append(Double.isNaN(v) ? "n/a" :
                v >= 1000 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.0f", v));
        }
        return sb.toString();
    }

    private static void goals(final StringBuilder sb, final List<RunResult.Row> results,
        final List<Double> ddRates)
    {
        sb.append("### Goals (issue 9)\n\n| goal | measured | verdict |\n|---|---:|---|\n");
        final String every = "ringwal-every-batch";
        final String reused = "group-commit-reused";
        final String rps = "recordsPerSec";
        ratioGoal(sb, results, "durable-1p-1KiB", every, reused, rps, 1.0, true);
        ratioGoal(sb, results, "durable-1p-64B", every, reused, rps, 0.8, true);
        ratioGoal(sb, results, "durable-1p-1KiB", every, "chronicle-sync1000", rps, 3.0, true);
        ratioGoal(sb, results, "durable-1p-1KiB", every, "aeron-archive-sync2", rps, 3.0, true);
        ratioGoal(sb, results, "latency-100k-1KiB", every, reused, "completeP50us", 2.0, false);
        ratioGoal(sb, results, "latency-100k-1KiB", every, reused, "completeP99us", 1.5, false);
        limitGoal(sb, results, "durable-1p-1KiB", every, "diskPerPayload", 1.1, "");
        ratioGoal(sb, results, "latency-100k-1KiB", every, reused, "diskPerPayload", 1.1, false);
        // like for like: the reused group commit's files are prepared before the clock, so are these
        final String reserved = "ringwal-every-batch-reserved";
        ratioGoal(sb, results, "durable-1p-1KiB", reserved, reused, rps, 1.0, true);
        ratioGoal(sb, results, "durable-1p-64B", reserved, reused, rps, 0.8, true);
        ratioGoal(sb, results, "latency-100k-1KiB", reserved, reused, "completeP50us", 2.0, false);
        ratioGoal(sb, results, "latency-100k-1KiB", reserved, reused, "completeP99us", 1.5, false);
        ratioGoal(sb, results, "noforce-1p-64B", "ringwal-never", "chronicle", rps, 1.5, true);
        ratioGoal(sb, results, "noforce-1p-1KiB", "ringwal-never", "chronicle", rps, 1.5, true);
        ratioGoal(sb, results, "noforce-1p-64B", "ringwal-never", "naive-mmap", rps, 1.0, true);
        ratioGoal(sb, results, "noforce-1p-1KiB", "ringwal-never", "naive-mmap", rps, 1.0, true);
        ratioGoal(sb, results, "noforce-2p-64B", "ringwal-never", "chronicle", rps, 1.5, true);
        if (!ddRates.isEmpty())
        {
            final List<RunResult.Row> runs = of(results, "sustained-noforce-1p-1KiB", "ringwal-never");
            final String goal = "sustained-noforce-1p-1KiB: ringwal-never payload MB/s to disk ≥ 90% of dd";
            if (runs.isEmpty())
            {
                sb.append("| ").append(goal).append(" | not run | — |\n");
            }
            else
            {
                final double mb = median(values(runs, "syncedMbPerSec"));
                final double share = mb / median(ddRates);
                sb.append(String.format(Locale.ROOT, "| %s | %.0f of %.0f MB/s = %.0f%% | %s |%n", goal, mb,
                    median(ddRates), 100 * share, !allOk(runs) ? "read-back failed" : share >= 0.9 ? "met" :
                    "**missed**"));
            }
        }
        limitGoal(sb, results, "latency-500k-64B", "ringwal-never", "completeP99us", 100, " µs");
        limitGoal(sb, results, "latency-500k-64B", "ringwal-never", "completeP999us", 1000, " µs");
        limitGoal(sb, results, "latency-500k-64B", "ringwal-never", "callP999us", 1, " µs");
        sb.append('\n');
    }

    /**
     * A goal on the ratio of two contenders' medians of one measure: ringwal's at least {@code target} times the
     * peer's (throughput), or at most (latency, disk bytes).
     */
    private static void ratioGoal(final StringBuilder sb, final List<RunResult.Row> results,
        final String cell, final String ringwal, final String peer, final String key, final double target,
        final boolean atLeast)
    {
        final List<RunResult.Row> a = of(results, cell, ringwal);
        final List<RunResult.Row> b = of(results, cell, peer);
        final String goal = String.format(Locale.ROOT, "%s: %s %s %s %.2f× %s's", cell, ringwal, key,
            atLeast ? "≥" : "≤", target, peer);
        if (a.isEmpty() || b.isEmpty())
        {
            sb.append("| ").append(goal).append(" | not run | — |\n");
            return;
        }
        if (!allOk(a) || !allOk(b))
        {
            sb.append("| ").append(goal).append(" | a contender failed read-back | not ranked |\n");
            return;
        }
        final double ratio = median(values(a, key)) / median(values(b, key));
        final boolean met = atLeast ? ratio >= target : ratio <= target;
        sb.append(String.format(Locale.ROOT, "| %s | %.2f× | %s |%n", goal, ratio, met ? "met" : "**missed**"));
    }

    private static void limitGoal(final StringBuilder sb, final List<RunResult.Row> results,
        final String cell, final String contender, final String key, final double limit, final String unit)
    {
        final List<RunResult.Row> runs = of(results, cell, contender);
        final String goal = String.format(Locale.ROOT, "%s: %s %s ≤ %s%s", cell, contender, key, limit, unit);
        if (runs.isEmpty())
        {
            sb.append("| ").append(goal).append(" | not run | — |\n");
            return;
        }
        final double m = median(values(runs, key));
        sb.append(String.format(Locale.ROOT, "| %s | %.2f%s | %s |%n", goal, m, unit,
            !allOk(runs) ? "read-back failed" : m <= limit ? "met" : "**missed**"));
    }
}
