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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.dsl.ProducerType;

import io.ringwal.disruptor.Framing;
import io.ringwal.disruptor.JournalPipeline;
import io.ringwal.disruptor.JournalPipelineBuilder;
import io.ringwal.format.FrameDescriptor;
import io.ringwal.format.SegmentHeaderDescriptor;
import io.ringwal.journal.ForcePolicy;
import io.ringwal.journal.JournalConfig;
import io.ringwal.journal.JournalWriter;
import io.ringwal.segment.PreallocationMode;

/**
 * The pipeline goal check with <b>rotation excluded</b>: one op (a single shot) writes as many records as fit in
 * one fresh 64 MiB segment, {@link ForcePolicy#never()}, one thread publishing:
 * <ul>
 *     <li>{@code coreWriter}: {@link JournalWriter#append} on the calling thread (the core writer alone);</li>
 *     <li>{@code pipeline}: {@link JournalPipeline#publish} from one producer, then wait (spinning) until the
 *     writer thread has written the last record, so the shot measures records through the whole pipeline.</li>
 * </ul>
 * The setup before each shot (a fresh journal, and a pause so the allocator thread has finished preparing the
 * next segment and does not compete for a core during the shot) is not timed; the teardown checks that the shot
 * did not rotate; the pipeline's shots print how many batches the writer made and how often the producer found
 * the ring full. records/s = records per shot / score. Goal: pipeline ≥ 80 % of coreWriter for 64 B.
 *
 * <p>Both pay for the journal's background write-back of the active segment (under never, every 1 MiB written
 * once a batch has ended): {@code coreWriter} ends a batch every {@link #coreBatch} records. With
 * {@code -p coreBatch=0} it never does, and so measures a writer whose dirty pages stay in memory for the whole
 * shot (the number this benchmark reported before).
 * {@link PipelineThroughputBenchmark} and {@link CoreWriterBaseline} compare the same with rotation included.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "-Dagrona.disable.bounds.checks=true", "-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5)
@Measurement(iterations = 10)
public class PipelineInSegmentBenchmark
{
    /** Segment size used: 64 MiB. */
    public static final int SEGMENT_SIZE = 64 * 1024 * 1024;

    /** Payload size in bytes. */
    @Param({"64", "1024"})
    public int payloadSize;

    /** Where the pipeline frames records. */
    @Param({"WRITER"})
    public Framing framing;

    /** Writer wait strategy of the pipeline (see {@link PipelineThroughputBenchmark}). */
    @Param({"phased"})
    public String waitStrategy;

    /** Producer type of the ring: MULTI (the pipeline's default) or SINGLE. */
    @Param({"MULTI"})
    public ProducerType producerType;

    /** The pipeline's maximum record size and slot size: the slot stride is header + this, rounded to 64 bytes. */
    @Param({"1024"})
    public int slotRecordSize;

    /** How segments are preallocated (ADAPTIVE, the journal's default: DIRECT under never). */
    @Param({"ADAPTIVE"})
    public PreallocationMode preallocation;

    /**
     * {@code coreWriter} ends a batch every this many records (0: never). Ending batches is what lets the journal's
     * background write-back of the active segment run (under the never policy it writes the dirty pages back every
     * 1 MiB); the pipeline's writer ends a batch whenever it catches up, so without batch ends the core writer
     * would skip a cost the pipeline pays.
     */
    @Param({"64"})
    public int coreBatch;

    /** Milliseconds to pause after opening, so the allocator has prepared the next segment. */
    @Param({"1500"})
    public int settleMillis;

    private int records;
    private Path directory;
    private JournalWriter writer;
    private JournalPipeline pipeline;
    private UnsafeBuffer payload;

    /**
     * Prepares the payload and the record count.
     */
    @Setup(Level.Trial)
    public void payload()
    {
        records = (int)((SEGMENT_SIZE - SegmentHeaderDescriptor.HEADER_LENGTH) /
            FrameDescriptor.alignedLength(FrameDescriptor.frameLength(payloadSize))) - 1;
        payload = new UnsafeBuffer(ByteBuffer.allocateDirect(payloadSize));
        for (int i = 0; i < payloadSize; i++)
        {
            payload.putByte(i, (byte)i);
        }
    }

    /**
     * Opens a fresh journal (core writer or pipeline, whichever the benchmark uses) and lets the allocator settle.
     *
     * @param params JMH's parameters, for the benchmark name.
     * @throws InterruptedException if interrupted while pausing.
     */
    @Setup(Level.Iteration)
    public void fresh(final BenchmarkParams params) throws InterruptedException
    {
        directory = BenchDirs.fresh("pipeline-in-segment");
        final JournalConfig config = JournalConfig.builder()
            .segmentSize(SEGMENT_SIZE)
            .forcePolicy(ForcePolicy.never())
            .preallocationMode(preallocation)
            .build();
        if (params.getBenchmark().endsWith("coreWriter"))
        {
            writer = JournalWriter.open(directory, config);
        }
        else
        {
            final JournalPipelineBuilder builder = JournalPipeline.builder(directory)
                .journalConfig(config)
                .maxRecordSize(Math.max(slotRecordSize, payloadSize))
                .slotSize(Math.max(slotRecordSize, payloadSize))
                .producerType(producerType)
                .framing(framing);
            final WaitStrategy strategy = PipelineThroughputBenchmark.waitStrategy(waitStrategy);
            if (strategy != null)
            {
                builder.waitStrategy(strategy);
            }
            pipeline = builder.build().start();
        }
        Thread.sleep(settleMillis);
    }

    /**
     * Closes the journal, checks that the shot stayed in one segment and deletes the files.
     */
    @TearDown(Level.Iteration)
    public void close()
    {
        final long rotations;
        if (writer != null)
        {
            rotations = writer.counters().rotations();
            writer.close();
            writer = null;
        }
        else
        {
            pipeline.close();
            rotations = pipeline.counters().rotations();
            System.out.print("(writer batches " + pipeline.counters().batches() + ", ring found full " +
                pipeline.counters().publishRingFull() + " times) ");
            if (pipeline.failure() != null)
            {
                throw new IllegalStateException("pipeline failed", pipeline.failure());
            }
            pipeline = null;
        }
        BenchDirs.delete(directory);
        if (rotations != 1)
        {
            throw new IllegalStateException("the shot rotated: rotations=" + rotations);
        }
    }

    /**
     * Fills the segment with the core writer.
     *
     * @return the last sequence.
     */
    @Benchmark
    public long coreWriter()
    {
        final JournalWriter writer = this.writer;
        final UnsafeBuffer payload = this.payload;
        final int length = payloadSize;
        final int coreBatch = this.coreBatch;
        long sequence = -1;
        for (int i = 0; i < records; i++)
        {
            sequence = writer.append(payload, 0, length);
            if (coreBatch > 0 && (i + 1) % coreBatch == 0)
            {
                writer.endOfBatch();
            }
        }
        writer.endOfBatch();
        return sequence;
    }

    /**
     * Fills the segment through the pipeline and waits until the writer has written the last record.
     *
     * @return the last sequence.
     */
    @Benchmark
    public long pipeline()
    {
        final JournalPipeline pipeline = this.pipeline;
        final UnsafeBuffer payload = this.payload;
        final int length = payloadSize;
        long sequence = -1;
        for (int i = 0; i < records; i++)
        {
            sequence = pipeline.publish(payload, 0, length);
        }
        while (pipeline.writtenSequence() < sequence)
        {
            Thread.onSpinWait();
        }
        return sequence;
    }
}
