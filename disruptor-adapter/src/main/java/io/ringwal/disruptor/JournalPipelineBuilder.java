package io.ringwal.disruptor;

import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import org.agrona.BitUtil;

import com.lmax.disruptor.LiteTimeoutBlockingWaitStrategy;
import com.lmax.disruptor.PhasedBackoffWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.dsl.ProducerType;

import io.ringwal.format.FrameDescriptor;
import io.ringwal.journal.ForcePolicy;
import io.ringwal.journal.JournalConfig;
import io.ringwal.segment.AllocationListener;

/**
 * Builds a {@link JournalPipeline}. Every value has a default except the directory; {@link #build()} checks
 * them all and allocates the ring, but opens nothing: {@link JournalPipeline#start()} opens the journal.
 */
public final class JournalPipelineBuilder
{
    /**
     * Default ring size: 8,192 slots. The ring must hold what arrives while the writer forces (a batch's force,
     * or a rotation); a smaller ring caps the batches and fills at rotations (docs/BENCHMARKS-PIPELINE.md, "Force
     * policy and ring size"). Memory: slots × ({@link #slotSize slot size} + frame header) at start, 2.5 MiB with
     * the default slot size; each slot then grows to about the largest record it carries.
     */
    public static final int DEFAULT_RING_SIZE = 8192;

    /** How long the default wait strategy spins before it yields, in nanoseconds. */
    public static final long DEFAULT_SPIN_NANOS = 10_000;

    /** How long the default wait strategy yields before it blocks, in nanoseconds. */
    public static final long DEFAULT_YIELD_NANOS = 1_000_000;
    /** Default largest record the pipeline accepts, in bytes. */
    public static final int DEFAULT_MAX_RECORD_SIZE = 4096;
    /**
     * Default payload bytes each ring slot holds before it grows: 256, or the maximum record size when that is
     * smaller (the measurements behind it: docs/BENCHMARKS-PIPELINE.md, "Slot size").
     */
    public static final int DEFAULT_SLOT_SIZE = 256;
    /**
     * Default largest batch the writer takes before it ends the batch (and forces, per the policy): no limit but the
     * ring's, so that a force covers everything that arrived during the previous one, as a group commit does
     * (the measurements behind it: docs/BENCHMARKS.md).
     */
    public static final int DEFAULT_MAX_BATCH_SIZE = Integer.MAX_VALUE;
    /**
     * The most slot memory a ring may need once every slot has grown to the maximum record size: 1 GiB.
     * {@link #build()} refuses a ring size and maximum record size beyond it.
     */
    public static final long MAX_RING_MEMORY = 1L << 30;
    /** Default number of threads that can park in an await for durability without falling back to polling. */
    public static final int DEFAULT_MAX_PARKED_WAITERS = 64;
    /** Default idle timeout of the default wait strategy when the force policy has no time bound. */
    public static final long DEFAULT_IDLE_TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /** Whether forces are pipelined by default ({@link #pipelinedForce(boolean)}). */
    public static final boolean DEFAULT_PIPELINED_FORCE = false;

    /** Default bound of the shutdown hook's drain and force: 10 seconds. */
    public static final long DEFAULT_SHUTDOWN_DRAIN_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Path directory;
    private JournalConfig journalConfig;
    private int ringSize = DEFAULT_RING_SIZE;
    private ProducerType producerType = ProducerType.MULTI;
    private WaitStrategy waitStrategy;
    private long idleTimeoutNanos = -1;
    private int maxRecordSize = -1;
    private int slotSize = -1;
    private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;
    private ThreadFactory threadFactory;
    private DurabilityListener durabilityListener = DurabilityListener.NONE;
    private WrittenListener writtenListener = WrittenListener.NONE;
    private long shutdownDrainNanos = DEFAULT_SHUTDOWN_DRAIN_NANOS;
    private int maxParkedWaiters = DEFAULT_MAX_PARKED_WAITERS;
    private Framing framing = Framing.WRITER;
    private boolean pipelinedForce = DEFAULT_PIPELINED_FORCE;
    private boolean countersFile = true;
    private AllocationListener allocationListener;

