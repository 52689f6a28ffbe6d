package io.ringwal.bench.jmh;

import java.nio.ByteBuffer;
import java.nio.file.Path;
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

import io.ringwal.bench.load.CounterSnapshot;
import io.ringwal.journal.ForcePolicy;
import io.ringwal.journal.JournalConfig;
import io.ringwal.journal.JournalWriter;
import io.ringwal.segment.PreallocationMode;

/**
 * The baseline for {@link PipelineThroughputBenchmark}: the core {@link JournalWriter} alone, on one thread (the
 * caller is the writer), appending with the same journal configuration the pipeline benchmark uses (256 MiB
 * segments, the same force policy and preallocation parameters). Goal: the pipeline with one producer moves at
 * least 80 % of this. Run them in the same JMH run:
 * {@code ./ringwal jmh ... -p payloadSize=64 'PipelineThroughputBenchmark.producers1$|CoreWriterBaseline'}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "-Dagrona.disable.bounds.checks=true", "-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(1)
public class CoreWriterBaseline
{
    /** Payload size in bytes. */
    @Param({"64", "1024"})
    public int payloadSize;

    /** Force policy, as {@link ForcePolicy#parse} reads it. */
    @Param({"never"})
    public String forcePolicy;

    /** How the allocator preallocates segments (ADAPTIVE, the journal's default: DIRECT under never). */
    @Param({"ADAPTIVE"})
    public PreallocationMode preallocation;

    private Path directory;
    private JournalWriter writer;
    private UnsafeBuffer payload;
    private final CounterSnapshot iterationStart = new CounterSnapshot();
    private long iterationStartNanos;

    /**
     * Opens a fresh journal.
     */
    @Setup(Level.Trial)
    public void open()
    {
        directory = BenchDirs.fresh("core-baseline");
        writer = JournalWriter.open(directory, JournalConfig.builder()
            .segmentSize(PipelineThroughputBenchmark.SEGMENT_SIZE)
            .forcePolicy(ForcePolicy.parse(forcePolicy))
            .preallocationMode(preallocation)
            .build());
        payload = new UnsafeBuffer(ByteBuffer.allocateDirect(payloadSize));
        for (int i = 0; i < payloadSize; i++)
        {
            payload.putByte(i, (byte)i);
        }
    }

    /**
     * Notes the counters at the start of an iteration.
     */
    @Setup(Level.Iteration)
    public void startIteration()
    {
        iterationStart.copyFrom(writer.counters());
        iterationStartNanos = System.nanoTime();
    }

    /**
     * Prints where the iteration's time went.
     */
    @TearDown(Level.Iteration)
    public void endIteration()
    {
        BenchDirs.printIteration("core writer " + payloadSize + "B " + forcePolicy, writer, iterationStart,
            System.nanoTime() - iterationStartNanos);
    }

    /**
     * Closes and deletes the journal.
     */
    @TearDown(Level.Trial)
    public void close()
    {
        writer.close();
        BenchDirs.delete(directory);
    }

    /**
     * Appends one record (copying the payload), never ending a batch: the core writer's bare append path, as in
     * {@link AppendBenchmark#append()}. Use with {@code forcePolicy=never} (the goal check).
     *
     * @return the sequence.
     */
    @Benchmark
    public long append()
    {
        return writer.append(payload, 0, payloadSize);
    }

    /**
     * Appends one record and ends the batch, so a force policy other than never forces as it would for a batch
     * of one record (the pipeline's worst case, when its writer finds one record per batch).
     *
     * @return the sequence.
     */
    @Benchmark
    public long appendEndOfBatch()
    {
        final long sequence = writer.append(payload, 0, payloadSize);
        writer.endOfBatch();
        return sequence;
    }
}
