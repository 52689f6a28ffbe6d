package io.ringwal.bench.jmh;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import com.lmax.disruptor.dsl.ProducerType;

import io.ringwal.disruptor.Framing;
import io.ringwal.disruptor.JournalPipeline;
import io.ringwal.disruptor.JournalPipelineBuilder;
import io.ringwal.disruptor.PipelineCounters;
import io.ringwal.journal.ForcePolicy;
import io.ringwal.journal.JournalConfig;
import io.ringwal.segment.PreallocationMode;

/**
 * Throughput of {@link JournalPipeline#publish(org.agrona.DirectBuffer, int, int)} with 1, 2 or 4 producer
 * threads (the methods {@code producers1}, {@code producers2}, {@code producers4}) feeding the one writer thread.
 * One op = one published record; the score is records/s summed over all producers. The ring applies
 * back-pressure, so in steady state the publish rate is the writer's rate (at most a ring's worth of records of
 * an iteration are still in the ring when it ends).
 *
 * <p>The machine this was written for has <b>2 cores</b>: producers, the writer thread and the journal's
 * allocator thread all share them, so 2 and 4 producers measure contention more than parallelism.
 *
 * <p>Parameters (each has a default, so ask one question per command with {@code -p}):
 * <ul>
 *     <li>{@code payloadSize}: 64 or 1024 bytes;</li>
 *     <li>{@code forcePolicy}: {@code never}, {@code every-batch}, {@code bounded:1ms:4194304}
 *     ({@link ForcePolicy#parse});</li>
 *     <li>{@code waitStrategy} of the writer: {@code phased} (the pipeline's default: spin, yield, then block), {@code liteTimeout}
 *     ({@code LiteTimeoutBlockingWaitStrategy}), {@code yielding}, {@code sleeping}, {@code busySpin};</li>
 *     <li>{@code framing}: {@code WRITER} or {@code PRODUCER} ({@link Framing});</li>
 *     <li>{@code producerType}: {@code MULTI} (default) or {@code SINGLE} (only with {@code producers1});</li>
 *     <li>{@code preallocation}: {@code DIRECT} (default) or {@code SPARSE} (no zero-fill I/O by the allocator);</li>
 *     <li>{@code ringSize}: ring slots, default 8192 (the pipeline's default);</li>
 *     <li>{@code maxRecordSize}: default 4096 (the pipeline's default), and {@code slotSize}: the bytes each slot
 *     preallocates, default 0 = the pipeline's default.</li>
 * </ul>
 * Segments are 256 MiB, as in {@link AppendBenchmark}, so rotation is part of the measured cost; each iteration
 * prints the writer's batches, forces, rotations and allocator wait.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "-Dagrona.disable.bounds.checks=true", "-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PipelineThroughputBenchmark
{
    /** Segment size used: 256 MiB. */
    public static final int SEGMENT_SIZE = 256 * 1024 * 1024;

    /** Payload size in bytes. */
    @Param({"64", "1024"})
    public int payloadSize;

    /** Force policy, as {@link ForcePolicy#parse} reads it. */
    @Param({"never"})
    public String forcePolicy;

    /** Writer wait strategy: phased (the pipeline's default), liteTimeout, yielding, sleeping or busySpin. */
    @Param({"phased"})
    public String waitStrategy;

    /** Where frames are built. */
    @Param({"WRITER"})
    public Framing framing;

    /** The ring's producer type. */
    @Param({"MULTI"})
    public ProducerType producerType;

    /** How the allocator preallocates segments (ADAPTIVE, the journal's default: DIRECT under never). */
    @Param({"ADAPTIVE"})
    public PreallocationMode preallocation;

    /** Ring slots (a power of two); the pipeline's default is 8192. */
    @Param({"8192"})
    public int ringSize;

    /** Largest record the pipeline accepts; the pipeline's default is 4096. */
    @Param({"4096"})
    public int maxRecordSize;

    /** Payload bytes each slot preallocates; 0 = the pipeline's default (256, or the maximum when smaller). */
    @Param({"0"})
    public int slotSize;

    private Path directory;
    private JournalPipeline pipeline;
    private final Snapshot iterationStart = new Snapshot();
    private long iterationStartNanos;
    private String label;

    /**
     * Each producer's payload (thread-local state, so producers do not share a source buffer).
     */
    @State(Scope.Thread)
    public static class Payload
    {
        /** The payload bytes. */
        public UnsafeBuffer buffer;

        /**
         * Fills the payload.
         *
         * @param bench the benchmark state, for the payload size.
         */
        @Setup(Level.Trial)
        public void fill(final PipelineThroughputBenchmark bench)
        {
            buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(bench.payloadSize));
            for (int i = 0; i < bench.payloadSize; i++)
            {
                buffer.putByte(i, (byte)i);
            }
        }
    }

    /**
     * Builds the wait strategy a parameter names; null means the pipeline's default.
     *
     * @param name phased, liteTimeout, yielding, sleeping or busySpin.
     * @return the strategy, or null for the default.
     */
    static WaitStrategy waitStrategy(final String name)
    {
        switch (name)
        {
            case "phased":
                return null;
            case "liteTimeout":
                return new com.lmax.disruptor.LiteTimeoutBlockingWaitStrategy(10, java.util.concurrent.TimeUnit.MILLISECONDS);
            case "yielding":
                return new YieldingWaitStrategy();
            case "sleeping":
                return new SleepingWaitStrategy();
            case "busySpin":
                return new BusySpinWaitStrategy();
            default:
                throw new IllegalArgumentException("waitStrategy=" + name +
                    " is not one of phased, liteTimeout, yielding, sleeping, busySpin");
        }
    }

    /**
     * Opens a fresh journal behind a started pipeline.
     *
     * @param params JMH's parameters, for the thread count.
     */
    @Setup(Level.Trial)
    public void open(final BenchmarkParams params)
    {
        if (producerType == ProducerType.SINGLE && params.getThreads() != 1)
        {
            throw new IllegalArgumentException("producerType=SINGLE with " + params.getThreads() +
                " producer threads would corrupt the ring; use it with producers1 only");
        }
        directory = BenchDirs.fresh("pipeline");
        final JournalPipelineBuilder builder = JournalPipeline.builder(directory)
            .journalConfig(JournalConfig.builder()
                .segmentSize(SEGMENT_SIZE)
                .forcePolicy(ForcePolicy.parse(forcePolicy))
                .preallocationMode(preallocation)
                .build())
            .ringSize(ringSize)
            .maxRecordSize(Math.max(maxRecordSize, payloadSize))
            .producerType(producerType)
            .framing(framing);
        if (slotSize > 0)
        {
            builder.slotSize(slotSize);
        }
        final WaitStrategy strategy = waitStrategy(waitStrategy);
        if (strategy != null)
        {
            builder.waitStrategy(strategy);
        }
        pipeline = builder.build().start();
        label = String.format(Locale.ROOT, "pipeline t=%d %dB %s %s %s", params.getThreads(), payloadSize,
            forcePolicy, waitStrategy, framing);
    }

    /**
     * Notes the counters at the start of an iteration.
     */
    @Setup(Level.Iteration)
    public void startIteration()
    {
        iterationStart.copyFrom(pipeline.counters());
        iterationStartNanos = System.nanoTime();
    }

    /**
     * Prints what the writer did during the iteration.
     */
    @TearDown(Level.Iteration)
    public void endIteration()
    {
        printIteration(label, pipeline.counters(), iterationStart, System.nanoTime() - iterationStartNanos);
    }

    /**
     * Closes the pipeline (draining the ring) and deletes the journal.
     */
    @TearDown(Level.Trial)
    public void close()
    {
        pipeline.close();
        final Throwable failure = pipeline.failure();
        BenchDirs.delete(directory);
        if (failure != null)
        {
            throw new IllegalStateException("pipeline failed during the benchmark", failure);
        }
    }

    /**
     * One producer publishes one record.
     *
     * @param payload the producer's payload.
     * @return the journal sequence.
     */
    @Benchmark
    @Threads(1)
    public long producers1(final Payload payload)
    {
        return pipeline.publish(payload.buffer, 0, payloadSize);
    }

    /**
     * Two producers each publish one record.
     *
     * @param payload the producer's payload.
     * @return the journal sequence.
     */
    @Benchmark
    @Threads(2)
    public long producers2(final Payload payload)
    {
        return pipeline.publish(payload.buffer, 0, payloadSize);
    }

    /**
     * Four producers each publish one record.
     *
     * @param payload the producer's payload.
     * @return the journal sequence.
     */
    @Benchmark
    @Threads(4)
    public long producers4(final Payload payload)
    {
        return pipeline.publish(payload.buffer, 0, payloadSize);
    }

    static void printIteration(
        final String label, final PipelineCounters counters, final Snapshot start, final long iterNanos)
    {
        final Snapshot end = new Snapshot().copyFrom(counters);
        final long records = end.records - start.records;
        final long batches = end.batches - start.batches;
        final long forces = end.forces - start.forces;
        final long forceNanos = end.forceNanos - start.forceNanos;
        final long waitNanos = end.allocatorWaitNanos - start.allocatorWaitNanos;
        System.out.printf(Locale.ROOT,
            "%n  [%s] written=%,d (%,.0f rec/s) batches=%,d (%.1f rec/batch) forces=%d force=%.0fms rotations=%d " +
            "allocator wait=%.0fms ring-full publishes=%,d; rate excluding forces and allocator wait: %,.0f rec/s%n",
            label, records, records * 1e9 / iterNanos, batches, batches == 0 ? 0.0 : (double)records / batches,
            forces, forceNanos / 1e6, end.rotations - start.rotations, waitNanos / 1e6,
            end.ringFull - start.ringFull, records * 1e9 / Math.max(1, iterNanos - forceNanos - waitNanos));
    }

    /**
     * A copy of the pipeline counters at one moment.
     */
    static final class Snapshot
    {
        long records;
        long batches;
        long forces;
        long forceNanos;
        long rotations;
        long allocatorWaitNanos;
        long ringFull;

        Snapshot copyFrom(final PipelineCounters counters)
        {
            records = counters.records();
            batches = counters.batches();
            forces = counters.forces();
            forceNanos = counters.forceNanos();
            rotations = counters.rotations();
            allocatorWaitNanos = counters.allocatorWaitNanos();
            ringFull = counters.ringFull();
            return this;
        }
    }
}
