package io.ringwal.bench.load;

import java.nio.file.Path;

import org.HdrHistogram.Histogram;

import io.ringwal.format.SegmentHeaderDescriptor;
import io.ringwal.journal.ForceObserver;

/**
 * A {@link ForceObserver} that records the duration of every data force (a written range of a segment) in an
 * HdrHistogram, and counts the rotation forces (a new segment's header, the directory) apart. Called on the
 * writer thread; allocates nothing. Read it after the writer stopped (or accept a slightly stale view).
 *
 * <p>The journal reports a rotation's header force with offset 0 and the header's length, and the directory
 * force with length 0; every other force is a data force, the ones the journal's force counter counts.
 */
public final class ForceTimes implements ForceObserver
{
    private final Histogram dataForces = new Histogram(LoadGenerator.HIGHEST_TRACKABLE_NANOS, 3);
    private long forcedBytes;
    private long rotationForces;
    private long rotationForceNanos;

    /**
     * Creates the observer.
     */
    public ForceTimes()
    {
    }

    @Override
    public void afterForce(
        final Path segment, final long offset, final long length, final long uptoSequence, final long durationNanos)
    {
        if (length == 0 || (offset == 0 && length == SegmentHeaderDescriptor.HEADER_LENGTH))
        {
            rotationForces++;
            rotationForceNanos += durationNanos;
            return;
        }
        forcedBytes += length;
        dataForces.recordValue(Math.min(Math.max(0, durationNanos), LoadGenerator.HIGHEST_TRACKABLE_NANOS));
    }

    /**
     * Durations of the data forces, ns.
     *
     * @return the histogram (live; copy it to read while the writer runs).
     */
    public Histogram dataForces()
    {
        return dataForces;
    }

    /**
     * Bytes in the forced data ranges.
     *
     * @return bytes.
     */
    public long forcedBytes()
    {
        return forcedBytes;
    }

    /**
     * Header and directory forces made at rotations.
     *
     * @return the count.
     */
    public long rotationForces()
    {
        return rotationForces;
    }

    /**
     * Time spent in header and directory forces at rotations.
     *
     * @return nanoseconds.
     */
    public long rotationForceNanos()
    {
        return rotationForceNanos;
    }
}
