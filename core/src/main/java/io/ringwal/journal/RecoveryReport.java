package io.ringwal.journal;

import java.nio.file.Path;
import java.util.List;

/**
 * What opening a journal found and did: how many segments and records, whether a torn tail was cut (where, how
 * many bytes, the last good sequence), which leftover files were removed and, in repair mode, what was dropped.
 */
public final class RecoveryReport
{
    private final Path directory;
    private final boolean created;
    private final int segments;
    private final long firstSequence;
    private final long lastSequence;
    private final long recordsScanned;
    private final Path tornSegment;
    private final long tornOffset;
    private final long tornBytes;
    private final List<Path> removedFiles;
    private final String repairedDamage;
    private final List<Path> droppedSegments;
    private final long durationNanos;

    RecoveryReport(
        final Path directory,
        final boolean created,
        final int segments,
        final long firstSequence,
        final long lastSequence,
        final long recordsScanned,
        final Path tornSegment,
        final long tornOffset,
        final long tornBytes,
        final List<Path> removedFiles,
        final String repairedDamage,
        final List<Path> droppedSegments,
        final long durationNanos)
    {
        this.directory = directory;
        this.created = created;
        this.segments = segments;
        this.firstSequence = firstSequence;
        this.lastSequence = lastSequence;
        this.recordsScanned = recordsScanned;
        this.tornSegment = tornSegment;
        this.tornOffset = tornOffset;
        this.tornBytes = tornBytes;
        this.removedFiles = List.copyOf(removedFiles);
        this.repairedDamage = repairedDamage;
        this.droppedSegments = List.copyOf(droppedSegments);
        this.durationNanos = durationNanos;
    }

    /**
     * The journal directory.
     *
     * @return the directory.
     */
    public Path directory()
    {
        return directory;
    }

    /**
     * Whether the journal was created by this open (it had no segments).
     *
     * @return true for a new journal.
     */
    public boolean created()
    {
        return created;
    }

    /**
     * Number of segment files found, after recovery.
     *
     * @return the count.
     */
    public int segments()
    {
        return segments;
    }

    /**
     * Sequence of the first record still in the journal (the first segment's base), or -1 when empty.
     *
     * @return the sequence.
     */
    public long firstSequence()
    {
        return firstSequence;
    }

    /**
     * Sequence of the last good record, or -1 when the journal holds none. Appending continues at this + 1
     * (or at the first segment's base when empty).
     *
     * @return the last good sequence.
     */
    public long lastSequence()
    {
        return lastSequence;
    }

    /**
     * How many records had their frames and CRCs checked during open.
     *
     * @return the count.
     */
    public long recordsScanned()
    {
        return recordsScanned;
    }

    /**
     * Whether a torn tail was found and cut.
     *
     * @return true when bytes were cut.
     */
    public boolean tornTailCut()
    {
        return tornSegment != null;
    }

    /**
     * The segment whose torn tail was cut.
     *
     * @return the file, or null.
     */
    public Path tornSegment()
    {
        return tornSegment;
    }

    /**
     * Offset where the torn tail started (just past the last good frame).
     *
     * @return the offset, or -1.
     */
    public long tornOffset()
    {
        return tornOffset;
    }

    /**
     * How many bytes, from {@link #tornOffset()} to the last non-zero byte, were zeroed.
     *
     * @return the count.
     */
    public long tornBytes()
    {
        return tornBytes;
    }

    /**
     * Leftover files removed: temporary segments the allocator was preparing and segments that were created
     * but never got a header.
     *
     * @return the files.
     */
    public List<Path> removedFiles()
    {
        return removedFiles;
    }

    /**
     * In repair mode, the damage that was truncated away.
     *
     * @return the description, or null when nothing was repaired.
     */
    public String repairedDamage()
    {
        return repairedDamage;
    }

    /**
     * In repair mode, the segments deleted because they followed the damage.
     *
     * @return the files.
     */
    public List<Path> droppedSegments()
    {
        return droppedSegments;
    }

    /**
     * How long recovery took.
     *
     * @return the duration in nanoseconds.
     */
    public long durationNanos()
    {
        return durationNanos;
    }

    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder(160)
            .append("journal ").append(directory).append(created ? " created" : " opened")
            .append(": segments=").append(segments)
            .append(" records=[").append(firstSequence).append("..").append(lastSequence).append(']')
            .append(" scanned=").append(recordsScanned)
            .append(" in ").append(durationNanos / 1_000_000).append(" ms");
        if (tornSegment != null)
        {
            text.append("; torn tail cut in ").append(tornSegment.getFileName()).append(" at offset ")
                .append(tornOffset).append(" (").append(tornBytes).append(" bytes zeroed, last good sequence ")
                .append(lastSequence).append(')');
        }
        if (!removedFiles.isEmpty())
        {
            text.append("; removed leftover files ").append(removedFiles);
        }
        if (repairedDamage != null)
        {
            text.append("; REPAIRED: truncated at ").append(repairedDamage).append(", dropped segments ")
                .append(droppedSegments);
        }
        return text.toString();
    }
}
