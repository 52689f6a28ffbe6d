package io.ringwal.journal;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.ringwal.format.FrameDescriptor;
import io.ringwal.format.SegmentHeaderDescriptor;
import io.ringwal.segment.AllocationListener;
import io.ringwal.segment.PreallocationMode;
import io.ringwal.segment.PretouchMode;

/**
 * Settings of a journal writer, checked once when built. Create with {@link #builder()}.
 */
public final class JournalConfig
{
    /**
     * Default segment size, 64 MiB: large enough that rotation (a whole-segment force plus a rename and a
     * directory force) happens rarely (every ~65,000 records of 1 KiB), small enough that the allocator
     * prepares the next one in well under a second and that retention frees space in modest steps.
     */
    public static final int DEFAULT_SEGMENT_SIZE = 64 * 1024 * 1024;

    /** Default largest payload: 1 MiB. */
    public static final int DEFAULT_MAX_RECORD_SIZE = 1024 * 1024;

    /** Default number of segments the allocator keeps prepared ahead of the writer. */
    public static final int DEFAULT_PREPARED_SEGMENTS = 2;

    /** Largest number of segments the allocator may keep prepared. */
    public static final int MAX_PREPARED_SEGMENTS = 8;

    /** Default time the writer waits for the allocator before failing: 30 s. */
    public static final long DEFAULT_ALLOCATION_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
    /**
     * Default smallest average frame of a pipelined force ({@link Builder#pipelinedForceMinRecordBytes(int)}): 512
     * bytes.
     */
    public static final int DEFAULT_PIPELINED_FORCE_MIN_RECORD_BYTES = 512;
    /**
     * Default smallest batch of a pipelined force ({@link Builder#pipelinedForceMinBatchBytes(int)}): 256 KiB.
     */
    public static final int DEFAULT_PIPELINED_FORCE_MIN_BATCH_BYTES = 256 * 1024;

    private final int segmentSize;
    private final int maxRecordSize;
    private final ForcePolicy forcePolicy;
    private final PreallocationMode preallocationMode;
    private final PretouchMode pretouchMode;
    private final WriteMode writeMode;
    private final RecoveryMode recoveryMode;
    private final VerifyScope verifyScope;
    private final ForceObserver forceObserver;
    private final AllocationListener allocationListener;
    private final boolean backgroundWriteBack;
    private final long allocationTimeoutNanos;
    private final RetentionPolicy retention;
    private final boolean recycleSegments;
    private final int preparedSegments;
    private final boolean pipelinedForce;
    private final int pipelinedForceMinRecordBytes;
    private final int pipelinedForceMinBatchBytes;
    private final long newJournalId;
    private final LongSupplier epochMillisClock;

    private JournalConfig(final Builder builder)
    {
        this.segmentSize = builder.segmentSize;
        this.maxRecordSize = builder.maxRecordSize;
        this.forcePolicy = builder.forcePolicy;
        this.preallocationMode = builder.preallocationMode;
        this.writeMode = builder.writeMode != null ? builder.writeMode : WriteMode.STAGED;
        this.pretouchMode = builder.pretouchMode != null ? builder.pretouchMode :
            writeMode == WriteMode.STAGED ? PretouchMode.READ : PretouchMode.WRITE;
        this.recoveryMode = builder.recoveryMode;
        this.verifyScope = builder.verifyScope;
        this.forceObserver = builder.forceObserver;
        this.allocationListener = builder.allocationListener;
        this.backgroundWriteBack = builder.backgroundWriteBack;
        this.allocationTimeoutNanos = builder.allocationTimeoutNanos;
        this.retention = builder.retention;
        this.recycleSegments = builder.recycleSegments;
        this.preparedSegments = builder.preparedSegments;
        this.pipelinedForce = builder.pipelinedForce;
        this.pipelinedForceMinRecordBytes = builder.pipelinedForceMinRecordBytes;
        this.pipelinedForceMinBatchBytes = builder.pipelinedForceMinBatchBytes;
        this.newJournalId = builder.newJournalId;
        this.epochMillisClock = builder.epochMillisClock;
    }

