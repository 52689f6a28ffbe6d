package io.ringwal.tool;

import java.nio.file.Path;
import java.util.List;

import io.ringwal.journal.SegmentChain;

/**
 * What {@link JournalVerifier#verify(Path)} found. The journal is {@link #intact()} when no damage was found; a
 * torn tail of the last segment is not damage (recovery cuts it on the next open), so it is reported on its own,
 * and so are the warnings about seek index files ({@link #seekIndexWarnings()}): an index only speeds up seeks.
 */
public final class VerifyReport
{
    /**
     * A torn tail: bytes after the last valid frame of the last segment that recovery would zero.
     */
    public static final class TornTail
    {
        private final Path file;
        private final long offset;
        private final long bytes;
        private final String what;

        TornTail(final Path file, final long offset, final long bytes, final String what)
        {
            this.file = file;
            this.offset = offset;
            this.bytes = bytes;
            this.what = what;
        }

        /**
         * The segment file holding the torn tail (always the last one).
         *
         * @return the file.
         */
        public Path file()
        {
            return file;
        }

        /**
         * Offset of the first byte after the last valid frame: where the torn tail starts.
         *
         * @return the offset.
         */
        public long offset()
        {
            return offset;
        }

        /**
         * Number of bytes from {@link #offset()} to the last non-zero byte, inclusive: what recovery would zero.
         *
         * @return the byte count.
         */
        public long bytes()
        {
            return bytes;
        }

        /**
         * What ends the valid part: a description of the frame found at {@link #offset()}.
         *
         * @return the description.
         */
        public String what()
        {
            return what;
        }

        @Override
        public String toString()
        {
            return file + " offset " + offset + " (" + bytes + " bytes): " + what;
        }
    }

    /**
     * Something wrong with a seek index file ({@code *.seg.idx}, docs/FORMAT.md §12): not damage, since a reader
     * checks every entry it uses and walks the frames instead, but seeks into that segment lose the index.
     */
    public static final class SeekIndexWarning
    {
        private final Path file;
        private final int entry;
        private final long indexOffset;
        private final String what;

        SeekIndexWarning(final Path file, final int entry, final long indexOffset, final String what)
        {
            this.file = file;
            this.entry = entry;
            this.indexOffset = indexOffset;
            this.what = what;
        }

        /**
         * The index file.
         *
         * @return the file.
         */
        public Path file()
        {
            return file;
        }

        /**
         * The number of the wrong entry (from 0), or -1 when the warning is about the whole file.
         *
         * @return the entry number or -1.
         */
        public int entry()
        {
            return entry;
        }

        /**
         * The byte offset of the wrong entry in the index file, or -1 when the warning is about the whole file.
         *
         * @return the offset or -1.
         */
        public long indexOffset()
        {
            return indexOffset;
        }

        /**
         * What is wrong.
         *
         * @return the description.
         */
        public String what()
        {
            return what;
        }

        @Override
        public String toString()
        {
            return file + ": " + (entry >= 0 ? "entry " + entry + " at index offset " + indexOffset + " " : "") + what;
        }
    }

    private final Path directory;
    private final List<Path> segmentFiles;
    private final List<Path> tempFiles;
    private final List<Path> otherFiles;
    private final long journalId;
    private final long records;
    private final long firstSequence;
    private final long lastSequence;
    private final long segmentBytes;
    private final long frameBytes;
    private final TornTail tornTail;
    private final SegmentChain.Damage damage;
    private final boolean closedCleanly;
    private final int seekIndexesChecked;
    private final List<SeekIndexWarning> seekIndexWarnings;

    VerifyReport(
        final Path directory,
        final List<Path> segmentFiles,
        final List<Path> tempFiles,
        final List<Path> otherFiles,
        final long journalId,
        final long records,
        final long firstSequence,
        final long lastSequence,
        final long segmentBytes,
        final long frameBytes,
        final TornTail tornTail,
        final SegmentChain.Damage damage,
        final boolean closedCleanly,
        final int seekIndexesChecked,
        final List<SeekIndexWarning> seekIndexWarnings)
    {
        this.closedCleanly = closedCleanly;
        this.seekIndexesChecked = seekIndexesChecked;
        this.seekIndexWarnings = List.copyOf(seekIndexWarnings);
        this.directory = directory;
        this.segmentFiles = List.copyOf(segmentFiles);
        this.tempFiles = List.copyOf(tempFiles);
        this.otherFiles = List.copyOf(otherFiles);
        this.journalId = journalId;
        this.records = records;
        this.firstSequence = firstSequence;
        this.lastSequence = lastSequence;
        this.segmentBytes = segmentBytes;
        this.frameBytes = frameBytes;
        this.tornTail = tornTail;
        this.damage = damage;
    }

