package io.ringwal.tool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.agrona.concurrent.UnsafeBuffer;

import io.ringwal.format.SegmentFileNames;
import io.ringwal.format.SegmentHeaderDescriptor;
import io.ringwal.journal.JournalException;
import io.ringwal.journal.SegmentScan;
import io.ringwal.journal.SegmentScanner;

/**
 * Checks a journal directory without changing anything in it: every segment header, the segment chain (header
 * base sequence against the file name, journal id, previous base, sequence continuity from one segment to the
 * next, every segment but the last closed by a padding frame or full) and every frame's length, type, sequence
 * and CRC32C. The rules are those of recovery on open (see docs/FORMAT.md); where recovery would cut a torn tail
 * the report says so, and where recovery would refuse to open the report names the first damage.
 *
 * <p>Read-only: files are opened for reading only and read with {@link FileChannel#read} (never mapped), nothing
 * is created, deleted, locked or written. It does not need the writer's lock and can run while a writer appends:
 * in the last segment a zero frame length is simply the end. Because of that, bytes of a frame a live writer is
 * still filling in can show up as a torn tail of the last segment; only a verify of a journal no writer has open
 * tells a torn tail for sure.
 *
 * <p>Unlike recovery, which checks every header before it scans any frame, verification walks the journal in
 * sequence order, so the damage it reports is the earliest one: the journal is valid up to there.
 */
public final class JournalVerifier
{
    private static final int MAX_ATTEMPTS = 10;

    private final Path directory;
    private final SegmentScanner scanner = new SegmentScanner();

    private JournalVerifier(final Path directory)
    {
        this.directory = directory;
    }