    /**
     * A builder with every default.
     *
     * @return a new builder.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * The defaults: 64 MiB segments, 1 MiB records, force every batch, adaptive preallocation
     * ({@link PreallocationMode#ADAPTIVE}), staged writes ({@link WriteMode#STAGED}) with read pretouch; each
     * builder setting says its own default.
     *
     * @return the default configuration.
     */
    public static JournalConfig defaults()
    {
        return builder().build();
    }

    /**
     * The largest payload that fits in a segment of the given size.
     *
     * @param segmentSize the segment size.
     * @return the largest payload length.
     */
    public static int maxPayloadFor(final int segmentSize)
    {
        return segmentSize - SegmentHeaderDescriptor.HEADER_LENGTH - FrameDescriptor.HEADER_LENGTH;
    }

    /**
     * Segment file size in bytes.
     *
     * @return the size.
     */
    public int segmentSize()
    {
        return segmentSize;
    }

    /**
     * Largest payload accepted.
     *
     * @return the size in bytes.
     */
    public int maxRecordSize()
    {
        return maxRecordSize;
    }

    /**
     * The force policy.
     *
     * @return the policy.
     */
    public ForcePolicy forcePolicy()
    {
        return forcePolicy;
    }

    /**
     * How segment files get their blocks.
     *
     * @return the mode.
     */
    public PreallocationMode preallocationMode()
    {
        return preallocationMode;
    }

    /**
     * The preallocation the segment allocator applies: {@link #preallocationMode()}, except that
     * {@link PreallocationMode#ADAPTIVE} resolves to {@link PreallocationMode#BUFFERED} with staged writes. A staged
     * writer copies each batch in with {@code write(2)}, which dirties only the file blocks it covers, so large
     * page-cache folios cost no write amplification under small forces (they do when stores through the mapping
     * dirty a whole folio, which is what ADAPTIVE guards against under {@link WriteMode#MAPPED}), and they make the
     * copy and its force about 1.4&times; as fast as single-page folios (docs/BENCHMARKS.md, "Write modes").
     *
     * @return the mode the allocator uses for new segments and how it brings recycled ones into the page cache.
     */
    public PreallocationMode effectivePreallocationMode()
    {
        return preallocationMode == PreallocationMode.ADAPTIVE && writeMode == WriteMode.STAGED ?
            PreallocationMode.BUFFERED : preallocationMode;
    }

    /**
     * How the allocator faults the pages of a new segment in before handing it over.
     *
     * @return the mode.
     */
    public PretouchMode pretouchMode()
    {
        return pretouchMode;
    }

    /**
     * How the writer puts frames into the segment file.
     *
     * @return the mode.
     */
    public WriteMode writeMode()
    {
        return writeMode;
    }

    /**
     * What open does about damage that is not a torn tail.
     *
     * @return the mode.
     */
    public RecoveryMode recoveryMode()
    {
        return recoveryMode;
    }

    /**
     * How much of the journal open checks frame by frame.
     *
     * @return the scope.
     */
    public VerifyScope verifyScope()
    {
        return verifyScope;
    }

    /**
     * The observer told of every force.
     *
     * @return the observer.
     */
    public ForceObserver forceObserver()
    {
        return forceObserver;
    }

    /**
     * Told on the allocator thread when preparing the next segment fails (the early warning of a full disk) and
     * when it succeeds again.
     *
     * @return the listener, {@link AllocationListener#NONE} by default.
     */
    public AllocationListener allocationListener()
    {
        return allocationListener;
    }

    /**
     * Whether a background thread writes the active segment back under the never and bounded policies.
     *
     * @return true unless turned off.
     */
    public boolean backgroundWriteBack()
    {
        return backgroundWriteBack;
    }

