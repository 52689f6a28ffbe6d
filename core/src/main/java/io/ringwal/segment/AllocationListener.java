package io.ringwal.segment;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Told, on the allocator thread, when preparing the next segment fails and when it succeeds again: the early
 * warning of a full disk. The writer goes on appending into the room it still has (the active segment and any
 * segment prepared before the failure) and fails only at the rotation that finds no prepared segment; the
 * allocator keeps trying (the journal's segment allocator thread), so space freed in the meantime (by an operator, or by
 * retention) averts the failure. Implementations must be quick, must not block and must not call back into the
 * writer; an exception they throw is logged and otherwise ignored.
 */
@FunctionalInterface
public interface AllocationListener
{
    /** A listener that does nothing. */
    AllocationListener NONE = (directory, segmentSize, cause) ->
    {
    };

    /**
     * Preparing the next segment failed, for the first time since the last success (once per failure episode,
     * not once per retry).
     *
     * @param directory   the journal directory.
     * @param segmentSize the size of the segment that could not be allocated.
     * @param cause       why: a {@link SegmentAllocationException} whose message names the directory and the size,
     *                    with the file system's {@link IOException} as its cause.
     */
    void allocationFailed(Path directory, int segmentSize, SegmentAllocationException cause);

    /**
     * A segment could be prepared again after a failure episode.
     *
     * @param directory the journal directory.
     */
    default void allocationRecovered(final Path directory)
    {
    }
}
