package io.ringwal.bench.latency;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;
import org.agrona.concurrent.UnsafeBuffer;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import com.lmax.disruptor.dsl.ProducerType;

import io.ringwal.bench.jmh.BenchDirs;
import io.ringwal.disruptor.Framing;
import io.ringwal.disruptor.JournalPipeline;
import io.ringwal.disruptor.JournalPipelineBuilder;
import io.ringwal.disruptor.PipelineCounters;
import io.ringwal.journal.ForcePolicy;
import io.ringwal.journal.JournalConfig;

/**
 * Publish-call latency of {@link JournalPipeline#publish(org.agrona.DirectBuffer, int, int)} at a fixed offered
 * rate from one producer thread. JMH's {@code SampleTime} mode measures back-to-back calls, not paced ones, so
 * this is a plain main class.
 *
 * <p>The producer computes each record's intended send time from the start of the schedule
 * ({@code start + i / rate}), spins until then, and records two values per record in preallocated
 * {@link Histogram}s (recording allocates nothing): the duration of the {@code publish} call itself, and the time
 * from the intended send time to the call's return. When the producer falls behind (a stalled call), it sends the
 * late records at once, and the second histogram charges the wait to every record that was due meanwhile
 * (no coordinated omission). A warm-up phase of the same shape runs first and is discarded.
 *
 * <p>Run: {@code java --add-opens java.base/jdk.internal.misc=ALL-UNNAMED -cp benchmarks/target/ringwal.jar
 * io.ringwal.bench.latency.PublishLatency --rate 1000000 --seconds 10}; {@code --help} lists the options.
 */
public final class PublishLatency
{
    private static final long HIGHEST_TRACKABLE_NANOS = TimeUnit.SECONDS.toNanos(60);

    private long rate = 1_000_000;
    private int seconds = 10;
    private int warmupSeconds = 5;
    private int payloadSize = 64;
    private String forcePolicy = "never";
    private String waitStrategy = "phased";
    private Framing framing = Framing.WRITER;
    private ProducerType producerType = ProducerType.MULTI;
    private int ringSize = JournalPipelineBuilder.DEFAULT_RING_SIZE;
    private int segmentMiB = 256;
    private boolean backgroundWriteBack = true;
    private String directory;

    private PublishLatency()
    {
    }

    /**
     * Runs the measurement and prints the result.
     *
     * @param args options; {@code --help} lists them.
     */
    public static void main(final String[] args)
    {
        final PublishLatency run = new PublishLatency();
        if (!run.parse(args))
        {
            return;
        }
        run.run();
    }

    private boolean parse(final String[] args)
    {
        for (int i = 0; i < args.length; i++)
        {
            final String name = args[i];
            if ("--help".equals(name) || "-h".equals(name))
            {
                System.out.println(String.join(System.lineSeparator(),
                    "PublishLatency: paced publish latency of the journal pipeline, one producer",
                    "  --rate N             records/s offered (default 1000000)",
                    "  --seconds N          measured seconds (default 10)",
                    "  --warmup-seconds N   warm-up seconds, discarded (default 5)",
                    "  --payload N          payload bytes (default 64)",
                    "  --force-policy P     never | every-batch | bounded:<ms>ms:<bytes> (default never)",
                    "  --wait-strategy W    phased | liteTimeout | yielding | sleeping | busySpin (default phased)",
                    "  --framing F          WRITER | PRODUCER (default WRITER)",
                    "  --producer-type T    SINGLE | MULTI (default MULTI, the pipeline default)",
                    "  --ring-size N        ring slots, a power of two (default " +
                        JournalPipelineBuilder.DEFAULT_RING_SIZE + ")",
                    "  --segment-mib N      segment size in MiB (default 256)",
                    "  --background-write-back B  true | false (default true)",
                    "  --dir PATH           journal directory (default: a fresh one under ringwal-data/jmh, " +
                        "deleted after the run)"));
                return false;
            }
            if (i + 1 >= args.length)
            {
                throw new IllegalArgumentException("option " + name + " needs a value");
            }
            final String value = args[++i];
            switch (name)
            {
                case "--rate" -> rate = Long.parseLong(value);
                case "--seconds" -> seconds = Integer.parseInt(value);
                case "--warmup-seconds" -> warmupSeconds = Integer.parseInt(value);
                case "--payload" -> payloadSize = Integer.parseInt(value);
                case "--force-policy" -> forcePolicy = value;
                case "--wait-strategy" -> waitStrategy = value;
                case "--framing" -> framing = Framing.valueOf(value);
                case "--producer-type" -> producerType = ProducerType.valueOf(value);
                case "--ring-size" -> ringSize = Integer.parseInt(value);
                case "--segment-mib" -> segmentMiB = Integer.parseInt(value);
                case "--background-write-back" -> backgroundWriteBack = parseBoolean(name, value);
                case "--dir" -> directory = value;
                default -> throw new IllegalArgumentException("unknown option " + name + " (try --help)");
            }
        }
        if (rate <= 0 || seconds <= 0 || warmupSeconds < 0 || payloadSize < 0)
        {
            throw new IllegalArgumentException("--rate and --seconds must be positive, --warmup-seconds and " +
                "--payload not negative");
        }
        return true;
    }

    private static WaitStrategy strategy(final String name)
    {
        return switch (name)
        {
            case "phased" -> null;
            case "liteTimeout" -> new com.lmax.disruptor.LiteTimeoutBlockingWaitStrategy(10, java.util.concurrent.TimeUnit.MILLISECONDS);
            case "yielding" -> new YieldingWaitStrategy();
            case "sleeping" -> new SleepingWaitStrategy();
            case "busySpin" -> new BusySpinWaitStrategy();
            default -> throw new IllegalArgumentException("--wait-strategy " + name +
                " is not one of liteTimeout, yielding, sleeping, busySpin");
        };
    }