    /**
     * How long the writer waits for the allocator before it fails.
     *
     * @return the timeout in nanoseconds.
     */
    public long allocationTimeoutNanos()
    {
        return allocationTimeoutNanos;
    }

    /**
     * Which finished segments the writer retires on its own.
     *
     * @return the retention policy ({@link RetentionPolicy#keepAll()} by default).
     */
    public RetentionPolicy retention()
    {
        return retention;
    }

    /**
     * Whether retired segments are reused as new segments instead of being deleted.
     *
     * @return true to recycle (the default).
     */
    public boolean recycleSegments()
    {
        return recycleSegments;
    }

    /**
     * How many segments the allocator keeps prepared ahead of the writer.
     *
     * @return the pool depth.
     */
    public int preparedSegments()
    {
        return preparedSegments;
    }

    /**
     * This configuration with pipelined forcing turned on or off.
     *
     * @param pipelined whether forces run on a thread of their own.
     * @return a copy with that setting (this one if it already has it).
     */
    public JournalConfig withPipelinedForce(final boolean pipelined)
    {
        return pipelined == pipelinedForce ? this : new JournalConfig(this, pipelined, allocationListener);
    }

    /**
     * This configuration with another allocation listener.
     *
     * @param listener the listener ({@link AllocationListener#NONE} for none).
     * @return a copy with that listener (this one if it already has it).
     */
    public JournalConfig withAllocationListener(final AllocationListener listener)
    {
        Objects.requireNonNull(listener, "listener");
        return listener == allocationListener ? this : new JournalConfig(this, pipelinedForce, listener);
    }

    private JournalConfig(final JournalConfig from, final boolean pipelinedForce, final AllocationListener listener)
    {
        this.allocationListener = listener;
        this.segmentSize = from.segmentSize;
        this.maxRecordSize = from.maxRecordSize;
        this.forcePolicy = from.forcePolicy;
        this.preallocationMode = from.preallocationMode;
        this.pretouchMode = from.pretouchMode;
        this.writeMode = from.writeMode;
        this.recoveryMode = from.recoveryMode;
        this.verifyScope = from.verifyScope;
        this.forceObserver = from.forceObserver;
        this.backgroundWriteBack = from.backgroundWriteBack;
        this.allocationTimeoutNanos = from.allocationTimeoutNanos;
        this.retention = from.retention;
        this.recycleSegments = from.recycleSegments;
        this.preparedSegments = from.preparedSegments;
        this.pipelinedForce = pipelinedForce;
        this.pipelinedForceMinRecordBytes = from.pipelinedForceMinRecordBytes;
        this.pipelinedForceMinBatchBytes = from.pipelinedForceMinBatchBytes;
        this.newJournalId = from.newJournalId;
        this.epochMillisClock = from.epochMillisClock;
    }

    /**
     * Whether forces run on a thread of their own while the writer goes on appending (every-batch and bounded
     * policies).
     *
     * @return true for pipelined forcing.
     */
    public boolean pipelinedForce()
    {
        return pipelinedForce;
    }

    /**
     * With pipelined forcing, the smallest average frame (bytes per record, header included) of the records a force
     * covers for the force thread to take it; the writer thread forces batches of smaller records itself.
     *
     * @return bytes; 0 pipelines every force.
     */
    public int pipelinedForceMinRecordBytes()
    {
        return pipelinedForceMinRecordBytes;
    }

    /**
     * With pipelined forcing, the fewest bytes written since the last force for the force thread to take the next
     * one; the writer thread forces a smaller batch itself.
     *
     * @return bytes; 0 for no minimum.
     */
    public int pipelinedForceMinBatchBytes()
    {
        return pipelinedForceMinBatchBytes;
    }

    /**
     * The id a journal created by this open gets, or 0 for a random one.
     *
     * @return the id or 0.
     */
    public long newJournalId()
    {
        return newJournalId;
    }

