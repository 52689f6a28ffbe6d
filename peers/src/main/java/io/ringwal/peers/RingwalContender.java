package io.ringwal.peers;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

import org.agrona.DirectBuffer;

import io.ringwal.disruptor.JournalPipeline;
import io.ringwal.disruptor.JournalPipelineBuilder;
import io.ringwal.disruptor.PipelineCounters;
import io.ringwal.journal.ForcePolicy;
import io.ringwal.journal.JournalConfig;
import io.ringwal.journal.JournalSpace;
import io.ringwal.journal.JournalReader;
import io.ringwal.journal.WriteMode;
import io.ringwal.segment.PreallocationMode;

/**
 * ringwal's Disruptor pipeline with one force policy, with the defaults a user gets (ring of 8,192 slots,
 * multi-producer, phased wait, 64 MiB segments, staged writes, ADAPTIVE preallocation), or with one setting changed:
 * the preallocation mode, retention and reserved segments, pipelined forcing, the ring's size or the write mode.
 */
public final class RingwalContender implements Contender
{
    /** The bounded policy used: force when 5 ms or 4 MiB are unforced. */
    public static final ForcePolicy BOUNDED = ForcePolicy.bounded(5, TimeUnit.MILLISECONDS, 4L << 20);

    private final String name;
    private final ForcePolicy policy;
    private final PreallocationMode preallocation;
    private final long retainBytes;
    private final int reserveSegments;
    private boolean pipelinedForce = JournalPipelineBuilder.DEFAULT_PIPELINED_FORCE;
    private int ringBytes;
    private WriteMode writeMode;
    private JournalPipeline pipeline;
    private AtomicLongArray lastSequence;
    private int producers;

    /**
     * A ringwal contender.
     *
     * @param name   its name.
     * @param policy its force policy.
     */
    public RingwalContender(final String name, final ForcePolicy policy)
    {
        this(name, policy, null);
    }

    /**
     * A ringwal contender with a preallocation mode other than the policy's default.
     *
     * @param name          its name.
     * @param policy        its force policy.
     * @param preallocation the preallocation mode, or null for the policy's default.
     */
    public RingwalContender(final String name, final ForcePolicy policy, final PreallocationMode preallocation)
    {
        this(name, policy, preallocation, 0);
    }

    /**
     * A ringwal contender whose journal keeps at most {@code retainBytes} of segments (retention on, retired
     * segments recycled), as a journal that runs for ever is configured; its read-back checks what is retained.
     *
     * @param name          its name.
     * @param policy        its force policy.
     * @param preallocation the preallocation mode, or null for the policy's default.
     * @param retainBytes   the retention limit in bytes, 0 to keep everything.
     */
    public RingwalContender(final String name, final ForcePolicy policy, final PreallocationMode preallocation,
        final long retainBytes)
    {
        this(name, policy, preallocation, retainBytes, 0);
    }

    /**
     * A ringwal contender whose journal directory gets {@code reserveSegments} free segment files
     * ({@link JournalSpace#reserve}) in {@link #open}, before the clock starts, as an operator reserves a journal's
     * space at install time: the counterpart of the reused group commit's pool of preallocated files.
     *
     * @param name            its name.
     * @param policy          its force policy.
     * @param preallocation   the preallocation mode, or null for the policy's default.
     * @param retainBytes     the retention limit in bytes, 0 to keep everything.
     * @param reserveSegments how many free segment files to reserve before the run.
     */
    public RingwalContender(final String name, final ForcePolicy policy, final PreallocationMode preallocation,
        final long retainBytes, final int reserveSegments)
    {
        this.reserveSegments = reserveSegments;
        this.name = name;
        this.policy = policy;
        this.preallocation = preallocation;
        this.retainBytes = retainBytes;
    }

    /**
     * Turns pipelined forcing on (a force thread takes the forces of large batches of large records), for a
     * same-run comparison with the default.
     *
     * @return this contender.
     */
    public RingwalContender pipelinedForcing()
    {
        this.pipelinedForce = true;
        return this;
    }

    /**
     * Sizes the ring by the bytes of records it holds, as {@link GroupCommitReusedContender} does: {@code bytes}
     * divided by the record size, rounded down to a power of two, within 8,192 and 65,536 slots.
     *
     * @param bytes the records' bytes the ring holds.
     * @return this contender.
     */
    public RingwalContender ringBytes(final int bytes)
    {
        this.ringBytes = bytes;
        return this;
    }