    /**
     * Verifies the journal in {@code directory}.
     *
     * @param directory the journal directory.
     * @return what was found; {@link VerifyReport#intact()} says whether it would open in strict mode.
     * @throws JournalException if the directory does not exist, is not a directory, or a file cannot be read
     *                          (a read error is not damage: the report could not be made).
     */
    public static VerifyReport verify(final Path directory)
    {
        Objects.requireNonNull(directory, "directory");
        if (!Files.isDirectory(directory))
        {
            throw new JournalException(Files.exists(directory) ?
                "not a journal directory: " + directory + " is not a directory" :
                "journal directory does not exist: " + directory);
        }
        final JournalVerifier verifier = new JournalVerifier(directory);
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return verifier.run();
            }
            catch (final NoSuchFileException ex)
            {
                // retention deleted a segment between the listing and the read: list again
                if (attempt == MAX_ATTEMPTS)
                {
                    throw new JournalException("cannot verify " + directory + ": segments keep disappearing (" +
                        ex.getMessage() + ")", ex);
                }
            }
            catch (final IOException ex)
            {
                throw new JournalException("cannot verify " + directory + ": " + ex, ex);
            }
        }
    }

    private VerifyReport run() throws IOException
    {
        final List<Path> segments = new ArrayList<>();
        final List<Path> temps = new ArrayList<>();
        final List<Path> others = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory))
        {
            for (final Path entry : entries)
            {
                final String name = entry.getFileName().toString();
                if (SegmentFileNames.isTempFileName(name))
                {
                    temps.add(entry);
                }
                else if (SegmentFileNames.isSegmentFileName(name))
                {
                    segments.add(entry);
                }
                else if (!SegmentFileNames.LOCK_FILE_NAME.equals(name))
                {
                    others.add(entry);
                }
            }
        }
        segments.sort(null);
        temps.sort(null);
        others.sort(null);

        final Tally tally = new Tally();
        final int count = segments.size();
        // As recovery does, a trailing segment that was created but never given a header (all zero) does not count:
        // recovery removes it and the segment before it is then the last one.
        int last = count - 1;
        while (last > 0 && isHeaderlessAndZero(segments.get(last)))
        {
            tally.tornTail = new VerifyReport.TornTail(segments.get(last), 0, 0, "segment created but never given " +
                "a header; recovery removes it");
            last--;
        }
        long previousBase = SegmentHeaderDescriptor.NO_PREVIOUS_SEGMENT;
        SegmentScan previousScan = null;
        for (int i = 0; i <= last && tally.damage == null; i++)
        {
            final Path file = segments.get(i);
            final long base;
            try
            {
                base = SegmentFileNames.baseSequence(file);
            }
            catch (final IllegalArgumentException ex)
            {
                tally.damage(file, 0, ex.getMessage());
                break;
            }
            tally.segmentBytes += Files.size(file);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
            {
                final long size = checkHeader(channel, file, i, i == last, base, previousBase, tally);
                if (size < 0)
                {
                    break;
                }
                if (previousScan != null && previousScan.nextSequence() != base)
                {
                    tally.damage(file, SegmentHeaderDescriptor.BASE_SEQUENCE_OFFSET, "base sequence " + base +
                        " does not follow the previous segment, whose next sequence is " +
                        previousScan.nextSequence());
                    break;
                }
                final SegmentScan scan = scanner.scan(channel, file, base, (int)size, i == last);
                tally.add(scan);
                if (i < last)
                {
                    if (scan.end() == SegmentScan.End.DAMAGE)
                    {
                        tally.damage(file, scan.endOffset(), scan.damage());
                    }
                    else if (!scan.isClosed())
                    {
                        tally.damage(file, scan.endOffset(), "segment ends at offset " + scan.endOffset() +
                            " without a padding frame, but a later segment exists");
                    }
                }
                else if (scan.lastNonZeroOffset() >= scan.endOffset())
                {
                    tally.tornTail = new VerifyReport.TornTail(file, scan.endOffset(),
                        scan.lastNonZeroOffset() - scan.endOffset() + 1, scan.damage() != null ? scan.damage() :
                        "zero frame length followed by non-zero bytes");
                }
                else if (scan.end() == SegmentScan.End.DAMAGE)
                {
                    // a damaged frame that is all zero after its start cannot be: the length is non-zero
                    tally.tornTail = new VerifyReport.TornTail(file, scan.endOffset(), 0, scan.damage());
                }
                previousScan = scan;
            }
            previousBase = base;
        }

        return new VerifyReport(directory, segments, temps, others, tally.journalId, tally.records,
            tally.records > 0 ? tally.firstSequence : -1, tally.records > 0 ? tally.nextSequence - 1 : -1,
            tally.segmentBytes, tally.frameBytes, tally.tornTail, tally.damage);
    }

    /**
     * Checks the header of segment {@code index}, the header's agreement with the file name and the chain.
     *
     * @return the segment size, or -1 when the header is bad (damage or torn tail recorded in the tally).
     */
    private static long checkHeader(
        final FileChannel channel,
        final Path file,
        final int index,
        final boolean isLast,
        final long base,
        final long previousBase,
        final Tally tally) throws IOException
    {
        final UnsafeBuffer header = SegmentScanner.readHeader(channel, file);
        final String problem = header == null ? "file is shorter than a segment header (" + channel.size() +
            " bytes)" : SegmentHeaderDescriptor.validate(header);
        if (problem != null)
        {
            if (isLast && isAllZero(channel))
            {
                tally.tornTail = new VerifyReport.TornTail(file, 0, 0, "segment created but never given a " +
                    "header (" + problem + "); recovery removes it");
            }
            else
            {
                tally.damage(file, 0, "bad segment header: " + problem);
            }
            return -1;
        }
        final long segmentSize = SegmentHeaderDescriptor.segmentSize(header);
        final long fileSize = channel.size();
        if (fileSize != segmentSize)
        {
            tally.damage(file, Math.min(fileSize, segmentSize), "file is " + fileSize +
                " bytes but its header says the segment is " + segmentSize + " bytes");
            return -1;
        }
        final long headerBase = SegmentHeaderDescriptor.baseSequence(header);
        if (headerBase != base)
        {
            tally.damage(file, SegmentHeaderDescriptor.BASE_SEQUENCE_OFFSET, "header base sequence " + headerBase +
                " does not match the file name");
            return -1;
        }
        final long id = SegmentHeaderDescriptor.journalId(header);
        if (index == 0)
        {
            tally.journalId = id;
            tally.firstSequence = base;
            tally.nextSequence = base;
        }
        else if (id != tally.journalId)
        {
            tally.damage(file, SegmentHeaderDescriptor.JOURNAL_ID_OFFSET, "segment belongs to journal id " +
                Long.toHexString(id) + ", not " + Long.toHexString(tally.journalId) +
                " (a segment from another journal)");
            return -1;
        }
        final long headerPrevious = SegmentHeaderDescriptor.previousBaseSequence(header);
        if (index > 0 && headerPrevious != previousBase)
        {
            tally.damage(file, SegmentHeaderDescriptor.PREVIOUS_BASE_SEQUENCE_OFFSET, "header says the previous " +
                "segment starts at sequence " + headerPrevious + " but the segment before it is " +
                SegmentFileNames.segmentFileName(previousBase) + ": a segment is missing");
            return -1;
        }
        return segmentSize;
    }

    private static boolean isHeaderlessAndZero(final Path file) throws IOException
    {
        try
        {
            SegmentFileNames.baseSequence(file);
        }
        catch (final IllegalArgumentException ex)
        {
            return false; // a name out of range is damage, reported in the scan
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final UnsafeBuffer header = SegmentScanner.readHeader(channel, file);
            return (header == null || SegmentHeaderDescriptor.validate(header) != null) && isAllZero(channel);
        }
    }

    private static boolean isAllZero(final FileChannel channel) throws IOException
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

    private static final class Tally
    {
        long journalId;
        long records;
        long firstSequence = -1;
        long nextSequence;
        long segmentBytes;
        long frameBytes;
        VerifyReport.TornTail tornTail;
        VerifyReport.Damage damage;

        void add(final SegmentScan scan)
        {
            records += scan.records();
            if (scan.records() > 0 && records == scan.records())
            {
                firstSequence = scan.baseSequence();
            }
            nextSequence = scan.nextSequence();
            frameBytes += scan.endOffset() - SegmentHeaderDescriptor.HEADER_LENGTH;
        }

        void damage(final Path file, final long offset, final String what)
        {
            damage = new VerifyReport.Damage(file, offset, what);
        }
    }
}