    /**
     * The clock that stamps new segment headers with their creation time.
     *
     * @return the clock, in epoch milliseconds.
     */
    public LongSupplier epochMillisClock()
    {
        return epochMillisClock;
    }

    @Override
    public String toString()
    {
        return "JournalConfig{segmentSize=" + segmentSize + ", maxRecordSize=" + maxRecordSize +
            ", forcePolicy=" + forcePolicy + ", preallocationMode=" + preallocationMode + ", pretouchMode=" + pretouchMode +
            ", writeMode=" + writeMode +            ", recoveryMode=" + recoveryMode + ", verifyScope=" + verifyScope +
            ", backgroundWriteBack=" + backgroundWriteBack + ", retention=" + retention + ", recycleSegments=" +
            recycleSegments + ", preparedSegments=" + preparedSegments + ", pipelinedForce=" + pipelinedForce +
            ", pipelinedForceMinRecordBytes=" + pipelinedForceMinRecordBytes +
            ", pipelinedForceMinBatchBytes=" + pipelinedForceMinBatchBytes + '}';
    }

    /**
     * Builds a {@link JournalConfig}; {@link #build()} checks every value.
     */
    public static final class Builder
    {
        private int segmentSize = DEFAULT_SEGMENT_SIZE;
        private int maxRecordSize = DEFAULT_MAX_RECORD_SIZE;
        private boolean maxRecordSizeSet;
        private ForcePolicy forcePolicy = ForcePolicy.everyBatch();
        private PreallocationMode preallocationMode = PreallocationMode.ADAPTIVE;
        private PretouchMode pretouchMode;
        private WriteMode writeMode;
        private RecoveryMode recoveryMode = RecoveryMode.STRICT;
        private VerifyScope verifyScope = VerifyScope.ALL_SEGMENTS;
        private ForceObserver forceObserver = ForceObserver.NONE;
        private AllocationListener allocationListener = AllocationListener.NONE;
        private boolean backgroundWriteBack = true;
        private long allocationTimeoutNanos = DEFAULT_ALLOCATION_TIMEOUT_NANOS;
        private RetentionPolicy retention = RetentionPolicy.keepAll();
        private boolean recycleSegments = true;
        private int preparedSegments = DEFAULT_PREPARED_SEGMENTS;
        private boolean pipelinedForce;
        private int pipelinedForceMinRecordBytes = DEFAULT_PIPELINED_FORCE_MIN_RECORD_BYTES;
        private int pipelinedForceMinBatchBytes = DEFAULT_PIPELINED_FORCE_MIN_BATCH_BYTES;
        private long newJournalId;
        private LongSupplier epochMillisClock = System::currentTimeMillis;

        private Builder()
        {
        }

        /**
         * Segment file size: a power of two from 64 KiB to 1 GiB.
         *
         * @param segmentSize the size in bytes.
         * @return this builder.
         */
        public Builder segmentSize(final int segmentSize)
        {
            this.segmentSize = segmentSize;
            return this;
        }

        /**
         * Largest payload accepted; at most what fits in one segment. Defaults to 1 MiB, or to what fits when
         * segments are smaller than that.
         *
         * @param maxRecordSize the size in bytes.
         * @return this builder.
         */
        public Builder maxRecordSize(final int maxRecordSize)
        {
            this.maxRecordSize = maxRecordSize;
            this.maxRecordSizeSet = true;
            return this;
        }

        /**
         * The force policy.
         *
         * @param forcePolicy the policy.
         * @return this builder.
         */
        public Builder forcePolicy(final ForcePolicy forcePolicy)
        {
            this.forcePolicy = Objects.requireNonNull(forcePolicy, "forcePolicy");
            return this;
        }

