package io.ringwal.bench.jmh;

import java.nio.ByteBuffer;
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
import org.openjdk.jmh.annotations.Warmup;

import io.ringwal.bench.load.CounterSnapshot;
import io.ringwal.journal.ForcePolicy;
import io.ringwal.journal.JournalConfig;
import io.ringwal.journal.JournalWriter;
import io.ringwal.segment.PreallocationMode;
import io.ringwal.journal.WriteClaim;

/**
 * Single-thread append throughput of {@link JournalWriter} with {@link ForcePolicy#never()}, 256 MiB segments,
 * payloads of 64 B and 1 KiB, through the two append paths:
 * <ul>
 *     <li>{@code append}: {@link JournalWriter#append(org.agrona.DirectBuffer, int, int)} copies the payload;</li>
 *     <li>{@code claimCommit}: {@link JournalWriter#claim(int)}, write the payload into the claim, commit.</li>
 * </ul>
 * Each op is one record. Bytes/s = ops/s × payload size. Compare with {@link PlainMappedCopyBenchmark} (the
 * ceiling: a bare copy into a pretouched mapping) in the same run:
 * {@code ./ringwal jmh -f 1 -wi 3 -w 2s -i 5 -r 2s 'AppendBenchmark|PlainMappedCopy'}.
 *
 * <p><b>Rotation is part of the measured cost.</b> A 256 MiB segment fills in a fraction of a second, so every
 * iteration rotates several times; each rotation forces the whole finished segment (whatever the policy), renames
 * the next one and forces the directory, and the allocator thread zero-fills and pretouches the next segment on
 * the other core. That is the sustained cost of the journal. To separate it, every iteration prints (on the
 * benchmark's output) the time spent forcing, rotating and waiting for the allocator, and the rate with that time
 * taken out.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "-Dagrona.disable.bounds.checks=true", "-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class AppendBenchmark
{
    /** Segment size used: 256 MiB. */
    public static final int SEGMENT_SIZE = 256 * 1024 * 1024;

    /** Payload size in bytes. */
    @Param({"64", "1024"})
    public int payloadSize;

    /** How segment files get their blocks. */
    @Param({"DIRECT", "BUFFERED_PAGES", "ADAPTIVE"})
    public PreallocationMode preallocation;

    private java.nio.file.Path directory;
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
        directory = BenchDirs.fresh("append");
        writer = JournalWriter.open(directory, JournalConfig.builder()
            .segmentSize(SEGMENT_SIZE)
            .forcePolicy(ForcePolicy.never())
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
        BenchDirs.printIteration("append " + payloadSize + "B", writer, iterationStart,
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
     * Appends one record (copying the payload).
     *
     * @return the sequence.
     */
    @Benchmark
    public long append()
    {
        return writer.append(payload, 0, payloadSize);
    }

    /**
     * Claims a frame, writes the payload into it and commits it.
     *
     * @return the sequence.
     */
    @Benchmark
    public long claimCommit()
    {
        final WriteClaim claim = writer.claim(payloadSize);
        claim.buffer().putBytes(0, payload, 0, payloadSize);
        return claim.commit();
    }
}
