package io.ringwal.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What one forked run measured: the JSON object a child ({@link RunMain}) prints on its result line, and (inside a
 * {@link Row}) one line of the driver's {@code results.jsonl}. Written and read with Jackson, so every field keeps
 * its type and value: doubles (including NaN, written as {@code "NaN"}), longs, strings with quotes or newlines,
 * and the contender's own counters as a nested object.
 *
 * @param contender        the contender's name.
 * @param workload         the workload's label.
 * @param producers        producers.
 * @param size             record size in bytes.
 * @param rate             offered rate in records per second (0: flat out).
 * @param published        records published, warm-up included.
 * @param measured         records published after the warm-up.
 * @param seconds          the measured time (until everything published was complete).
 * @param recordsPerSec    measured records per second.
 * @param mbPerSec         measured payload MB/s.
 * @param syncedSeconds    the measured time until the files were fsynced after close.
 * @param syncedMbPerSec   measured payload MB/s over {@code syncedSeconds}.
 * @param payloadBytes     payload bytes published, warm-up included.
 * @param diskBytesWritten bytes the data directory's device wrote meanwhile (-1: not measured).
 * @param diskPerPayload   {@code diskBytesWritten / payloadBytes} (NaN: not measured).
 * @param disk             the device, or {@code n/a}.
 * @param completion       what the contender's completion means ({@link Contender.Completion}).
 * @param producerFailures producer threads that threw.
 * @param verdict          {@code ok}, what read-back found wrong, or {@code FAILED ...} when the run failed.
 * @param ok               whether the run and its read-back were correct.
 * @param read             records read back.
 * @param missing          records lost.
 * @param mangled          records read back wrong.
 * @param outOfOrder       records read back out of order.
 * @param problem          the first problem found (or, for a failed run, the tail of its output), or empty.
 * @param call             the publish call's latency.
 * @param complete         the latency from intended send time to completion.
 * @param counters         the contender's own counters ({@link Contender#counters()}).
 */
