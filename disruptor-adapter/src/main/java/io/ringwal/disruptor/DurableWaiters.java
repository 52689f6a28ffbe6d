package io.ringwal.disruptor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * Threads parked waiting for the durable watermark, in a fixed array so that waiting allocates nothing.
 *
 * <p>Protocol, free of lost wake-ups: a waiter registers (a CAS into a free slot and an atomic increment of the
 * count, both with volatile semantics), then re-reads the watermark before each park. The writer stores the
 * watermark, issues a full fence, then reads the count and unparks every registered thread. Either the writer
 * sees the registration, or the waiter sees the new watermark. A waiter that finds no free slot falls back to
 * timed parking.
 */
final class DurableWaiters
{
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Thread[].class);
    private static final VarHandle COUNT;

    static
    {
        try
        {
            COUNT = MethodHandles.lookup().findVarHandle(DurableWaiters.class, "count", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private static final VarHandle TARGETS = MethodHandles.arrayElementVarHandle(long[].class);

    private final Thread[] slots;
    /** The sequence each registered waiter waits for, written before its thread is published in {@link #slots}. */
    private final long[] targets;
    private final int mask;
    @SuppressWarnings("unused") // accessed through COUNT
    private volatile int count;

    DurableWaiters(final int capacity)
    {
        int size = 1;
        while (size < capacity)
        {
            size <<= 1;
        }
        this.slots = new Thread[size];
        this.targets = new long[size];
        this.mask = size - 1;
    }

    /**
     * Registers a waiter for {@code sequence}: {@link #wakeUpTo(long)} wakes it once the watermark reaches it.
     */
    int register(final Thread thread, final long sequence)
    {
        final int start = (int)thread.getId() & mask;
        for (int i = 0; i <= mask; i++)
        {
            final int index = (start + i) & mask;
            if (SLOTS.compareAndSet(slots, index, null, thread))
            {
                // A waker that still reads the previous waiter's target may skip this one, but the caller checks the
                // watermark again after this fence before it parks (and the waker fences before it reads targets),
                // so one of the two sees the other's write.
                TARGETS.setVolatile(targets, index, sequence);
                VarHandle.fullFence();
                COUNT.getAndAdd(this, 1);
                return index;
            }
        }
        return -1;
    }

    /**
     * Wakes the waiters whose sequence is at or below {@code durable}; the others sleep on (one futex wake per
     * waiter that can go, not per registered waiter).
     */
    void wakeUpTo(final long durable)
    {
        VarHandle.fullFence();
        if ((int)COUNT.getVolatile(this) == 0)
        {
            return;
        }
        final Thread[] slots = this.slots;
        for (int i = 0; i < slots.length; i++)
        {
            final Thread waiter = (Thread)SLOTS.getVolatile(slots, i);
            if (waiter != null && (long)TARGETS.getVolatile(targets, i) <= durable)
            {
                LockSupport.unpark(waiter);
            }
        }
    }

    void deregister(final int index)
    {
        if (index >= 0)
        {
            SLOTS.setVolatile(slots, index, null);
            COUNT.getAndAdd(this, -1);
        }
    }

    /**
     * Unparks every registered waiter. Call after storing the new watermark (or failure, or closed state).
     */
    void wakeAll()
    {
        VarHandle.fullFence();
        if ((int)COUNT.getVolatile(this) == 0)
        {
            return;
        }
        final Thread[] slots = this.slots;
        for (int i = 0; i < slots.length; i++)
        {
            final Thread waiter = (Thread)SLOTS.getVolatile(slots, i);
            if (waiter != null)
            {
                LockSupport.unpark(waiter);
            }
        }
    }
}
