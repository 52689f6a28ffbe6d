package io.ringwal.tool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

import io.ringwal.format.SegmentHeaderDescriptor;
import io.ringwal.journal.JournalException;
import io.ringwal.journal.SegmentChain;
import io.ringwal.journal.SegmentScan;
import io.ringwal.journal.SegmentScanner;
import io.ringwal.journal.VerifyScope;

/**
 * Checks a journal directory without changing anything in it: every segment header, the segment chain (header
 * base sequence against the file name, journal id, previous base, sequence continuity from one segment to the
 * next, every segment but the last closed by a padding frame or full) and every frame's length, type, sequence
 * and CRC32C. The rules are those of recovery on open (see docs/FORMAT.md); where recovery would cut a torn tail
 * the report says so, and where recovery would refuse to open the report names the first damage.
 *
 * <p>It also checks every seek index file ({@code *.seg.idx}, docs/FORMAT.md §12) as a reader would before using
 * it (layout, CRC, the copy of its segment's identity) and every entry against the frames the walk passes: each
 * must name the offset where a frame starts and that frame's sequence. An index whose segment does not exist is
 * reported too. A wrong index is a warning ({@link VerifyReport#seekIndexWarnings()}), not damage: readers check
 * the entries they use and walk the frames instead.
 *
 * <p>Read-only: files are opened for reading only and read with {@link java.nio.channels.FileChannel#read} (never mapped), nothing
 * is created, deleted, locked or written. It does not need the writer's lock and can run while a writer appends:
 * in the last segment a zero frame length is simply the end. Because of that, bytes of a frame a live writer is
 * still filling in can show up as a torn tail of the last segment; only a verify of a journal no writer has open
 * tells a torn tail for sure.
 *
 * <p>Verification and recovery share their checks ({@link SegmentChain}): both walk the journal in sequence order,
 * so the damage reported is the earliest one: the journal is valid up to there.
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
        io.ringwal.journal.AgronaAccess.check();
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
        final SeekIndexVerification indexes = new SeekIndexVerification();
        final SegmentChain chain;
        scanner.frameObserver(indexes);
        try
        {
            chain = SegmentChain.check(directory, VerifyScope.ALL_SEGMENTS, scanner);
        }
        finally
        {
            scanner.frameObserver(null);
        }
        indexes.finish(chain);
        final List<Path> segments = chain.segments();
        final Tally tally = new Tally();
        tally.journalId = chain.journalId();
        for (final Path segment : segments)
        {
            tally.segmentBytes += Files.size(segment);
        }
        for (final SegmentScan scan : chain.scans())
        {
            tally.add(scan);
        }
        final SegmentChain.Damage damage = chain.damage();
        if (damage != null)
        {
            tally.damage = damage;
        }
        else if (chain.halfCreatedLast() != null)
        {
            tally.tornTail = new VerifyReport.TornTail(segments.get(segments.size() - 1), 0, 0,
                "segment created but never given a header (" + chain.halfCreatedLast() + "); recovery removes it");
        }
        else if (!segments.isEmpty())
        {
            final SegmentScan scan = chain.lastScan();
            if (scan.lastNonZeroOffset() >= scan.endOffset())
            {
                tally.tornTail = new VerifyReport.TornTail(scan.file(), scan.endOffset(),
                    scan.lastNonZeroOffset() - scan.endOffset() + 1, scan.damage() != null ? scan.damage() :
                    "zero frame length followed by non-zero bytes");
            }
            else if (scan.end() == SegmentScan.End.DAMAGE)
            {
                // a damaged frame that is all zero after its start cannot be: the length is non-zero
                tally.tornTail = new VerifyReport.TornTail(scan.file(), scan.endOffset(), 0, scan.damage());
            }
        }

        return new VerifyReport(directory, segments, chain.tempFiles(), chain.otherFiles(), tally.journalId,
            tally.records, tally.records > 0 ? tally.firstSequence : -1, tally.records > 0 ? tally.nextSequence - 1 : -1,
            tally.segmentBytes, tally.frameBytes, tally.tornTail, tally.damage,
            damage == null && !segments.isEmpty() && chain.lastScan() != null && chain.lastScan().closedCleanly(),
            indexes.checked(), indexes.warnings());
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
        SegmentChain.Damage damage;

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
    }
}
