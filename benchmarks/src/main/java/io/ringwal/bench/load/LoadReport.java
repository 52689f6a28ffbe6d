package io.ringwal.bench.load;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.HdrHistogram.Histogram;

import io.ringwal.cli.JsonText;

/**
 * Formats a {@link LoadResult} and its {@link VerifyResult} as text or as one JSON object, and writes the
 * histograms in HdrHistogram's percentile-distribution format.
 */
public final class LoadReport
{
    private static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99};
    private static final String[] PERCENTILE_NAMES = {"p50", "p90", "p99", "p99.9", "p99.99"};

    private LoadReport()
    {
    }

    /**
     * The human-readable report.
     *
     * @param settings one line describing the settings.
     * @param result   the run.
     * @param verify   the verification, or null if not run.
     * @return the text, several lines.
     */
    public static String text(final String settings, final LoadResult result, final VerifyResult verify)
    {
        final StringBuilder sb = new StringBuilder(2048);
        final CounterSnapshot c = result.counters;
        final double seconds = result.elapsedNanos / 1e9;
        sb.append("== ringwal load report ==\n");
        sb.append("settings      ").append(settings).append('\n');
        sb.append(String.format(Locale.ROOT, "throughput    %,d records in %.2f s: %,.0f records/s, %.1f MB/s of " +
            "payload (MB = 10^6 bytes); final drain+force %.1f ms%n", result.records, seconds,
            result.recordsPerSecond(), result.megabytesPerSecond(), result.finishNanos / 1e6));
        sb.append("latency (us)  p50 / p90 / p99 / p99.9 / p99.99 / max\n");
        sb.append(latencyLine("  publish     ", result.publishLatency));
        sb.append(latencyLine("  ->durable   ", result.durableLatency));
        if (result.rate > 0)
        {
            sb.append("              measured from each record's intended send time (rate ").append(result.rate)
                .append("/s): coordinated omission is accounted for\n");
        }
        if (result.durableUnrecorded > 0 || result.durableLogOverruns > 0)
        {
            sb.append("              ").append(result.durableUnrecorded)
                .append(" records' durable latency not recorded (more than ").append(Producer.PENDING_CAPACITY)
                .append(" pending in one producer); durable log overruns ").append(result.durableLogOverruns)
                .append('\n');
        }
        sb.append(String.format(Locale.ROOT, "forces        %,d (%,.0f/s), total %.1f ms, forced %.1f MB (%.2fx " +
            "payload); rotation header+directory forces %,d (%.1f ms)%n", c.forces, c.forces / seconds,
            c.forceNanos / 1e6, c.forcedBytes / 1e6, result.bytes > 0 ? (double)c.forcedBytes / result.bytes : 0.0,
            result.rotationForces, result.rotationForceNanos / 1e6));
        sb.append(latencyLine("  force (us)  ", result.forceTimes));
        sb.append(String.format(Locale.ROOT, "writer        batches %,d (%.1f records/batch); rotations %,d%s; " +
            "allocator waits %,d (%.1f ms); ring full %,d; segments prepared: %,d direct, %,d page-sized, " +
            "%,d buffered%n",
            c.batches, c.batches > 0 ? (double)result.records / c.batches : 0.0, c.rotations,
            c.rotationNanos >= 0 ? String.format(Locale.ROOT, " (%.1f ms)", c.rotationNanos / 1e6) : "",
            c.allocatorWaits, c.allocatorWaitNanos / 1e6, c.ringFull, c.segmentsDirect, c.segmentsBufferedPages,
            c.segmentsBuffered));
        sb.append(String.format(Locale.ROOT, "gc            %d collections, %d ms%n", result.gcCount,
            result.gcTimeMillis));
        sb.append(String.format(Locale.ROOT, "threads       %s = %d threads on %d cores; process CPU %.2f cores%n",
            result.threads, result.producers + result.targetThreads, result.availableProcessors,
            result.processCpuNanos < 0 ? Double.NaN : result.processCpuNanos / (double)result.elapsedNanos));
        if (verify != null)
        {
            sb.append(String.format(Locale.ROOT, "verify        %s in %.2f s: %s%n", verify.ok() ? "PASSED" : "FAILED",
                verify.nanos() / 1e9, verify.message()));
        }
        return sb.toString();
    }

    private static String latencyLine(final String label, final Histogram histogram)
    {
        final StringBuilder sb = new StringBuilder(label);
        if (histogram.getTotalCount() == 0)
        {
            return sb.append("(no samples)\n").toString();
        }
        for (final double percentile : PERCENTILES)
        {
            sb.append(String.format(Locale.ROOT, "%,.1f / ", histogram.getValueAtPercentile(percentile) / 1e3));
        }
        sb.append(String.format(Locale.ROOT, "%,.1f  (%,d samples)%n", histogram.getMaxValue() / 1e3,
            histogram.getTotalCount()));
        return sb.toString();
    }

    /**
     * The report as one JSON object (latencies in nanoseconds).
     *
     * @param directory the journal directory.
     * @param target    the target name.
     * @param settings  the settings line.
     * @param result    the run.
     * @param verify    the verification, or null.
     * @return the JSON text.
     */
    public static String json(
        final String directory,
        final String target,
        final String settings,
        final LoadResult result,
        final VerifyResult verify)
    {
        final CounterSnapshot c = result.counters;
        final StringBuilder sb = new StringBuilder(4096);
        sb.append('{');
        field(sb, "directory", directory).append(',');
        field(sb, "target", target).append(',');
        field(sb, "settings", settings).append(',');
        sb.append("\"producers\":").append(result.producers).append(',');
        sb.append("\"records\":").append(result.records).append(',');
        sb.append("\"recordsPerProducer\":[");
        for (int i = 0; i < result.publishedPerProducer.length; i++)
        {
            sb.append(i > 0 ? "," : "").append(result.publishedPerProducer[i]);
        }
        sb.append("],");
        sb.append("\"payloadBytes\":").append(result.bytes).append(',');
        sb.append("\"firstSequence\":").append(result.firstSequence).append(',');
        sb.append("\"elapsedNanos\":").append(result.elapsedNanos).append(',');
        sb.append("\"finishNanos\":").append(result.finishNanos).append(',');
        sb.append(String.format(Locale.ROOT, "\"recordsPerSecond\":%.1f,", result.recordsPerSecond()));
        sb.append(String.format(Locale.ROOT, "\"megabytesPerSecond\":%.3f,", result.megabytesPerSecond()));
        sb.append("\"rate\":").append(result.rate).append(',');
        sb.append("\"publishLatencyNanos\":");
        histogramJson(sb, result.publishLatency).append(',');
        sb.append("\"durableLatencyNanos\":");
        histogramJson(sb, result.durableLatency).append(',');
        sb.append("\"durableUnrecorded\":").append(result.durableUnrecorded).append(',');
        sb.append("\"durableLogOverruns\":").append(result.durableLogOverruns).append(',');
        sb.append("\"forces\":").append(c.forces).append(',');
        sb.append("\"forceNanos\":").append(c.forceNanos).append(',');
        sb.append("\"forceTimeNanos\":");
        histogramJson(sb, result.forceTimes).append(',');
        sb.append("\"forcedBytes\":").append(c.forcedBytes).append(',');
        sb.append("\"rotationForces\":").append(result.rotationForces).append(',');
        sb.append("\"rotationForceNanos\":").append(result.rotationForceNanos).append(',');
        sb.append("\"batches\":").append(c.batches).append(',');
        sb.append("\"rotations\":").append(c.rotations).append(',');
        sb.append("\"rotationNanos\":").append(c.rotationNanos).append(',');
        sb.append("\"allocatorWaits\":").append(c.allocatorWaits).append(',');
        sb.append("\"allocatorWaitNanos\":").append(c.allocatorWaitNanos).append(',');
        sb.append("\"ringFull\":").append(c.ringFull).append(',');
        sb.append("\"segmentsDirect\":").append(c.segmentsDirect).append(',');
        sb.append("\"segmentsBufferedPages\":").append(c.segmentsBufferedPages).append(',');
        sb.append("\"segmentsBuffered\":").append(c.segmentsBuffered).append(',');
        sb.append("\"gcCount\":").append(result.gcCount).append(',');
        sb.append("\"gcTimeMillis\":").append(result.gcTimeMillis).append(',');
        sb.append("\"processCpuNanos\":").append(result.processCpuNanos).append(',');
        sb.append("\"availableProcessors\":").append(result.availableProcessors).append(',');
        sb.append("\"threads\":{\"producers\":").append(result.producers).append(",\"journal\":")
            .append(result.targetThreads).append(",\"total\":").append(result.producers + result.targetThreads)
            .append(',');
        field(sb, "description", result.threads).append('}');
        if (verify != null)
        {
            sb.append(",\"verify\":{\"ok\":").append(verify.ok()).append(",\"records\":").append(verify.records())
                .append(",\"nanos\":").append(verify.nanos()).append(',');
            field(sb, "message", verify.message()).append('}');
        }
        return sb.append('}').toString();
    }

    /**
     * Writes the publish, publish&rarr;durable and force-time histograms into {@code directory}, one file each, in
     * HdrHistogram's {@code outputPercentileDistribution} format with values in microseconds.
     *
     * @param directory where to write (created if missing).
     * @param result    the run.
     * @return the files written.
     * @throws IOException if a file cannot be written.
     */
    public static List<Path> writeHistograms(final Path directory, final LoadResult result) throws IOException
    {
        Files.createDirectories(directory);
        final List<Path> files = new ArrayList<>(3);
        files.add(writeHistogram(directory.resolve("publish-latency.hgrm"), result.publishLatency));
        files.add(writeHistogram(directory.resolve("durable-latency.hgrm"), result.durableLatency));
        files.add(writeHistogram(directory.resolve("force-time.hgrm"), result.forceTimes));
        return files;
    }

    private static Path writeHistogram(final Path file, final Histogram histogram) throws IOException
    {
        try (PrintStream out = new PrintStream(Files.newOutputStream(file), false, "UTF-8"))
        {
            histogram.outputPercentileDistribution(out, 1000.0);
            if (out.checkError())
            {
                throw new IOException("could not write " + file);
            }
        }
        return file;
    }

    private static StringBuilder histogramJson(final StringBuilder sb, final Histogram histogram)
    {
        sb.append("{\"count\":").append(histogram.getTotalCount());
        if (histogram.getTotalCount() > 0)
        {
            for (int i = 0; i < PERCENTILES.length; i++)
            {
                sb.append(",\"").append(PERCENTILE_NAMES[i]).append("\":")
                    .append(histogram.getValueAtPercentile(PERCENTILES[i]));
            }
            sb.append(",\"max\":").append(histogram.getMaxValue());
            sb.append(String.format(Locale.ROOT, ",\"mean\":%.1f", histogram.getMean()));
        }
        return sb.append('}');
    }

    /**
     * Appends {@code "name":"value"} with the value escaped for JSON.
     *
     * @param sb    where to append.
     * @param name  the field name (plain ASCII).
     * @param value the value.
     * @return {@code sb}.
     */
    public static StringBuilder field(final StringBuilder sb, final String name, final String value)
    {
        sb.append('"').append(name).append("\":");
        return string(sb, value);
    }

    /**
     * Appends a JSON string literal.
     *
     * @param sb    where to append.
     * @param value the value.
     * @return {@code sb}.
     */
    public static StringBuilder string(final StringBuilder sb, final String value)
    {
        return sb.append(JsonText.quote(value));
    }
}
