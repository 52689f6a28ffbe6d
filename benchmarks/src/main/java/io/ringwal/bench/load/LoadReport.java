package io.ringwal.bench.load;

import java.util.Locale;

import org.HdrHistogram.Histogram;

/**
 * Formats a {@link LoadResult} and its {@link VerifyResult} as text or as one JSON object.
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
        sb.append("settings     ").append(settings).append('\n');
        sb.append(String.format(Locale.ROOT, "records      %,d in %.2f s: %,.0f records/s, %.1f MB/s of payload " +
            "(MB = 10^6 bytes)%n", result.records, seconds, result.recordsPerSecond(), result.megabytesPerSecond()));
        sb.append(latencyLine("append (us)  ", result.appendLatency));
        sb.append(latencyLine("durable (us) ", result.durableLatency));
        if (result.rate > 0)
        {
            sb.append("             latencies are measured from each record's intended send time (rate ")
                .append(result.rate).append("/s): coordinated omission is accounted for\n");
        }
        if (result.durableUnrecorded > 0)
        {
            sb.append("             ").append(result.durableUnrecorded)
                .append(" records' durable latency not recorded (more than ")
                .append(LoadGenerator.PENDING_CAPACITY).append(" pending at once)\n");
        }
        sb.append(String.format(Locale.ROOT, "forces       %,d (%,.0f/s), force time total %.1f ms, mean %.1f us, " +
            "forced %.1f MB (%.2f× payload)%n", c.forces, c.forces / seconds, c.forceNanos / 1e6,
            c.forces > 0 ? c.forceNanos / 1e3 / c.forces : 0.0, c.forcedBytes / 1e6,
            result.bytes > 0 ? (double)c.forcedBytes / result.bytes : 0.0));
        sb.append(String.format(Locale.ROOT, "batches      %,d; rotations %,d (%.1f ms); allocator waits %,d " +
            "(%.1f ms)%n", c.batches, c.rotations, c.rotationNanos / 1e6, c.allocatorWaits,
            c.allocatorWaitNanos / 1e6));
        sb.append(String.format(Locale.ROOT, "gc           %d collections, %d ms%n", result.gcCount,
            result.gcTimeMillis));
        sb.append(String.format(Locale.ROOT, "threads      %s; %d cores available; process CPU %.2f cores, " +
            "producer thread CPU %.2f cores%n", result.threads, result.availableProcessors,
            result.processCpuNanos < 0 ? Double.NaN : result.processCpuNanos / (double)result.elapsedNanos,
            result.producerCpuNanos < 0 ? Double.NaN : result.producerCpuNanos / (double)result.elapsedNanos));
        if (verify != null)
        {
            sb.append(String.format(Locale.ROOT, "verify       %s (%s, %.2f s, %,.0f records/s)%n",
                verify.ok() ? "PASSED" : "FAILED", verify.message(), verify.nanos() / 1e9,
                verify.nanos() > 0 ? verify.records() * 1e9 / verify.nanos() : 0.0));
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
        for (int i = 0; i < PERCENTILES.length; i++)
        {
            sb.append(String.format(Locale.ROOT, "%s %,.1f  ", PERCENTILE_NAMES[i],
                histogram.getValueAtPercentile(PERCENTILES[i]) / 1e3));
        }
        sb.append(String.format(Locale.ROOT, "max %,.1f%n", histogram.getMaxValue() / 1e3));
        return sb.toString();
    }

    /**
     * The report as one JSON object (latencies in nanoseconds).
     *
     * @param directory the journal directory.
     * @param settings  the settings line.
     * @param result    the run.
     * @param verify    the verification, or null.
     * @return the JSON text.
     */
    public static String json(
        final String directory, final String settings, final LoadResult result, final VerifyResult verify)
    {
        final CounterSnapshot c = result.counters;
        final StringBuilder sb = new StringBuilder(2048);
        sb.append('{');
        field(sb, "directory", directory).append(',');
        field(sb, "settings", settings).append(',');
        sb.append("\"records\":").append(result.records).append(',');
        sb.append("\"payloadBytes\":").append(result.bytes).append(',');
        sb.append("\"elapsedNanos\":").append(result.elapsedNanos).append(',');
        sb.append(String.format(Locale.ROOT, "\"recordsPerSecond\":%.1f,", result.recordsPerSecond()));
        sb.append(String.format(Locale.ROOT, "\"megabytesPerSecond\":%.3f,", result.megabytesPerSecond()));
        sb.append("\"rate\":").append(result.rate).append(',');
        sb.append("\"appendLatencyNanos\":");
        histogramJson(sb, result.appendLatency).append(',');
        sb.append("\"durableLatencyNanos\":");
        histogramJson(sb, result.durableLatency).append(',');
        sb.append("\"durableUnrecorded\":").append(result.durableUnrecorded).append(',');
        sb.append("\"forces\":").append(c.forces).append(',');
        sb.append("\"forceNanos\":").append(c.forceNanos).append(',');
        sb.append("\"forcedBytes\":").append(c.forcedBytes).append(',');
        sb.append("\"batches\":").append(c.batches).append(',');
        sb.append("\"rotations\":").append(c.rotations).append(',');
        sb.append("\"rotationNanos\":").append(c.rotationNanos).append(',');
        sb.append("\"allocatorWaits\":").append(c.allocatorWaits).append(',');
        sb.append("\"allocatorWaitNanos\":").append(c.allocatorWaitNanos).append(',');
        sb.append("\"gcCount\":").append(result.gcCount).append(',');
        sb.append("\"gcTimeMillis\":").append(result.gcTimeMillis).append(',');
        sb.append("\"processCpuNanos\":").append(result.processCpuNanos).append(',');
        sb.append("\"producerCpuNanos\":").append(result.producerCpuNanos).append(',');
        sb.append("\"availableProcessors\":").append(result.availableProcessors).append(',');
        field(sb, "threads", result.threads);
        if (verify != null)
        {
            sb.append(",\"verify\":{\"ok\":").append(verify.ok()).append(",\"records\":").append(verify.records())
                .append(",\"nanos\":").append(verify.nanos()).append(',');
            field(sb, "message", verify.message()).append('}');
        }
        return sb.append('}').toString();
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

    private static StringBuilder field(final StringBuilder sb, final String name, final String value)
    {
        sb.append('"').append(name).append("\":\"");
        for (int i = 0; i < value.length(); i++)
        {
            final char ch = value.charAt(i);
            if (ch == '"' || ch == '\\')
            {
                sb.append('\\').append(ch);
            }
            else if (ch < 0x20)
            {
                sb.append(String.format(Locale.ROOT, "\\u%04x", (int)ch));
            }
            else
            {
                sb.append(ch);
            }
        }
        return sb.append('"');
    }
}
