package io.ringwal.journal;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A claimed frame in the active segment, for zero-copy appends: write the payload into {@link #buffer()}
 * (index 0 to {@link #length()}), then {@link #commit()} or {@link #abort()}. One instance per writer, reused
 * for every claim; valid only until the commit or abort, and only on the writer's thread.
 */
public final class WriteClaim
{
    private final SegmentAppender appender;
    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    private long sequence = -1;
    private int length;
    private boolean open;

    WriteClaim(final SegmentAppender appender)
    {
        this.appender = appender;
    }

    void open(final long address, final int length, final long sequence)
    {
        this.buffer.wrap(address, length);
        this.length = length;
        this.sequence = sequence;
        this.open = true;
    }

    void close()
    {
        open = false;
        buffer.wrap(0, 0);
    }

    /**
     * The payload area of the claimed frame, exactly {@link #length()} bytes from index 0. Writes outside it are
     * refused by bounds checks (when Agrona's bounds checks are on).
     *
     * @return the buffer.
     */
    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * The claimed payload length.
     *
     * @return the length.
     */
    public int length()
    {
        return length;
    }

    /**
     * The sequence the record gets when committed.
     *
     * @return the sequence.
     */
    public long sequence()
    {
        return sequence;
    }

    /**
     * Whether this claim is open (not yet committed or aborted).
     *
     * @return true while open.
     */
    public boolean isOpen()
    {
        return open;
    }

    /**
     * Commits the record: computes its CRC and publishes its length.
     *
     * @return the record's sequence.
     * @throws IllegalStateException if the claim is not open (committed or aborted already).
     */
    public long commit()
    {
        if (!open)
        {
            throw new IllegalStateException("claim is not open: it was already committed or aborted");
        }
        return appender.commitClaim(this);
    }

    /**
     * Abandons the claim: the bytes are zeroed and the sequence is not used.
     *
     * @throws IllegalStateException if the claim is not open.
     */
    public void abort()
    {
        if (!open)
        {
            throw new IllegalStateException("claim is not open: it was already committed or aborted");
        }
        appender.abortClaim(this);
    }
}
