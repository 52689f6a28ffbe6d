package io.ringwal.bench.load;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import io.ringwal.disruptor.DurabilityListener;

/**
 * A log of durable-watermark advances: each entry is the new durable sequence and the {@link System#nanoTime()}
 * at which it was seen, in a preallocated ring. One thread appends (the pipeline's writer thread, through
 * {@link #onDurable(long)}, or the producer itself when it is the writer); any thread reads. This is how
 * {@code ringwal load} measures publish&rarr;durable latency without allocating and without per-record work on
 * the writer thread: each producer keeps the (sequence, start time) of its own records that are not yet durable,
 * and completes them later against this log, taking the time of the first advance that covers each record.
 * Because the log keeps the time of the advance, a producer that looks later still records the exact latency.
 *
 * <p>Entries are overwritten after {@link #capacity()} further advances. A reader that falls that far behind
 * detects it (the count read after the entry shows the entry may have been reused) and skips ahead; records
 * completed against a later entry than their own are counted by the reader as late.
 */
public final class DurableLog implements DurabilityListener
{
    /** Default number of entries kept: about 20 s of advances at 3,000 forces per second. */
    public static final int DEFAULT_CAPACITY = 1 << 16;

    private static final VarHandle COUNT;

    static
    {
        try
        {
            COUNT = MethodHandles.lookup().findVarHandle(DurableLog.class, "count", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final long[] sequences;
    private final long[] nanos;
    private final int mask;
    private long lastDurable = -1;
    @SuppressWarnings("unused") // accessed through COUNT
    private volatile long count;

    /**
     * Creates a log.
     *
     * @param capacity entries kept, a power of two.
     */
    public DurableLog(final int capacity)
    {
        if (capacity < 2 || Integer.bitCount(capacity) != 1)
        {
            throw new IllegalArgumentException("capacity=" + capacity + " must be a power of two, at least 2");
        }
        this.sequences = new long[capacity];
        this.nanos = new long[capacity];
        this.mask = capacity - 1;
    }

    /**
     * Appends an advance, stamped now. Only one thread may call this; advances that do not move the watermark
     * are ignored.
     *
     * @param durableSequence the new durable watermark.
     */
    @Override
    public void onDurable(final long durableSequence)
    {
        if (durableSequence <= lastDurable)
        {
            return;
        }
        lastDurable = durableSequence;
        final long index = (long)COUNT.getOpaque(this);
        final int slot = (int)(index & mask);
        sequences[slot] = durableSequence;
        nanos[slot] = System.nanoTime();
        COUNT.setRelease(this, index + 1);
    }

    /**
     * Number of advances appended so far (acquire: entries below it are readable).
     *
     * @return the count.
     */
    public long count()
    {
        return (long)COUNT.getAcquire(this);
    }

    /**
     * The durable sequence of an entry; valid only if {@code count() - index <= capacity()} still holds after
     * the read.
     *
     * @param index the entry, below {@link #count()}.
     * @return the durable sequence.
     */
    public long sequence(final long index)
    {
        return sequences[(int)(index & mask)];
    }

    /**
     * The time of an entry; valid under the same condition as {@link #sequence(long)}.
     *
     * @param index the entry, below {@link #count()}.
     * @return the {@link System#nanoTime()} at which the advance was seen.
     */
    public long nanos(final long index)
    {
        return nanos[(int)(index & mask)];
    }

    /**
     * Entries kept.
     *
     * @return the capacity.
     */
    public int capacity()
    {
        return mask + 1;
    }
}
