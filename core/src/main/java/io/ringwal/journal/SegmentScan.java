package io.ringwal.journal;

import java.nio.file.Path;

/**
 * What a frame-by-frame scan of one segment file found. Produced by {@link SegmentScanner}.
 */
public final class SegmentScan
{
    /** How the scanned part of a segment ended. */
    public enum End
    {
        /** A zero frame length: nothing written from there on (the normal end of the active segment). */
        EMPTY,
        /** A padding frame closes the segment. */
        PADDING,
        /** Fewer bytes than a frame header are left: the segment is full. */
        FULL,
        /** A frame that is not valid: impossible length, unknown type, wrong sequence or bad CRC. */
        DAMAGE
    }

    private final Path file;
    private final long baseSequence;
    private final long segmentSize;
    private final int version;
    private final long records;
    private final long markers;
    private final long skipped;
    private final long nextSequence;
    private final int endOffset;
    private final End end;
    private final String damage;
    private final long lastNonZeroOffset;
    private final boolean closedCleanly;

    SegmentScan(
        final Path file,
        final long baseSequence,
        final long segmentSize,
        final int version,
        final long records,
        final long markers,
        final long skipped,
        final long nextSequence,
        final int endOffset,
        final End end,
        final String damage,
        final long lastNonZeroOffset,
        final boolean closedCleanly)
    {
        this.version = version;
        this.markers = markers;
        this.skipped = skipped;
        this.closedCleanly = closedCleanly;
        this.file = file;
        this.baseSequence = baseSequence;
        this.segmentSize = segmentSize;
        this.records = records;
        this.nextSequence = nextSequence;
        this.endOffset = endOffset;
        this.end = end;
        this.damage = damage;
        this.lastNonZeroOffset = lastNonZeroOffset;
    }

    /**
     * The segment file.
     *
     * @return the path.
     */
    public Path file()
    {
        return file;
    }

    /**
     * The base sequence from the header.
     *
     * @return the base sequence.
     */
    public long baseSequence()
    {
        return baseSequence;
    }

    /**
     * The segment size from the header.
     *
     * @return the size.
     */
    public long segmentSize()
    {
        return segmentSize;
    }

    /**
     * The segment's format version, from its header.
     *
     * @return the version.
     */
    public int version()
    {
        return version;
    }

    /**
     * Number of open and close markers the scan passed.
     *
     * @return the marker count.
     */
    public long markers()
    {
        return markers;
    }

    /**
     * Number of skipped sequences (frames that consume a sequence but hold no record) the scan passed.
     *
     * @return the skipped count.
     */
    public long skipped()
    {
        return skipped;
    }

    /**
     * Whether the frames end right after a close marker: the writer closed the journal cleanly here and
     * nothing was written after it.
     *
     * @return true if closed cleanly.
     */
    public boolean closedCleanly()
    {
        return closedCleanly;
    }

    /**
     * Number of records (data frames) the scan passed.
     *
     * @return the record count.
     */
    public long records()
    {
        return records;
    }

    /**
     * The sequence the next record after the valid ones has (or had).
     *
     * @return the next sequence.
     */
    public long nextSequence()
    {
        return nextSequence;
    }

    /**
     * Offset just past the last valid frame: where the next frame goes, or where the damage starts.
     *
     * @return the offset.
     */
    public int endOffset()
    {
        return endOffset;
    }

    /**
     * How the scanned part ended.
     *
     * @return the end kind.
     */
    public End end()
    {
        return end;
    }

    /**
     * What is wrong at {@link #endOffset()} when {@link #end()} is {@link End#DAMAGE}.
     *
     * @return the description, or null.
     */
    public String damage()
    {
        return damage;
    }

    /**
     * Offset of the last non-zero byte at or after {@link #endOffset()}, or -1 when everything from there on is
     * zero (or was not examined).
     *
     * @return the offset or -1.
     */
    public long lastNonZeroOffset()
    {
        return lastNonZeroOffset;
    }

    /**
     * Whether the segment is closed (padding frame, or full).
     *
     * @return true if no further frame can be written to it.
     */
    public boolean isClosed()
    {
        return end == End.PADDING || end == End.FULL;
    }

    @Override
    public String toString()
    {
        return "SegmentScan{file=" + file + ", base=" + baseSequence + ", records=" + records +
            ", next=" + nextSequence + ", endOffset=" + endOffset + ", end=" + end +
            (damage != null ? ", damage=" + damage : "") + '}';
    }
}
