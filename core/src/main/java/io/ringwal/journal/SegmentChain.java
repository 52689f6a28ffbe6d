package io.ringwal.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;

import io.ringwal.format.SegmentFileNames;
import io.ringwal.format.SegmentHeaderDescriptor;

/**
 * The checks recovery and verify share: lists a journal directory, then walks its segments in sequence order
 * checking each header (valid, matching its file name and size, same journal id, naming the segment before it),
 * the continuity of sequences from one segment to the next, and the frames (every segment, or only the last).
 * Stops at the first damage, so the damage it reports is the earliest in sequence order. Reads with
 * {@link FileChannel#read} only and never modifies anything.
 */
public final class SegmentChain
{
    /** The first damage found: which segment, file, byte offset and what is wrong. */
    public static final class Damage
    {
        private final int segmentIndex;
        private final Path file;
        private final long offset;
        private final String what;

        Damage(final int segmentIndex, final Path file, final long offset, final String what)
        {
            this.segmentIndex = segmentIndex;
            this.file = file;
            this.offset = offset;
            this.what = what;
        }

        /**
         * Index of the damaged segment in {@link SegmentChain#segments()}.
         *
         * @return the index.
         */
        public int segmentIndex()
        {
            return segmentIndex;
        }

        /**
         * The damaged file.
         *
         * @return the path.
         */
        public Path file()
        {
            return file;
        }

        /**
         * Byte offset of the damage in the file.
         *
         * @return the offset.
         */
        public long offset()
        {
            return offset;
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
            return file + " offset " + offset + ": " + what;
        }
    }

    private final Path directory;
    private final List<Path> segments = new ArrayList<>();
    private final List<Path> tempFiles = new ArrayList<>();
    private final List<Path> otherFiles = new ArrayList<>();
    private final List<Path> freeFiles = new ArrayList<>();
    private final List<Path> indexFiles = new ArrayList<>();
    private final List<SegmentScan> scans = new ArrayList<>();
    private long[] bases = new long[0];
    private long journalId;
    private Damage damage;
    private String halfCreatedLast;
    private int headerVersion;

    private SegmentChain(final Path directory)
    {
        this.directory = directory;
    }

    /**
     * Lists and checks a journal directory.
     *
     * @param directory the journal directory (must exist).
     * @param scope     which segments to scan frame by frame (headers and names are always checked).
     * @param scanner   the scanner to read frames with.
     * @return what was found.
     * @throws IOException if listing or reading fails (a file deleted meanwhile shows as
     *                     {@link java.nio.file.NoSuchFileException}).
     */
    public static SegmentChain check(final Path directory, final VerifyScope scope, final SegmentScanner scanner)
        throws IOException
    {
        final SegmentChain chain = new SegmentChain(directory);
        chain.list();
        chain.walk(scope, scanner);
        return chain;
    }

