package io.ringwal.journal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Left padding of {@link PaddedSequence}: superclass fields are laid out first, so 120 bytes of nothing sit before
 * the value (two cache lines with the adjacent-line prefetcher, with the object header).
 */
@SuppressWarnings("unused")
abstract class PaddedSequenceLeft
{
    long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}

/** The value of {@link PaddedSequence}, between its paddings. */
abstract class PaddedSequenceValue extends PaddedSequenceLeft
{
    volatile long value;
}

/** Right padding of {@link PaddedSequence}. */
@SuppressWarnings("unused")
abstract class PaddedSequenceRight extends PaddedSequenceValue
{
    long p16, p17, p18, p19, p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30;
}

/**
 * A sequence on a cache line of its own, for a watermark written by one thread and read by others (the writer's
 * written and durable sequences), so that the writer's per-record fields do not share its line. The memory
 * ordering is in the method names.
 */
final class PaddedSequence extends PaddedSequenceRight
{
    private static final VarHandle VALUE;

    static
    {
        try
        {
            VALUE = MethodHandles.lookup().findVarHandle(PaddedSequenceValue.class, "value", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    PaddedSequence(final long initial)
    {
        VALUE.setRelease(this, initial);
    }

    long getAcquire()
    {
        return (long)VALUE.getAcquire(this);
    }

    void setRelease(final long newValue)
    {
        VALUE.setRelease(this, newValue);
    }
}