public record RunResult(String contender, String workload, int producers, int size, long rate, long published,
    long measured, double seconds, double recordsPerSec, double mbPerSec, double syncedSeconds,
    double syncedMbPerSec, long payloadBytes, long diskBytesWritten, double diskPerPayload, String disk,
    String completion, long producerFailures, String verdict, boolean ok, long read, long missing, long mangled,
    long outOfOrder, String problem, Latency call, Latency complete, Map<String, Long> counters)
{
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A latency distribution's summary, in microseconds (NaN when nothing was recorded).
     *
     * @param count   values recorded.
     * @param p50us   the median.
     * @param p99us   the 99th percentile.
     * @param p999us  the 99.9th percentile.
     * @param p9999us the 99.99th percentile.
     * @param maxUs   the maximum.
     */
    public record Latency(long count, double p50us, double p99us, double p999us, double p9999us, double maxUs)
    {
        /** Nothing recorded. */
        public static final Latency NONE = new Latency(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

        /**
         * Summarises a histogram of nanoseconds.
         *
         * @param h the histogram.
         * @return its summary.
         */
        public static Latency of(final Histogram h)
        {
            if (h.getTotalCount() == 0)
            {
                return NONE;
            }
            return new Latency(h.getTotalCount(), h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
                h.getValueAtPercentile(99.9) / 1e3, h.getValueAtPercentile(99.99) / 1e3, h.getMaxValue() / 1e3);
        }
    }

    /**
     * One line of {@code results.jsonl}: where in the driver's run a result belongs.
     *
     * @param cell   the cell.
     * @param rep    the repetition.
     * @param hgrm   the prefix of its latency distribution files.
     * @param result the result.
     */
    public record Row(String cell, int rep, String hgrm, RunResult result)
    {
    }

    /**
     * A run that produced no result line, or failed after it.
     *
     * @param contender the contender.
     * @param verdict   what went wrong ({@code FAILED ...}).
     * @param problem   the tail of its output.
     * @return the result: not ok, nothing measured (an empty workload label marks it).
     */
    public static RunResult failed(final String contender, final String verdict, final String problem)
    {
        return new RunResult(contender, "", 0, 0, 0, 0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN, 0, -1, Double.NaN, "n/a", "", 0, verdict, false, 0, 0, 0, 0, problem, Latency.NONE,
            Latency.NONE, Map.of());
    }

    /**
     * This result marked failed (the child printed it but then did not exit cleanly), its measurements kept.
     *
     * @param failure what went wrong ({@code FAILED ...}).
     * @param output  the tail of its output.
     * @return the failed result.
     */
    public RunResult failedWith(final String failure, final String output)
    {
        return new RunResult(contender, workload, producers, size, rate, published, measured, seconds, recordsPerSec,
            mbPerSec, syncedSeconds, syncedMbPerSec, payloadBytes, diskBytesWritten, diskPerPayload, disk,
            completion, producerFailures, failure, false, read, missing, mangled, outOfOrder, output, call, complete,
            counters);
    }

    /**
     * One of the measures the report ranks by, by its name: {@code recordsPerSec}, {@code mbPerSec},
     * {@code syncedMbPerSec}, {@code payloadBytes}, {@code diskBytesWritten}, {@code diskPerPayload}, or a
     * latency percentile such as {@code completeP99us} or {@code callP999us} (p50, p99, p999, p9999, Max).
     *
     * @param name the measure.
     * @return its value (NaN if not measured, and for every measure of a run that printed no result, see
     *         {@link #failed}).
     * @throws IllegalArgumentException for an unknown name.
     */
    public double measure(final String name)
    {
        final double value = switch (name)
        {
            case "recordsPerSec" -> recordsPerSec;
            case "mbPerSec" -> mbPerSec;
            case "syncedMbPerSec" -> syncedMbPerSec;
            case "payloadBytes" -> payloadBytes;
            case "diskBytesWritten" -> diskBytesWritten < 0 ? Double.NaN : diskBytesWritten;
            case "diskPerPayload" -> diskPerPayload;
            default -> name.startsWith("call") ? latency(call, name.substring(4), name) :
                name.startsWith("complete") ? latency(complete, name.substring(8), name) : unknown(name);
        };
        return workload.isEmpty() ? Double.NaN : value;
    }

    private static double latency(final Latency latency, final String percentile, final String name)
    {
        return switch (percentile)
        {
            case "P50us" -> latency.p50us();
            case "P99us" -> latency.p99us();
            case "P999us" -> latency.p999us();
            case "P9999us" -> latency.p9999us();
            case "MaxUs" -> latency.maxUs();
            default -> unknown(name);
        };
    }

    private static double unknown(final String name)
    {
        throw new IllegalArgumentException("unknown measure " + name);
    }

    /**
     * Writes a value (a result or a {@link Row}) as one line of JSON.
     *
     * @param value the value.
     * @return the JSON, without line breaks.
     */
    public static String toJson(final Object value)
    {
        try
        {
            return JSON.writeValueAsString(value);
        }
        catch (final JsonProcessingException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Reads one line of JSON written by {@link #toJson}.
     *
     * @param json the JSON.
     * @param type {@code RunResult.class} or {@code Row.class}.
     * @param <T>  the type.
     * @return the value.
     * @throws IllegalArgumentException naming the problem and where it is, if the line is not such an object.
     */
    public static <T> T fromJson(final String json, final Class<T> type)
    {
        try
        {
            return JSON.readValue(json, type);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalArgumentException("not a " + type.getSimpleName() + " JSON line: " +
                ex.getOriginalMessage() + (ex.getLocation() == null ? "" : " at column " +
                ex.getLocation().getColumnNr()) + " in: " + json, ex);
        }
    }

    /**
     * Writes the driver's results, one JSON object per line.
     *
     * @param rows the results.
     * @param file the file.
     * @throws IOException on failure.
     */
    public static void writeJsonl(final List<Row> rows, final Path file) throws IOException
    {
        Files.write(file, rows.stream().map(RunResult::toJson).toList(), StandardCharsets.UTF_8);
    }

    /**
     * Reads a {@code results.jsonl} written by {@link #writeJsonl}.
     *
     * @param file the file.
     * @return the results.
     * @throws IOException on failure.
     * @throws IllegalArgumentException naming the line, if a line is not a result.
     */
    public static List<Row> readJsonl(final Path file) throws IOException
    {
        final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        final List<Row> rows = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++)
        {
            try
            {
                rows.add(fromJson(lines.get(i), Row.class));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + ex.getMessage(), ex);
            }
        }
        return rows;
    }
}
