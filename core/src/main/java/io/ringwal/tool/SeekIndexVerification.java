package io.ringwal.tool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.agrona.concurrent.UnsafeBuffer;

import io.ringwal.format.FrameDescriptor;
import io.ringwal.format.SeekIndexDescriptor;
import io.ringwal.format.SegmentFileNames;
import io.ringwal.format.SegmentHeaderDescriptor;
import io.ringwal.journal.SeekIndexFile;
import io.ringwal.journal.SegmentChain;
import io.ringwal.journal.SegmentScan;
import io.ringwal.journal.SegmentScanner;

/**
 * Verify's check of the seek index files ({@code *.seg.idx}, docs/FORMAT.md §12): each file is read and checked
 * against its segment's header as a reader checks it ({@link SeekIndexFile#read}), and its entries are matched
 * against the frames the verifier's walk passes, so that every entry must name the offset where a frame of the
 * segment's chain starts, with that frame's sequence. What is wrong becomes a warning, never damage: a reader
 * checks every entry it uses and walks the frames when an index is wrong.
 *
 * <p>Reads only; it never deletes an index file, not even one whose segment is gone (recovery does that).
 */
final class SeekIndexVerification implements SegmentScanner.FrameObserver
{
    /** At most this many wrong entries are listed per index file; a count stands for the rest. */
    static final int MAX_ENTRY_WARNINGS = 5;

    private final Map<Path, Index> indexes = new HashMap<>();
    private final List<VerifyReport.SeekIndexWarning> warnings = new ArrayList<>();
    private Path currentSegment;
    private Index current;
    private int checked;

    /** One valid index file and how far the walk of its segment has matched its entries. */
    private static final class Index
    {
        final Path file;
        final UnsafeBuffer bytes;
        /** (frame offset &lt;&lt; 32 | entry number) of the entries that can name a frame, ascending. */
        long[] byOffset;
        int cursor;
        int previousOffset = -1;
        long previousSequence;
        int wrongEntries;

        Index(final Path file, final UnsafeBuffer bytes, final long[] byOffset)
        {
            this.file = file;
            this.bytes = bytes;
            this.byOffset = byOffset;
        }

        int entry()
        {
            return (int)byOffset[cursor];
        }

        int offset()
        {
            return (int)(byOffset[cursor] >>> 32);
        }

        long sequence()
        {
            return SeekIndexDescriptor.entrySequence(bytes, entry());
        }
    }

    @Override
    public void onFrame(final Path file, final int offset, final int length, final short type, final long sequence)
        throws IOException
    {
        if (file != currentSegment)
        {
            currentSegment = file;
            current = indexOf(file);
        }
        final Index index = current;
        if (index == null)
        {
            return;
        }
        while (index.cursor < index.byOffset.length && index.offset() < offset)
        {
            insideFrame(index);
            index.cursor++;
        }
        while (index.cursor < index.byOffset.length && index.offset() == offset)
        {
            if (type == FrameDescriptor.TYPE_PADDING)
            {
                wrongEntry(index, "but the frame there is the padding frame that closes the segment");
            }
            else if (index.sequence() != sequence)
            {
                wrongEntry(index, "but the frame there has sequence " + sequence);
            }
            index.cursor++;
        }
        index.previousOffset = offset;
        index.previousSequence = sequence;
    }

    /**
     * Checks what the walk did not reach: index files of segments without a frame or not scanned, and index files
     * whose segment does not exist; then the entries past the end of each segment's frames.
     *
     * @param chain the journal's chain, as the walk found it.
     * @throws IOException if a segment header cannot be read.
     */
    void finish(final SegmentChain chain) throws IOException
    {
        final Map<Path, SegmentScan> scans = new HashMap<>();
        for (final SegmentScan scan : chain.scans())
        {
            scans.put(scan.file(), scan);
        }
        final Set<Path> segments = new HashSet<>(chain.segments());
        for (final Path indexFile : chain.indexFiles())
        {
            if (indexFile.getFileName().toString().endsWith(SegmentFileNames.INDEX_TEMP_SUFFIX))
            {
                continue; // being written, or left by a writer that stopped: recovery deletes it
            }
            final Path segment = SegmentFileNames.segmentFileOf(indexFile);
            if (!segments.contains(segment))
            {
                if (Files.exists(indexFile))
                {
                    checked++;
                    warnings.add(new VerifyReport.SeekIndexWarning(indexFile, -1, -1, "its segment " +
                        segment.getFileName() + " does not exist; recovery deletes this file on the next open"));
                }
                continue;
            }
            final Index index = indexOf(segment);
            if (index != null)
            {
                finishEntries(index, scans.get(segment));
            }
        }
    }

    /**
     * Number of index files checked (read, whether valid or not).
     *
     * @return the count.
     */
    int checked()
    {
        return checked;
    }

    /**
     * What is wrong with the index files, by file name (a file's own in entry order, mostly).
     *
     * @return the warnings.
     */
    List<VerifyReport.SeekIndexWarning> warnings()
    {
        warnings.sort(Comparator.comparing(VerifyReport.SeekIndexWarning::file));
        return warnings;
    }