    private static boolean parseBoolean(final String name, final String value)
    {
        return switch (value)
        {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("option " + name + " takes true or false, not " + value);
        };
    }

    private void run()
    {
        final Path dir = directory != null ? Paths.get(directory) : BenchDirs.fresh("publish-latency");
        final JournalPipelineBuilder builder = JournalPipeline.builder(dir)
            .journalConfig(JournalConfig.builder()
                .segmentSize(segmentMiB * 1024 * 1024)
                .forcePolicy(ForcePolicy.parse(forcePolicy))
                .backgroundWriteBack(backgroundWriteBack)
                .build())
            .ringSize(ringSize)
            .maxRecordSize(Math.max(payloadSize, 64))
            .producerType(producerType)
            .framing(framing);
        final WaitStrategy strategy = strategy(waitStrategy);
        if (strategy != null)
        {
            builder.waitStrategy(strategy);
        }
        final UnsafeBuffer payload = new UnsafeBuffer(ByteBuffer.allocateDirect(Math.max(1, payloadSize)));
        final Histogram call = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
        final Histogram fromIntended = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
        final Histogram clock = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
        calibrateClock(clock);

        System.out.printf(Locale.ROOT, "PublishLatency: %,d records/s offered, %d s warm-up + %d s measured, " +
            "%d B payload, force %s, wait %s, framing %s, producer %s, ring %d, segments %d MiB, background write-back %s, dir %s%n", rate,
            warmupSeconds, seconds, payloadSize, forcePolicy, waitStrategy, framing, producerType, ringSize,
            segmentMiB, backgroundWriteBack, dir);
        final JournalPipeline pipeline = builder.build().start();
        try
        {
            if (warmupSeconds > 0)
            {
                paced(pipeline, payload, (long)warmupSeconds * rate, call, fromIntended);
                call.reset();
                fromIntended.reset();
            }
            final long gcBefore = gcCount();
            final long ringFullBefore = pipeline.counters().ringFull();
            final long recordsBefore = pipeline.counters().records();
            final long batchesBefore = pipeline.counters().batches();
            final long rotationsBefore = pipeline.counters().rotations();
            final long forcesBefore = pipeline.counters().forces();
            final long count = (long)seconds * rate;
            final long elapsed = paced(pipeline, payload, count, call, fromIntended);
            final PipelineCounters counters = pipeline.counters();
            final long gcs = gcCount() - gcBefore;
            System.out.printf(Locale.ROOT, "sent %,d records in %.3f s: %,.0f records/s achieved (%,d offered)%n",
                count, elapsed / 1e9, count * 1e9 / elapsed, rate);
            final long written = counters.records() - recordsBefore;
            final long batches = counters.batches() - batchesBefore;
            System.out.printf(Locale.ROOT, "writer: %,d records in %,d batches (%.1f records/batch), %d rotations, " +
                "%d forces; ring-full publishes %,d; GC collections during measurement %d%n", written, batches,
                batches == 0 ? 0.0 : (double)written / batches, counters.rotations() - rotationsBefore,
                counters.forces() - forcesBefore, counters.ringFull() - ringFullBefore, gcs);
            System.out.printf(Locale.ROOT, "System.nanoTime() back to back (subtract from the call times): %s%n",
                summary(clock));
            System.out.printf(Locale.ROOT, "publish call (ns)              %s%n", summary(call));
            System.out.printf(Locale.ROOT, "intended send -> return (ns)   %s%n", summary(fromIntended));
        }
        finally
        {
            pipeline.close();
            if (directory == null)
            {
                BenchDirs.delete(dir);
            }
        }
        if (pipeline.failure() != null)
        {
            throw new IllegalStateException("pipeline failed", pipeline.failure());
        }
    }

    /**
     * Publishes {@code count} records at the offered rate; returns the elapsed nanoseconds. Allocates nothing.
     */
    private long paced(
        final JournalPipeline pipeline,
        final UnsafeBuffer payload,
        final long count,
        final Histogram call,
        final Histogram fromIntended)
    {
        final long rate = this.rate;
        final int length = payloadSize;
        final long start = System.nanoTime();
        for (long i = 0; i < count; i++)
        {
            final long intended = start + (long)(i * (1e9 / rate));
            long now = System.nanoTime();
            while (now < intended)
            {
                Thread.onSpinWait();
                now = System.nanoTime();
            }
            final long before = System.nanoTime();
            pipeline.publish(payload, 0, length);
            final long after = System.nanoTime();
            call.recordValue(Math.min(after - before, HIGHEST_TRACKABLE_NANOS));
            fromIntended.recordValue(Math.min(after - intended, HIGHEST_TRACKABLE_NANOS));
        }
        return System.nanoTime() - start;
    }

    private static void calibrateClock(final Histogram clock)
    {
        for (int i = 0; i < 2_000_000; i++)
        {
            final long a = System.nanoTime();
            final long b = System.nanoTime();
            clock.recordValue(Math.min(b - a, HIGHEST_TRACKABLE_NANOS));
        }
    }

    private static String summary(final Histogram h)
    {
        return String.format(Locale.ROOT, "p50 %,d  p90 %,d  p99 %,d  p99.9 %,d  p99.99 %,d  max %,d  (n=%,d)",
            h.getValueAtPercentile(50), h.getValueAtPercentile(90), h.getValueAtPercentile(99),
            h.getValueAtPercentile(99.9), h.getValueAtPercentile(99.99), h.getMaxValue(), h.getTotalCount());
    }

    private static long gcCount()
    {
        long total = 0;
        for (final GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans())
        {
            total += Math.max(0, bean.getCollectionCount());
        }
        return total;
    }
}