    JournalPipelineBuilder(final Path directory)
    {
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    /**
     * The core journal configuration (segment size, force policy, preallocation, recovery). Defaults to
     * {@code JournalConfig.builder().build()}.
     *
     * @param journalConfig the configuration.
     * @return this builder.
     */
    public JournalPipelineBuilder journalConfig(final JournalConfig journalConfig)
    {
        this.journalConfig = Objects.requireNonNull(journalConfig, "journalConfig");
        return this;
    }

    /**
     * Number of ring slots: a power of two, at least 2. Each slot preallocates {@link #slotSize} bytes.
     *
     * @param ringSize the size.
     * @return this builder.
     */
    public JournalPipelineBuilder ringSize(final int ringSize)
    {
        this.ringSize = ringSize;
        return this;
    }

    /**
     * Whether one thread ({@link ProducerType#SINGLE}) or many ({@link ProducerType#MULTI}, the default) publish.
     * With {@code SINGLE}, publishing from two threads at once corrupts the ring.
     *
     * @param producerType the producer type.
     * @return this builder.
     */
    public JournalPipelineBuilder producerType(final ProducerType producerType)
    {
        this.producerType = Objects.requireNonNull(producerType, "producerType");
        return this;
    }

    /**
     * How the writer thread waits for records. The default spins, then yields, then blocks in a
     * {@link LiteTimeoutBlockingWaitStrategy} whose timeout is {@link #idleTimeout} (see
     * {@link #defaultWaitStrategy}). The writer forces on idle from {@code onTimeout}, so with a
     * {@link ForcePolicy#bounded bounded} force policy choose a strategy that times out
     * ({@link LiteTimeoutBlockingWaitStrategy} or {@code TimeoutBlockingWaitStrategy}); with any other, the time
     * bound holds only while records keep arriving. A blocking strategy's wake-up is the only step on the
     * publish path that may take a lock (when the writer is asleep).
     *
     * @param waitStrategy the strategy.
     * @return this builder.
     */
    public JournalPipelineBuilder waitStrategy(final WaitStrategy waitStrategy)
    {
        this.waitStrategy = Objects.requireNonNull(waitStrategy, "waitStrategy");
        return this;
    }

    /**
     * The default wait strategy: the writer spins for {@value #DEFAULT_SPIN_NANOS} ns, then yields for up to
     * {@value #DEFAULT_YIELD_NANOS} ns, and only then blocks ({@link LiteTimeoutBlockingWaitStrategy} with the idle
     * timeout, so a bounded policy's time bound still holds). A writer that blocks as soon as the ring is empty
     * must be woken by the producer, a lock and a futex wake on the publish path; a writer that only spins or
     * yields starves the allocator thread when cores are few (docs/BENCHMARKS-PIPELINE.md, "Wait strategy").
     *
     * @param config the journal configuration (its force policy sets the idle timeout).
     * @return a new wait strategy.
     */
    WaitStrategy defaultWaitStrategy(final JournalConfig config)
    {
        return new PhasedBackoffWaitStrategy(DEFAULT_SPIN_NANOS, DEFAULT_YIELD_NANOS, TimeUnit.NANOSECONDS,
            new LiteTimeoutBlockingWaitStrategy(idleTimeout(config.forcePolicy()), TimeUnit.NANOSECONDS));
    }

    /**
     * How long the default wait strategy lets the writer sleep before it wakes to force what a bounded policy
     * says is due. Defaults to a quarter of a bounded policy's time bound (at least 100 microseconds), otherwise
     * to 10 milliseconds. Ignored when a wait strategy is given.
     *
     * @param timeout the timeout; positive.
     * @param unit    its unit.
     * @return this builder.
     */
    public JournalPipelineBuilder idleTimeout(final long timeout, final TimeUnit unit)
    {
        this.idleTimeoutNanos = unit.toNanos(timeout);
        return this;
    }

    /**
     * Largest record the pipeline accepts, at most the journal configuration's maximum. A slot grows to this size
     * only when it carries such a record ({@link #slotSize}). Defaults to {@value #DEFAULT_MAX_RECORD_SIZE} bytes, or
     * the journal's maximum when that is smaller.
     *
     * @param maxRecordSize bytes.
     * @return this builder.
     */
    public JournalPipelineBuilder maxRecordSize(final int maxRecordSize)
    {
        this.maxRecordSize = maxRecordSize;
        return this;
    }

    /**
     * Payload bytes each ring slot preallocates (off-heap, all slots in one buffer). A record longer than its slot
     * grows that slot into a buffer of its own, sized to the next power of two that holds the record (at least
     * double, at most {@link #maxRecordSize}), which the slot keeps: after the first laps of the ring each slot holds
     * about the largest record it has carried, and publishing allocates nothing more. Set it to the maximum record
     * size to preallocate every slot in full (no growth, ring memory fixed at build time). Defaults to
     * {@value #DEFAULT_SLOT_SIZE}, or the maximum record size when that is smaller.
     *
     * @param slotSize bytes, from 1 to the maximum record size.
     * @return this builder.
     */
    public JournalPipelineBuilder slotSize(final int slotSize)
    {
        this.slotSize = slotSize;
        return this;
    }

    /**
     * Largest batch the writer takes from the ring before it ends the batch (the group commit), using Disruptor
     * 4's batch limit. A smaller limit starts the force sooner for the first records of a long burst; a larger
     * one makes fewer forces. Defaults to no limit ({@link #DEFAULT_MAX_BATCH_SIZE}).
     *
     * @param maxBatchSize the limit; positive.
     * @return this builder.
     */
    public JournalPipelineBuilder maxBatchSize(final int maxBatchSize)
    {
        this.maxBatchSize = maxBatchSize;
        return this;
    }

    /**
     * Makes the writer thread. Defaults to a daemon thread named {@code ringwal-writer-<directory name>}.
     *
     * @param threadFactory the factory.
     * @return this builder.
     */
    public JournalPipelineBuilder threadFactory(final ThreadFactory threadFactory)
    {
        this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
        return this;
    }

    /**
     * Told each time the durable watermark advances, on the writer thread.
     *
     * @param durabilityListener the listener.
     * @return this builder.
     */
    public JournalPipelineBuilder durabilityListener(final DurabilityListener durabilityListener)
    {
        this.durabilityListener = Objects.requireNonNull(durabilityListener, "durabilityListener");
        return this;
    }

    /**
     * How many threads can park at once in an await for durability and be woken directly by the writer; more
     * waiters than this still work, but poll with short timed parks.
     *
     * @param maxParkedWaiters the number; positive.
     * @return this builder.
     */
    public JournalPipelineBuilder maxParkedWaiters(final int maxParkedWaiters)
    {
        this.maxParkedWaiters = maxParkedWaiters;
        return this;
    }

    /**
     * Where a record's frame (header and CRC32C) is built. See {@link Framing}.
     *
     * @param framing the framing.
     * @return this builder.
     */
    public JournalPipelineBuilder framing(final Framing framing)
    {
        this.framing = Objects.requireNonNull(framing, "framing");
        return this;
    }

    /**
     * Whether the journal forces on a thread of its own while the writer thread goes on appending (pipelined group
     * commit, {@link JournalConfig.Builder#pipelinedForce(boolean)}): acknowledgements then follow each completed
     * force, and the durability listener and waiters are woken from the force thread; the writer waits for the
     * force in flight once it has written as much again. Only batches of at least
     * {@link JournalConfig#pipelinedForceMinBatchBytes()} (default 256 KiB) whose records average at least
     * {@link JournalConfig#pipelinedForceMinRecordBytes()} bytes (default 512) are handed over; the writer thread
     * forces the others itself. Defaults to {@link #DEFAULT_PIPELINED_FORCE} (off: the writer thread forces at the
     * end of each batch and waits): on 2 cores the side-by-side comparison showed no gain from it; the measurements
     * are in docs/BENCHMARKS.md, "Pipelined forcing".
     *
     * @param pipelined whether to pipeline forces.
     * @return this builder.
     */
    public JournalPipelineBuilder pipelinedForce(final boolean pipelined)
    {
        this.pipelinedForce = pipelined;
        return this;
    }

    /**
     * Told on the journal's allocator thread as soon as preparing the next segment fails (the early warning of a
     * full disk, once per failure episode), while the writer still has room, and when preparing succeeds again
     * (see {@link AllocationListener}). Replaces the journal configuration's
     * ({@link JournalConfig.Builder#allocationListener(AllocationListener)}). Defaults to the configuration's.
     *
     * @param allocationListener the listener.
     * @return this builder.
     */
    public JournalPipelineBuilder allocationListener(final AllocationListener allocationListener)
    {
        this.allocationListener = Objects.requireNonNull(allocationListener, "allocationListener");
        return this;
    }

    /**
     * Told on the writer thread each time the written watermark advances (see {@link WrittenListener}). Defaults
     * to none.
     *
     * @param writtenListener the listener.
     * @return this builder.
     */
    public JournalPipelineBuilder writtenListener(final WrittenListener writtenListener)
    {
        this.writtenListener = Objects.requireNonNull(writtenListener, "writtenListener");
        return this;
    }

    /**
     * How long the JVM shutdown hook may take to drain the ring, force and close the journal of a pipeline that
     * was not closed when the JVM exits normally ({@code main} returned, {@code System.exit}, SIGTERM, SIGINT).
     * Defaults to {@link #DEFAULT_SHUTDOWN_DRAIN_NANOS}; zero registers no hook (records still in the ring are
     * then lost at exit, since the writer thread is a daemon).
     *
     * @param timeout the bound, zero for no hook.
     * @param unit    its unit.
     * @return this builder.
     */
    public JournalPipelineBuilder shutdownDrainTimeout(final long timeout, final TimeUnit unit)
    {
        if (timeout < 0)
        {
            throw new IllegalArgumentException("shutdownDrainTimeout=" + timeout + " " + unit +
                " must not be negative");
        }
        this.shutdownDrainNanos = unit.toNanos(timeout);
        return this;
    }

    /**
     * Whether the pipeline keeps the journal's counters file ({@code ringwal.counters}, see
     * {@link io.ringwal.journal.CountersFile}) up to date, for {@code ringwal stat}, metrics and durable-only
     * readers in other processes. On by default; updating it costs a few stores per batch.
     *
     * @param countersFile false to publish no counters file.
     * @return this builder.
     */
    public JournalPipelineBuilder countersFile(final boolean countersFile)
    {
        this.countersFile = countersFile;
        return this;
    }

    /**
     * Checks every value and builds the pipeline (not started; nothing is opened yet).
     *
     * @return the pipeline.
     * @throws IllegalArgumentException naming the first value out of range.
     */
    public JournalPipeline build()
    {
        final JournalConfig configured = (journalConfig != null ? journalConfig : JournalConfig.builder().build())
            .withPipelinedForce(pipelinedForce);
        final JournalConfig config = allocationListener != null ?
            configured.withAllocationListener(allocationListener) : configured;
        if (ringSize < 2 || Integer.bitCount(ringSize) != 1)
        {
            throw new IllegalArgumentException("ringSize=" + ringSize + " must be a power of two, at least 2");
        }
        final int maxRecord = maxRecordSize >= 0 ? maxRecordSize :
            Math.min(DEFAULT_MAX_RECORD_SIZE, config.maxRecordSize());
        if (maxRecord > config.maxRecordSize())
        {
            throw new IllegalArgumentException("maxRecordSize=" + maxRecord + " exceeds the journal's maxRecordSize=" +
                config.maxRecordSize());
        }
        final int slot = slotSize >= 0 ? slotSize : Math.min(DEFAULT_SLOT_SIZE, maxRecord);
        if (slot < 1 || slot > maxRecord)
        {
            throw new IllegalArgumentException("slotSize=" + slot + " must be from 1 to maxRecordSize=" + maxRecord);
        }
        final long fullRing = (long)ringSize * BitUtil.align(FrameDescriptor.HEADER_LENGTH + maxRecord,
            BitUtil.CACHE_LINE_LENGTH);
        if (fullRing > MAX_RING_MEMORY)
        {
            throw new IllegalArgumentException("ringSize=" + ringSize + " x maxRecordSize=" + maxRecord + " needs " +
                fullRing + " bytes of slot memory once every slot has grown to the largest record, more than " +
                "the " + MAX_RING_MEMORY + " a pipeline allows: lower one of them");
        }
        if (maxBatchSize <= 0)
        {
            throw new IllegalArgumentException("maxBatchSize=" + maxBatchSize + " must be positive");
        }
        if (maxParkedWaiters <= 0)
        {
            throw new IllegalArgumentException("maxParkedWaiters=" + maxParkedWaiters + " must be positive");
        }
        final WaitStrategy strategy = waitStrategy != null ? waitStrategy : defaultWaitStrategy(config);
        final Path dir = directory.toAbsolutePath().normalize();
        final ThreadFactory factory = threadFactory != null ? threadFactory : runnable ->
        {
            final Thread thread = new Thread(runnable, "ringwal-writer-" + dir.getFileName());
            thread.setDaemon(true);
            return thread;
        };
        final JournalPipeline pipeline = new JournalPipeline(dir, config, ringSize, producerType, strategy, maxRecord,
            slot, maxBatchSize, factory, durabilityListener, maxParkedWaiters, framing, writtenListener, shutdownDrainNanos);
        pipeline.publishCountersFile(countersFile);
        return pipeline;
    }

    private long idleTimeout(final ForcePolicy policy)
    {
        if (idleTimeoutNanos > 0)
        {
            return idleTimeoutNanos;
        }
        if (idleTimeoutNanos == 0 || idleTimeoutNanos < -1)
        {
            throw new IllegalArgumentException("idleTimeoutNanos=" + idleTimeoutNanos + " must be positive");
        }
        if (policy.kind() == ForcePolicy.Kind.BOUNDED)
        {
            return Math.max(TimeUnit.MICROSECONDS.toNanos(100), policy.maxDelayNanos() / 4);
        }
        return DEFAULT_IDLE_TIMEOUT_NANOS;
    }
}
