package io.ringwal.bench.load;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Progress the producer publishes once per batch (release stores) for the reporter thread to read.
 */
public final class LoadProgress
{
    private static final VarHandle RECORDS;
    private static final VarHandle BYTES;
    private static final VarHandle FORCES;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            RECORDS = lookup.findVarHandle(LoadProgress.class, "records", long.class);
            BYTES = lookup.findVarHandle(LoadProgress.class, "bytes", long.class);
            FORCES = lookup.findVarHandle(LoadProgress.class, "forces", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    @SuppressWarnings("unused") // through RECORDS
    private volatile long records;
    @SuppressWarnings("unused") // through BYTES
    private volatile long bytes;
    @SuppressWarnings("unused") // through FORCES
    private volatile long forces;

    /**
     * Publishes the producer's totals.
     *
     * @param records records appended.
     * @param bytes   payload bytes appended.
     * @param forces  forces made.
     */
    public void publishRelease(final long records, final long bytes, final long forces)
    {
        RECORDS.setRelease(this, records);
        BYTES.setRelease(this, bytes);
        FORCES.setRelease(this, forces);
    }

    /**
     * Records appended so far.
     *
     * @return the count.
     */
    public long recordsAcquire()
    {
        return (long)RECORDS.getAcquire(this);
    }

    /**
     * Payload bytes appended so far.
     *
     * @return the count.
     */
    public long bytesAcquire()
    {
        return (long)BYTES.getAcquire(this);
    }

    /**
     * Forces so far.
     *
     * @return the count.
     */
    public long forcesAcquire()
    {
        return (long)FORCES.getAcquire(this);
    }
}
