package io.ringwal.peers;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import com.lmax.disruptor.util.DaemonThreadFactory;

/**
 * What a user writes in an afternoon: a Disruptor (1,024 slots unless the subclass sizes it, multi-producer,
 * blocking wait strategy) whose slots hold a copy of the payload, and one handler thread that stores them. The
 * ticket is the ring sequence; the subclass advances {@link #completed} as records become written or durable.
 */
public abstract class DisruptorBaseline implements Contender, EventHandler<DisruptorBaseline.Slot>
{
    /** Ring size of the baselines unless they say otherwise. */
    public static final int RING_SIZE = 1024;

    /** The watermark: the highest ring sequence complete. */
    protected final AtomicLong completed = new AtomicLong(-1);

    private final String name;
    private Disruptor<Slot> disruptor;
    private RingBuffer<Slot> ring;

    /**
     * A baseline.
     *
     * @param name its name.
     */
    protected DisruptorBaseline(final String name)
    {
        this.name = name;
    }

    /** One ring slot: a copy of a record. */
    public static final class Slot
    {
        byte[] data;
        int length;
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public void open(final Path dir, final Workload workload) throws Exception
    {
        openFiles(dir, workload);
        final int size = workload.recordSize();
        disruptor = new Disruptor<>(() ->
        {
            final Slot slot = new Slot();
            slot.data = new byte[size];
            return slot;
        }, ringSize(workload), DaemonThreadFactory.INSTANCE, ProducerType.MULTI, new BlockingWaitStrategy());
        disruptor.handleEventsWith(this);
        ring = disruptor.start();
    }

    /**
     * The ring's size for a workload: {@link #RING_SIZE} unless the baseline says otherwise.
     *
     * @param workload the workload.
     * @return a power of two.
     */
    protected int ringSize(final Workload workload)
    {
        return RING_SIZE;
    }

    /**
     * Opens the baseline's files.
     *
     * @param dir      the directory.
     * @param workload the workload.
     * @throws Exception on failure.
     */
    protected abstract void openFiles(Path dir, Workload workload) throws Exception;

    @Override
    public long publish(final int producer, final byte[] payload)
    {
        final long sequence = ring.next();
        final Slot slot = ring.get(sequence);
        System.arraycopy(payload, 0, slot.data, 0, payload.length);
        slot.length = payload.length;
        ring.publish(sequence);
        return sequence;
    }

    @Override
    public long completedTicket(final int producer)
    {
        return completed.get();
    }

    @Override
    public void awaitAll()
    {
        final long last = ring.getCursor();
        while (completed.get() < last)
        {
            LockSupport.parkNanos(10_000);
        }
    }

    @Override
    public void close() throws Exception
    {
        disruptor.shutdown();
        closeFiles();
    }

    /**
     * Closes the baseline's files.
     *
     * @throws Exception on failure.
     */
    protected abstract void closeFiles() throws Exception;
}