    private void list() throws IOException
    {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory))
        {
            for (final Path entry : entries)
            {
                final String name = entry.getFileName().toString();
                if (SegmentFileNames.isTempFileName(name))
                {
                    tempFiles.add(entry);
                }
                else if (SegmentFileNames.isFreeFileName(name))
                {
                    freeFiles.add(entry);
                }
                else if (SegmentFileNames.isSegmentFileName(name))
                {
                    segments.add(entry);
                }
                else if (SegmentFileNames.isIndexFileName(name))
                {
                    indexFiles.add(entry);
                }
                else if (!SegmentFileNames.LOCK_FILE_NAME.equals(name) && !ReaderPosition.DIRECTORY_NAME.equals(name) &&
                    !io.ringwal.format.CountersDescriptor.FILE_NAME.equals(name) &&
                    !io.ringwal.format.CountersDescriptor.TEMP_FILE_NAME.equals(name))
                {
                    otherFiles.add(entry);
                }
            }
        }
        segments.sort(null);
        tempFiles.sort(null);
        freeFiles.sort(null);
        indexFiles.sort(null);
        otherFiles.sort(null);
        bases = new long[segments.size()];
    }

    private void walk(final VerifyScope scope, final SegmentScanner scanner) throws IOException
    {
        int last = segments.size() - 1;
        if (last >= 0 && isHalfCreated(segments.get(last)))
        {
            last--;
        }
        SegmentScan previousScan = null;
        for (int i = 0; i <= last; i++)
        {
            final Path file = segments.get(i);
            try
            {
                bases[i] = SegmentFileNames.baseSequence(file);
            }
            catch (final IllegalArgumentException ex)
            {
                damage = new Damage(i, file, 0, ex.getMessage());
                return;
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
            {
                final long size = checkHeader(channel, i);
                if (size < 0)
                {
                    return;
                }
                if (previousScan != null && previousScan.nextSequence() != bases[i])
                {
                    damage = new Damage(i, file, SegmentHeaderDescriptor.BASE_SEQUENCE_OFFSET, "base sequence " +
                        bases[i] + " does not follow the previous segment, whose next sequence is " +
                        previousScan.nextSequence());
                    return;
                }
                previousScan = null;
                if (scope == VerifyScope.ALL_SEGMENTS || i == last)
                {
                    final SegmentScan scan = scanner.scan(channel, file, bases[i], (int)size, headerVersion, i == last);
                    scans.add(scan);
                    if (i < last)
                    {
                        if (scan.end() == SegmentScan.End.DAMAGE)
                        {
                            damage = new Damage(i, file, scan.endOffset(), scan.damage());
                            return;
                        }
                        if (!scan.isClosed())
                        {
                            damage = new Damage(i, file, scan.endOffset(), "segment ends at offset " +
                                scan.endOffset() + " without a padding frame, but a later segment exists");
                            return;
                        }
                    }
                    previousScan = scan;
                }
            }
        }
    }

    private long checkHeader(final FileChannel channel, final int index) throws IOException
    {
        final Path file = segments.get(index);
        final UnsafeBuffer header = SegmentScanner.readHeader(channel, file);
        final String problem = header == null ? "file is shorter than a segment header (" + channel.size() +
            " bytes)" : SegmentHeaderDescriptor.validate(header);
        if (problem != null)
        {
            damage = new Damage(index, file, 0, "bad segment header: " + problem);
            return -1;
        }
        final long segmentSize = SegmentHeaderDescriptor.segmentSize(header);
        headerVersion = SegmentHeaderDescriptor.version(header);
        final long fileSize = channel.size();
        if (fileSize != segmentSize)
        {
            damage = new Damage(index, file, Math.min(fileSize, segmentSize), "file is " + fileSize +
                " bytes but its header says the segment is " + segmentSize + " bytes");
            return -1;
        }
        final long headerBase = SegmentHeaderDescriptor.baseSequence(header);
        if (headerBase != bases[index])
        {
            damage = new Damage(index, file, SegmentHeaderDescriptor.BASE_SEQUENCE_OFFSET, "header base sequence " +
                headerBase + " does not match the file name");
            return -1;
        }
        final long id = SegmentHeaderDescriptor.journalId(header);
        if (index == 0)
        {
            journalId = id;
        }
        else if (id != journalId)
        {
            damage = new Damage(index, file, SegmentHeaderDescriptor.JOURNAL_ID_OFFSET, "segment belongs to " +
                "journal id " + Long.toHexString(id) + ", not " + Long.toHexString(journalId) +
                " (a segment from another journal)");
            return -1;
        }
        final long headerPrevious = SegmentHeaderDescriptor.previousBaseSequence(header);
        if (index > 0 && headerPrevious != bases[index - 1])
        {
            damage = new Damage(index, file, SegmentHeaderDescriptor.PREVIOUS_BASE_SEQUENCE_OFFSET,
                "header says the previous segment starts at sequence " + headerPrevious +
                " but the segment before it is " + segments.get(index - 1).getFileName() + ": a segment is missing");
            return -1;
        }
        return segmentSize;
    }

    /**
     * A last segment that is all zero, with no valid header, was created but never given one: recovery removes
     * it, and the segment before it is the last one.
     */
    private boolean isHalfCreated(final Path file) throws IOException
    {
        try
        {
            SegmentFileNames.baseSequence(file);
        }
        catch (final IllegalArgumentException ex)
        {
            return false; // a name that is no sequence is damage, whatever the contents
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final UnsafeBuffer header = SegmentScanner.readHeader(channel, file);
            final String problem = header == null ? "file is shorter than a segment header (" + channel.size() +
                " bytes)" : SegmentHeaderDescriptor.validate(header);
            if (problem != null && isAllZero(channel))
            {
                halfCreatedLast = problem;
                return true;
            }
            return false;
        }
    }

    static boolean isAllZero(final FileChannel channel) throws IOException
    {
        final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        long position = 0;
        while (true)
        {
            buffer.clear();
            final int read = channel.read(buffer, position);
            if (read < 0)
            {
                return true;
            }
            for (int i = 0; i < read; i++)
            {
                if (buffer.get(i) != 0)
                {
                    return false;
                }
            }
            position += read;
        }
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
     * The segment files, in sequence order.
     *
     * @return the files.
     */
    public List<Path> segments()
    {
        return segments;
    }

    /**
     * Base sequence of segment {@code index}, from its file name.
     *
     * @param index the segment's index in {@link #segments()}.
     * @return the base sequence.
     */
    public long base(final int index)
    {
        return bases[index];
    }

    /**
     * Temporary files (segments the allocator was preparing).
     *
     * @return the files.
     */
    public List<Path> tempFiles()
    {
        return tempFiles;
    }

    /**
     * Retired segments kept for recycling ({@code retired-*.seg.free}).
     *
     * @return the free files.
     */
    public List<Path> freeFiles()
    {
        return freeFiles;
    }

    /**
     * The seek index files ({@code *.seg.idx}) and index files being written ({@code *.seg.idx.tmp}), sorted.
     *
     * @return the index files, possibly empty.
     */
    public List<Path> indexFiles()
    {
        return indexFiles;
    }

    /**
     * Files that are neither segments, temporary or free files, nor the lock file.
     *
     * @return the files.
     */
    public List<Path> otherFiles()
    {
        return otherFiles;
    }

    /**
     * The journal id of the first segment (0 when there is none).
     *
     * @return the id.
     */
    public long journalId()
    {
        return journalId;
    }

    /**
     * The frame scans made, in sequence order (every segment up to the damage, or only the last, per the scope).
     *
     * @return the scans.
     */
    public List<SegmentScan> scans()
    {
        return scans;
    }

    /**
     * The scan of the last segment, when it was scanned (no damage before it and a valid header).
     *
     * @return the scan, or null.
     */
    public SegmentScan lastScan()
    {
        if (damage != null || halfCreatedLast != null || scans.isEmpty())
        {
            return null;
        }
        final SegmentScan scan = scans.get(scans.size() - 1);
        return scan.file().equals(segments.get(segments.size() - 1)) ? scan : null;
    }

    /**
     * The first damage in sequence order, or null.
     *
     * @return the damage.
     */
    public Damage damage()
    {
        return damage;
    }

    /**
     * When the last segment is all zero with no valid header (created but never given one, which recovery
     * removes), why its header is not valid; otherwise null.
     *
     * @return the header problem, or null.
     */
    public String halfCreatedLast()
    {
        return halfCreatedLast;
    }
}