    /**
     * The journal directory verified.
     *
     * @return the directory.
     */
    public Path directory()
    {
        return directory;
    }

    /**
     * Number of segment files found.
     *
     * @return the count.
     */
    public int segments()
    {
        return segmentFiles.size();
    }

    /**
     * The segment files found, in sequence order.
     *
     * @return the files.
     */
    public List<Path> segmentFiles()
    {
        return segmentFiles;
    }

    /**
     * Segments being prepared by an allocator ({@code *.seg.tmp}); not part of the journal, left untouched.
     *
     * @return the files.
     */
    public List<Path> tempFiles()
    {
        return tempFiles;
    }

    /**
     * Files that are neither segments, temporary segments nor the lock file; ignored.
     *
     * @return the files.
     */
    public List<Path> otherFiles()
    {
        return otherFiles;
    }

    /**
     * The journal id from the first segment's header, or 0 when there is no valid first header.
     *
     * @return the id.
     */
    public long journalId()
    {
        return journalId;
    }

    /**
     * Number of valid records before the torn tail or the first damage.
     *
     * @return the count.
     */
    public long records()
    {
        return records;
    }

    /**
     * Sequence of the first valid record, or -1 when there is none.
     *
     * @return the sequence or -1.
     */
    public long firstSequence()
    {
        return firstSequence;
    }

    /**
     * Sequence of the last valid record before the torn tail or the first damage, or -1 when there is none.
     *
     * @return the sequence or -1.
     */
    public long lastSequence()
    {
        return lastSequence;
    }

    /**
     * Total size of the segment files.
     *
     * @return bytes.
     */
    public long segmentBytes()
    {
        return segmentBytes;
    }

    /**
     * Bytes taken by the valid data frames (frame headers, payloads and alignment padding; not segment headers
     * nor padding frames).
     *
     * @return bytes.
     */
    public long frameBytes()
    {
        return frameBytes;
    }

    /**
     * The torn tail of the last segment, or null when its tail is clean.
     *
     * @return the torn tail or null.
     */
    public TornTail tornTail()
    {
        return tornTail;
    }

    /**
     * The first damage in sequence order, or null. Verification stops there: the counts cover what lies before.
     *
     * @return the damage or null.
     */
    public SegmentChain.Damage damage()
    {
        return damage;
    }

    /**
     * Whether no damage was found (a torn tail is allowed: recovery cuts it).
     *
     * @return true if the journal would open in strict recovery mode.
     */
    public boolean intact()
    {
        return damage == null;
    }

    /**
     * Whether the journal ends with a close marker: its writer closed it cleanly and nothing was written after it
     * (format version 2). False while a writer has it open, after a crash, and for a journal whose last segment is
     * full (no room for a marker; such a journal has no tail either).
     *
     * @return true if closed cleanly.
     */
    public boolean closedCleanly()
    {
        return closedCleanly;
    }

    /**
     * Number of seek index files checked: each one beside a segment whose header is valid (its layout, CRC and the
     * copy of the segment's identity; its entries against the frames, up to any damage), and each one whose segment
     * does not exist.
     *
     * @return the count.
     */
    public int seekIndexesChecked()
    {
        return seekIndexesChecked;
    }

    /**
     * What is wrong with the seek index files checked, by file: not damage, {@link #intact()} does not depend on it.
     * At most five wrong entries are listed per file, then one warning counts the rest.
     *
     * @return the warnings, empty when every index checked is valid.
     */
    public List<SeekIndexWarning> seekIndexWarnings()
    {
        return seekIndexWarnings;
    }

    @Override
    public String toString()
    {
        return "VerifyReport{directory=" + directory + ", intact=" + intact() + ", segments=" + segments() +
            ", records=" + records + ", sequences=[" + firstSequence + ".." + lastSequence + "]" +
            ", journalId=0x" + Long.toHexString(journalId) + ", segmentBytes=" + segmentBytes +
            ", frameBytes=" + frameBytes + ", closedCleanly=" + closedCleanly + (tornTail != null ? ", tornTail=" + tornTail : "") +
            (damage != null ? ", damage=" + damage : "") + ", seekIndexesChecked=" + seekIndexesChecked +
            (seekIndexWarnings.isEmpty() ? "" : ", seekIndexWarnings=" + seekIndexWarnings) + '}';
    }
}