        /**
         * How segment files get their blocks. {@link PreallocationMode#ADAPTIVE} by default, which with staged writes
         * (the default under forcing policies) means {@link PreallocationMode#BUFFERED} (see
         * {@link JournalConfig#effectivePreallocationMode()}) and with mapped writes: page-sized zero-fill
         * while the writer's forces are small, direct zero-fill once they are large, chosen per segment. Measured
         * on 2 cores and a virtio disk (docs/BENCHMARKS.md): page-sized zero-fill forces 16 KiB batches 2.4&times;
         * as often per second as direct; direct moves 1.7&times; the records under every-batch at full speed and
         * 2&times; under never, where page-sized zero-fill costs the allocator thread a system call per page.
         *
         * @param preallocationMode the mode.
         * @return this builder.
         */
        public Builder preallocationMode(final PreallocationMode preallocationMode)
        {
            this.preallocationMode = Objects.requireNonNull(preallocationMode, "preallocationMode");
            return this;
        }

        /**
         * How the allocator faults the pages of new segments in. By default {@link PretouchMode#WRITE} with the
         * {@link WriteMode#MAPPED} write mode (after a read pretouch the writer takes a write-protect fault per
         * page, docs/BENCHMARKS.md, "Append path and the plain-copy ceiling") and {@link PretouchMode#READ} with
         * {@link WriteMode#STAGED} (the writer does not store through the mapping, and a write pretouch would map
         * every page writable, which costs a TLB shootdown when it is written back).
         *
         * @param pretouchMode the mode.
         * @return this builder.
         */
        public Builder pretouchMode(final PretouchMode pretouchMode)
        {
            this.pretouchMode = Objects.requireNonNull(pretouchMode, "pretouchMode");
            return this;
        }

        /**
         * How the writer puts frames into the segment file. By default {@link WriteMode#STAGED} under every force
         * policy, the faster of the two under each in docs/BENCHMARKS.md ("Write modes"); {@link WriteMode#MAPPED}
         * makes each record visible to readers at its append instead of at the end of its batch.
         *
         * @param writeMode the mode.
         * @return this builder.
         */
        public Builder writeMode(final WriteMode writeMode)
        {
            this.writeMode = Objects.requireNonNull(writeMode, "writeMode");
            return this;
        }

        /**
         * What open does about damage that is not a torn tail.
         *
         * @param recoveryMode the mode.
         * @return this builder.
         */
        public Builder recoveryMode(final RecoveryMode recoveryMode)
        {
            this.recoveryMode = Objects.requireNonNull(recoveryMode, "recoveryMode");
            return this;
        }

        /**
         * How much of the journal open checks frame by frame.
         *
         * @param verifyScope the scope.
         * @return this builder.
         */
        public Builder verifyScope(final VerifyScope verifyScope)
        {
            this.verifyScope = Objects.requireNonNull(verifyScope, "verifyScope");
            return this;
        }

        /**
         * An observer told of every force, on the writer thread.
         *
         * @param forceObserver the observer.
         * @return this builder.
         */
        public Builder forceObserver(final ForceObserver forceObserver)
        {
            this.forceObserver = Objects.requireNonNull(forceObserver, "forceObserver");
            return this;
        }

        /**
         * A listener told, on the allocator thread, as soon as preparing the next segment fails (once per failure
         * episode: a full disk, say), while the writer still appends into the room it has, and when preparing
         * succeeds again; see {@link io.ringwal.segment.internal.SegmentAllocator} for the retries.
         *
         * @param allocationListener the listener.
         * @return this builder.
         */
        public Builder allocationListener(final AllocationListener allocationListener)
        {
            this.allocationListener = Objects.requireNonNull(allocationListener, "allocationListener");
            return this;
        }

