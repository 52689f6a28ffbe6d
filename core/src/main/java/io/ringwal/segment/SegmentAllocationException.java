package io.ringwal.segment;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The allocator could not prepare the next segment. On a full disk the message is
 * {@code no space left on device in DIR: next segment of N bytes could not be allocated}; otherwise
 * {@code next segment of N bytes could not be allocated in DIR: } and the cause. The cause is the file system's
 * {@link IOException}, naming the temporary file that was being prepared.
 */
public final class SegmentAllocationException extends IOException
{
    private static final long serialVersionUID = 1L;
    private static final String NO_SPACE = "No space left on device";

    private final boolean noSpace;

    private SegmentAllocationException(final String message, final boolean noSpace, final IOException cause)
    {
        super(message, cause);
        this.noSpace = noSpace;
    }

    /**
     * Describes a failure to prepare a segment: as a full disk when the file system said so ({@code ENOSPC}
     * anywhere in the cause chain) or when less than a segment's worth of space is left.
     *
     * @param directory   the journal directory.
     * @param segmentSize the segment size.
     * @param freeSpace   the usable bytes left on the directory's file system, as the allocator read them.
     * @param cause       the failure.
     * @return the exception.
     */
    public static SegmentAllocationException of(
        final Path directory, final int segmentSize, final long freeSpace, final IOException cause)
    {
        final boolean noSpace = saysNoSpace(cause) || freeSpace < segmentSize;
        final String message = noSpace ?
            "no space left on device in " + directory + ": next segment of " + segmentSize +
            " bytes could not be allocated" :
            "next segment of " + segmentSize + " bytes could not be allocated in " + directory + ": " + cause;
        return new SegmentAllocationException(message, noSpace, cause);
    }

    /**
     * Whether the disk was full: the file system reported {@code ENOSPC} or less than a segment was left.
     *
     * @return true for a full disk.
     */
    public boolean isNoSpace()
    {
        return noSpace;
    }

    /**
     * The file system's error.
     *
     * @return the cause.
     */
    @Override
    public synchronized IOException getCause()
    {
        return (IOException)super.getCause();
    }

    private static boolean saysNoSpace(final Throwable failure)
    {
        for (Throwable t = failure; t != null; t = t.getCause())
        {
            if (t.getMessage() != null && t.getMessage().contains(NO_SPACE))
            {
                return true;
            }
        }
        return false;
    }
}
