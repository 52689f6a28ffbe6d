package io.ringwal.journal;

import java.nio.file.Path;

/**
 * Observes every force the writer makes, on the writer thread: forces of written ranges of the active segment,
 * and at each rotation the force of the new segment's header (while it still has its temporary name, offset 0,
 * the header's length) and the force of the journal directory after the rename (the directory's path, offset 0,
 * length 0). For monitoring, and for tests that check that
 * nothing is reported durable before it was forced or that inject a force failure (by throwing from
 * {@link #beforeForce}). Implementations must be quick and must not call back into the writer.
 */
public interface ForceObserver
{
    /** An observer that does nothing. */
    ForceObserver NONE = new ForceObserver()
    {
    };

    /**
     * Called just before a range of a segment is forced. Throwing {@link java.io.UncheckedIOException} here
     * makes the force fail as a real one would.
     *
     * @param segment        the segment file, or the journal directory.
     * @param offset         start of the range.
     * @param length         length of the range.
     * @param uptoSequence   the highest sequence the force makes durable.
     */
    default void beforeForce(final Path segment, final long offset, final long length, final long uptoSequence)
    {
    }

    /**
     * Called after a range was forced successfully and before the durable watermark advances.
     *
     * @param segment        the segment file, or the journal directory.
     * @param offset         start of the range.
     * @param length         length of the range.
     * @param uptoSequence   the highest sequence now durable.
     * @param durationNanos  how long the force took.
     */
    default void afterForce(
        final Path segment, final long offset, final long length, final long uptoSequence, final long durationNanos)
    {
    }
}