        /**
         * Whether a background thread writes the active segment back every MiB under the never and bounded
         * policies (it never applies under every-batch, whose forces already do). On by default: without it the
         * whole-segment force at each rotation writes the segment back in one piece on the writer thread, holding
         * records back by tens of milliseconds at each rotation, long enough to fill the ring at high rates. Off, the
         * publishers see less interference between rotations: writing back mapped pages costs a TLB-shootdown
         * interrupt on every other core running the process, which shows in the publish call's far tail
         * (docs/BENCHMARKS.md, "Background write-back on or off"). Turn it off only where a rotation's write-back fits
         * in what the ring can hold. The durability promises are the same either way: the write-back never moves
         * the durable watermark.
         *
         * @param backgroundWriteBack false to write back only at forces (rotation included).
         * @return this builder.
         */
        public Builder backgroundWriteBack(final boolean backgroundWriteBack)
        {
            this.backgroundWriteBack = backgroundWriteBack;
            return this;
        }

        /**
         * Which finished segments the writer retires on its own (the allocator thread applies it before it prepares
         * each new segment). Default {@link RetentionPolicy#keepAll()}.
         *
         * @param retention the policy.
         * @return this builder.
         */
        public Builder retention(final RetentionPolicy retention)
        {
            this.retention = java.util.Objects.requireNonNull(retention, "retention");
            return this;
        }

        /**
         * Whether retired segments (by the retention policy or {@link JournalWriter#deleteSegmentsBelow}) are kept
         * and reused as new segments, which then need no zero-fill: each byte reaches the disk once. Default on.
         *
         * @param recycle true to recycle.
         * @return this builder.
         */
        public Builder recycleSegments(final boolean recycle)
        {
            this.recycleSegments = recycle;
            return this;
        }

        /**
         * How many segments the allocator keeps prepared (mapped and pretouched) ahead of the writer, from 1 to 8.
         * Default {@value JournalConfig#DEFAULT_PREPARED_SEGMENTS}.
         *
         * @param count the pool depth.
         * @return this builder.
         */
        public Builder preparedSegments(final int count)
        {
            this.preparedSegments = count;
            return this;
        }

        /**
         * Whether forces run on a thread of their own (pipelined group commit): at the end of a batch the writer
         * hands "force up to here" to the force thread and goes on appending; the next force covers everything
         * written meanwhile, and the durable watermark (and {@link JournalWriter#durabilityListener}) advances after
         * each completed force. Off: the writer forces itself at the end of the batch and waits. Rotations, explicit
         * {@link JournalWriter#force()} and close are synchronous either way. A failed force is final in both.
         * Only forces of batches of at least {@link #pipelinedForceMinBatchBytes(int)} whose records average at
         * least {@link #pipelinedForceMinRecordBytes(int)} go to the force thread; the writer forces the others
         * itself, after the force in flight. The writer waits for the force in flight once it has
         * written as much again as that force covers, so the unforced backlog stays bounded. Default off (after
         * {@code endOfBatch()} returns, what it forced is durable), here and in the Disruptor pipeline.
         *
         * @param pipelined true to force on a thread of its own.
         * @return this builder.
         */
        public Builder pipelinedForce(final boolean pipelined)
        {
            this.pipelinedForce = pipelined;
            return this;
        }

        /**
         * With pipelined forcing, which forces the force thread takes: those whose records average at least this
         * many bytes per frame (header included); the writer thread forces batches of smaller records itself (after
         * the force in flight, if any). Handing a force over pays when forcing is long next to the writer's and the
         * producers' work on the next batch, and costs when their CPU is the limit: on 2 cores, pipelining every
         * force moved 1.27&times; the records at 1 KiB and 1.33&times; at 4 KiB flat out, and 0.72&times; at 64 B
         * and 0.87&times; at 256 B (docs/BENCHMARKS.md, "Pipelined forcing"). Default
         * {@value JournalConfig#DEFAULT_PIPELINED_FORCE_MIN_RECORD_BYTES}.
         *
         * @param bytes the smallest average frame of a pipelined force; 0 pipelines every force.
         * @return this builder.
         * @throws IllegalArgumentException if negative.
         */
        public Builder pipelinedForceMinRecordBytes(final int bytes)
        {
            if (bytes < 0)
            {
                throw new IllegalArgumentException("pipelinedForceMinRecordBytes=" + bytes + " must not be negative");
            }
            this.pipelinedForceMinRecordBytes = bytes;
            return this;
        }