    private void finishEntries(final Index index, final SegmentScan scan)
    {
        while (scan != null && index.cursor < index.byOffset.length)
        {
            if (index.offset() < scan.endOffset())
            {
                insideFrame(index);
            }
            else if (scan.end() == SegmentScan.End.DAMAGE)
            {
                break; // entries past damage cannot be checked; the damage is reported
            }
            else
            {
                wrongEntry(index, "past the segment's last frame (its frames end at offset " + scan.endOffset() + ")");
            }
            index.cursor++;
        }
        if (index.wrongEntries > MAX_ENTRY_WARNINGS)
        {
            warnings.add(new VerifyReport.SeekIndexWarning(index.file, -1, -1, (index.wrongEntries -
                MAX_ENTRY_WARNINGS) + " more of its entries are wrong (not listed)"));
        }
    }

    /** The segment's index as {@link #open} found it, opened once per segment (null is kept too: no usable index). */
    private Index indexOf(final Path segment) throws IOException
    {
        if (indexes.containsKey(segment))
        {
            return indexes.get(segment);
        }
        final Index index = open(segment);
        indexes.put(segment, index);
        return index;
    }

    /**
     * Reads the index file of a segment and checks its layout and entry order; null when there is none, it is not
     * valid, or the segment's header is not (then it is not checked: the header is damage verify reports).
     */
    private Index open(final Path segment) throws IOException
    {
        final Path indexFile = SegmentFileNames.indexFileOf(segment);
        if (!Files.exists(indexFile))
        {
            return null;
        }
        final UnsafeBuffer header;
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ))
        {
            header = SegmentScanner.readHeader(channel, segment);
        }
        if (header == null || SegmentHeaderDescriptor.validate(header) != null)
        {
            return null;
        }
        final SeekIndexFile.Contents contents;
        try
        {
            contents = SeekIndexFile.read(indexFile, header);
        }
        catch (final NoSuchFileException ex)
        {
            return null; // deleted meanwhile, by retention with its segment
        }
        catch (final IOException ex)
        {
            checked++;
            warnings.add(new VerifyReport.SeekIndexWarning(indexFile, -1, -1, "cannot be read: " + ex));
            return null;
        }
        checked++;
        if (contents.problem() != null)
        {
            warnings.add(new VerifyReport.SeekIndexWarning(indexFile, -1, -1, "not a valid index of " +
                segment.getFileName() + ", readers ignore it: " + contents.problem()));
            return null;
        }
        return entries(indexFile, contents.file(), SegmentHeaderDescriptor.segmentSize(header));
    }

    private Index entries(final Path indexFile, final UnsafeBuffer bytes, final long segmentSize)
    {
        final int count = SeekIndexDescriptor.entryCount(bytes);
        final long[] byOffset = new long[count];
        final Index index = new Index(indexFile, bytes, byOffset);
        int frames = 0;
        int previousEntry = -1;
        int previousOffset = -1;
        long previousSequence = Long.MIN_VALUE;
        for (int i = 0; i < count; i++)
        {
            final int offset = SeekIndexDescriptor.entryFrameOffset(bytes, i);
            final long sequence = SeekIndexDescriptor.entrySequence(bytes, i);
            if (offset < SegmentHeaderDescriptor.HEADER_LENGTH || (offset & (FrameDescriptor.ALIGNMENT - 1)) != 0 ||
                offset > segmentSize - FrameDescriptor.HEADER_LENGTH)
            {
                wrongEntry(index, i, offset, sequence, "where no frame can start (frames start at " +
                    FrameDescriptor.ALIGNMENT + "-aligned offsets from " + SegmentHeaderDescriptor.HEADER_LENGTH +
                    " to " + (segmentSize - FrameDescriptor.HEADER_LENGTH) + ")");
                continue;
            }
            if (previousEntry >= 0 && (offset <= previousOffset || sequence < previousSequence))
            {
                wrongEntry(index, i, offset, sequence, "not after entry " + previousEntry + " (sequence " +
                    previousSequence + " at offset " + previousOffset + "): entries must ascend, readers search " +
                    "them in order");
            }
            previousEntry = i;
            previousOffset = offset;
            previousSequence = sequence;
            byOffset[frames++] = ((long)offset << 32) | i;
        }
        index.byOffset = Arrays.copyOf(byOffset, frames);
        Arrays.sort(index.byOffset);
        return index;
    }

    private void insideFrame(final Index index)
    {
        wrongEntry(index, "but no frame starts there (it falls inside the frame of sequence " +
            index.previousSequence + " at offset " + index.previousOffset + ")");
    }

    private void wrongEntry(final Index index, final String what)
    {
        wrongEntry(index, index.entry(), index.offset(), index.sequence(), what);
    }

    private void wrongEntry(final Index index, final int entry, final int offset, final long sequence,
        final String what)
    {
        index.wrongEntries++;
        if (index.wrongEntries <= MAX_ENTRY_WARNINGS)
        {
            warnings.add(new VerifyReport.SeekIndexWarning(index.file, entry, SeekIndexDescriptor.entryOffset(entry),
                "names sequence " + sequence + " at segment offset " + offset + ", " + what));
        }
    }
}