    /**
     * Sets the journal's write mode instead of its default.
     *
     * @param mode the write mode.
     * @return this contender.
     */
    public RingwalContender writeMode(final WriteMode mode)
    {
        this.writeMode = mode;
        return this;
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public void open(final Path dir, final Workload workload)
    {
        producers = workload.producers();
        lastSequence = new AtomicLongArray(producers);
        for (int p = 0; p < producers; p++)
        {
            lastSequence.set(p, -1);
        }
        final JournalConfig config = journalConfig();
        if (reserveSegments > 0)
        {
            JournalSpace.reserve(dir, config, reserveSegments);
        }
        final JournalPipelineBuilder builder = JournalPipeline.builder(dir);
        if (ringBytes > 0)
        {
            builder.ringSize(GroupCommitReusedContender.ringSlots(ringBytes, workload.recordSize()));
        }
        pipeline = builder
            .journalConfig(config)
            .maxRecordSize(workload.recordSize())
            .slotSize(workload.recordSize()) // the records' size is known: every slot fits one, none grows
            .pipelinedForce(pipelinedForce)
            .build()
            .start();
    }

    private JournalConfig journalConfig()
    {
        final JournalConfig.Builder builder = JournalConfig.builder().forcePolicy(policy);
        if (preallocation != null)
        {
            builder.preallocationMode(preallocation);
        }
        if (writeMode != null)
        {
            builder.writeMode(writeMode);
        }
        if (retainBytes > 0)
        {
            builder.retention(io.ringwal.journal.RetentionPolicy.maxBytes(retainBytes));
        }
        return builder.build();
    }

    @Override
    public long publish(final int producer, final byte[] payload)
    {
        final long sequence = pipeline.publish(payload, 0, payload.length);
        lastSequence.lazySet(producer, sequence);
        return sequence;
    }

    @Override
    public Completion completion()
    {
        return policy.kind() == ForcePolicy.Kind.NEVER ? Completion.WRITTEN : Completion.DURABLE;
    }

    @Override
    public long completedTicket(final int producer)
    {
        return policy.kind() == ForcePolicy.Kind.NEVER ? pipeline.writtenSequence() : pipeline.durableSequence();
    }

    @Override
    public void awaitAll() throws InterruptedException
    {
        long last = -1;
        for (int p = 0; p < producers; p++)
        {
            last = Math.max(last, lastSequence.get(p));
        }
        if (policy.kind() == ForcePolicy.Kind.NEVER)
        {
            while (pipeline.writtenSequence() < last)
            {
                LockSupport.parkNanos(10_000);
            }
        }
        else
        {
            pipeline.awaitDurable(last);
        }
    }

    @Override
    public Map<String, Long> counters()
    {
        final PipelineCounters c = pipeline.counters();
        final Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("records", c.records());
        counters.put("bytes", c.bytes());
        counters.put("batches", c.batches());
        counters.put("forces", c.forces());
        counters.put("forceMs", c.forceNanos() / 1_000_000);
        counters.put("rotations", c.rotations());
        counters.put("allocatorWaits", c.allocatorWaits());
        counters.put("publishRingFull", c.publishRingFull());
        counters.put("tryPublishRingFull", c.tryPublishRingFull());
        return counters;
    }

    @Override
    public void close()
    {
        pipeline.close();
    }

    @Override
    public VerifyResult readBackAndVerify(final Path dir, final Workload workload, final long[] published)
    {
        final RecordChecker checker = new RecordChecker(workload.recordSize(), published);
        if (retainBytes > 0)
        {
            checker.allowRetiredPrefix();
        }
        final byte[] scratch = new byte[65536];
        try (JournalReader reader = JournalReader.open(dir, retainBytes > 0 ? firstRetained(dir) : 0))
        {
            while (reader.poll((final long sequence, final DirectBuffer buffer, final int offset, final int length) ->
            {
                final int n = Math.min(length, scratch.length);
                buffer.getBytes(offset, scratch, 0, n);
                checker.onRecord(scratch, 0, length);
            }, 4096) > 0)
            {
                Thread.onSpinWait();
            }
        }
        catch (final RuntimeException ex)
        {
            checker.mangledFrame("reader: " + ex);
        }
        return checker.result();
    }

    private static long firstRetained(final Path dir)
    {
        try
        {
            final long[] bases = io.ringwal.format.SegmentFileNames.listSegmentBases(dir);
            return bases.length > 0 ? bases[0] : 0;
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }
}