        /**
         * With pipelined forcing, the fewest bytes a batch must leave unforced for the force thread to take its
         * force; the writer thread forces a smaller batch itself (after the force in flight, if any). A small force
         * is quick, and handing it over costs a thread wake-up on the way to durable: at 100 k records/s of 1 KiB
         * (batches of ~45 KB) handing every force over made publish&rarr;durable p50 0.56 ms against a group
         * commit's 0.22 ms on 2 cores (docs/BENCHMARKS.md, "Pipelined forcing"). Default
         * {@value JournalConfig#DEFAULT_PIPELINED_FORCE_MIN_BATCH_BYTES}.
         *
         * @param bytes the smallest pipelined batch; 0 for no minimum.
         * @return this builder.
         * @throws IllegalArgumentException if negative.
         */
        public Builder pipelinedForceMinBatchBytes(final int bytes)
        {
            if (bytes < 0)
            {
                throw new IllegalArgumentException("pipelinedForceMinBatchBytes=" + bytes + " must not be negative");
            }
            this.pipelinedForceMinBatchBytes = bytes;
            return this;
        }

        /**
         * How long the writer waits for the allocator before it fails.
         *
         * @param timeout the timeout; positive.
         * @param unit    its unit.
         * @return this builder.
         */
        public Builder allocationTimeout(final long timeout, final TimeUnit unit)
        {
            this.allocationTimeoutNanos = unit.toNanos(timeout);
            return this;
        }

        /**
         * The id to give a journal created by this open (ignored when the journal exists); 0, the default, picks a
         * random one. For reproducible files (golden tests).
         *
         * @param journalId the id, or 0.
         * @return this builder.
         */
        public Builder newJournalId(final long journalId)
        {
            this.newJournalId = journalId;
            return this;
        }

        /**
         * The clock that stamps new segment headers; the system clock by default. For reproducible files.
         *
         * @param epochMillisClock the clock, in epoch milliseconds.
         * @return this builder.
         */
        public Builder epochMillisClock(final LongSupplier epochMillisClock)
        {
            this.epochMillisClock = Objects.requireNonNull(epochMillisClock, "epochMillisClock");
            return this;
        }

        /**
         * Checks every value and builds the configuration.
         *
         * @return the configuration.
         * @throws IllegalArgumentException naming the first value that is out of range.
         */
        public JournalConfig build()
        {
            if (!SegmentHeaderDescriptor.isValidSegmentSize(segmentSize))
            {
                throw new IllegalArgumentException("segmentSize=" + segmentSize + " must be a power of two from " +
                    SegmentHeaderDescriptor.MIN_SEGMENT_SIZE + " (64 KiB) to " +
                    SegmentHeaderDescriptor.MAX_SEGMENT_SIZE + " (1 GiB)");
            }
            final int maxPayload = maxPayloadFor(segmentSize);
            if (!maxRecordSizeSet && maxRecordSize > maxPayload)
            {
                maxRecordSize = maxPayload;
            }
            if (maxRecordSize < 0 || maxRecordSize > maxPayload)
            {
                throw new IllegalArgumentException("maxRecordSize=" + maxRecordSize + " must be from 0 to " +
                    maxPayload + " (what fits in a segment of " + segmentSize + " bytes)");
            }
            if (preparedSegments < 1 || preparedSegments > MAX_PREPARED_SEGMENTS)
            {
                throw new IllegalArgumentException("preparedSegments=" + preparedSegments + " must be from 1 to " +
                    MAX_PREPARED_SEGMENTS);
            }
            if (allocationTimeoutNanos <= 0)
            {
                throw new IllegalArgumentException(
                    "allocationTimeoutNanos=" + allocationTimeoutNanos + " must be positive");
            }
            return new JournalConfig(this);
        }
    }
}
