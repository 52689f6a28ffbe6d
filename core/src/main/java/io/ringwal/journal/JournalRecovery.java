package io.ringwal.journal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;


import io.ringwal.format.SegmentFileNames;
import io.ringwal.format.SegmentHeaderDescriptor;
import io.ringwal.segment.internal.Directories;

/**
 * Recovery on open: lists the segments, checks headers, names and the segment chain, scans frames, cuts a torn
 * tail of the last segment (zeroes and forces it) and fails on damage anywhere else, or truncates at it in repair
 * mode. Runs with the journal's lock held and before anything maps a segment.
 */
final class JournalRecovery
{
    private static final System.Logger LOG = System.getLogger(JournalRecovery.class.getName());

    /** What recovery leaves for the writer. */
    static final class Result
    {
        final RecoveryReport report;
        final long journalId;
        final Path lastSegment;
        final long lastSegmentBase;
        final int lastSegmentEndOffset;
        final boolean lastSegmentClosed;
        final int lastSegmentVersion;
        final boolean closedCleanly;
        final long nextSequence;

        Result(
            final RecoveryReport report,
            final long journalId,
            final Path lastSegment,
            final long lastSegmentBase,
            final int lastSegmentEndOffset,
            final boolean lastSegmentClosed,
            final int lastSegmentVersion,
            final boolean closedCleanly,
            final long nextSequence)
        {
            this.lastSegmentVersion = lastSegmentVersion;
            this.closedCleanly = closedCleanly;
            this.report = report;
            this.journalId = journalId;
            this.lastSegment = lastSegment;
            this.lastSegmentBase = lastSegmentBase;
            this.lastSegmentEndOffset = lastSegmentEndOffset;
            this.lastSegmentClosed = lastSegmentClosed;
            this.nextSequence = nextSequence;
        }
    }

    private static final class Damage extends Exception
    {
        private static final long serialVersionUID = 1L;
        final int segmentIndex;
        final transient Path file;
        final long offset;
        final String what;

        Damage(final int segmentIndex, final Path file, final long offset, final String what)
        {
            super(what, null, false, false);
            this.segmentIndex = segmentIndex;
            this.file = file;
            this.offset = offset;
            this.what = what;
        }
    }

    private final Path directory;
    private final JournalConfig config;
    private final SegmentScanner scanner = new SegmentScanner();
    private final List<Path> removedFiles = new ArrayList<>();
    private final List<Path> droppedSegments = new ArrayList<>();
    private String repairedDamage;
    private Path repairedFile;
    private long repairedOffset;

    private JournalRecovery(final Path directory, final JournalConfig config)
    {
        this.directory = directory;
        this.config = config;
    }

    static Result recover(final Path directory, final JournalConfig config) throws IOException
    {
        return new JournalRecovery(directory, config).run();
    }

    private Result run() throws IOException
    {
        final long start = System.nanoTime();
        while (true)
        {
            try
            {
                final Result result = attempt(start);
                final Level level = result.report.tornTailCut() || result.report.repairedDamage() != null ||
                    !result.report.removedFiles().isEmpty() ? Level.WARNING : Level.DEBUG;
                LOG.log(level, result.report.toString());
                return result;
            }
            catch (final Damage damage)
            {
                // The checks walk the journal in sequence order, so after a repair no earlier damage should turn up;
                // if one does, repair again, but only while each damage lies strictly before the one repaired last
                // (each repair only shortens the journal, so this ends).
                if (config.recoveryMode() == RecoveryMode.STRICT ||
                    (repairedFile != null && !isBefore(damage, repairedFile, repairedOffset)))
                {
                    throw new JournalCorruptedException(damage.file, damage.offset, damage.what +
                        (config.recoveryMode() == RecoveryMode.STRICT ?
                        " (open with RecoveryMode.TRUNCATE_AT_DAMAGE to truncate the journal there)" : ""));
                }
                repair(damage);
            }
        }
    }

    private Result attempt(final long start) throws IOException, Damage
    {
        final SegmentChain chain = SegmentChain.check(directory, config.verifyScope(), scanner);
        for (final Path temp : chain.tempFiles())
        {
            Files.delete(temp);
            removedFiles.add(temp);
        }
        final List<Path> segments = chain.segments();
        deleteStaleIndexFiles(chain.indexFiles(), segments);
        final List<Path> foreign = chain.otherFiles();
        if (segments.isEmpty())
        {
            // a directory holding other things but no journal was refused by JournalLock before anything was
            // written into it
            if (!removedFiles.isEmpty())
            {
                Directories.force(directory);
            }
            final RecoveryReport report = new RecoveryReport(directory, true, 0, -1, -1, 0, null, -1, 0,
                removedFiles, repairedDamage, droppedSegments, System.nanoTime() - start);
            final long id = config.newJournalId() != 0 ? config.newJournalId() : newJournalId();
            return new Result(report, id, null, SegmentHeaderDescriptor.NO_PREVIOUS_SEGMENT, -1, true,
                SegmentHeaderDescriptor.CURRENT_VERSION, false, 0);
        }
        if (!foreign.isEmpty())
        {
            LOG.log(Level.WARNING, "journal directory " + directory + " holds files that are not part of the " +
                "journal; they are ignored: " + foreign);
        }
        final SegmentChain.Damage damage = chain.damage();
        if (damage != null)
        {
            throw new Damage(damage.segmentIndex(), damage.file(), damage.offset(), damage.what());
        }
        final int last = segments.size() - 1;
        if (chain.halfCreatedLast() != null)
        {
            final Path file = segments.get(last);
            LOG.log(Level.WARNING, "removing " + file + ": created but never given a header (" +
                chain.halfCreatedLast() + ")");
            Files.delete(file);
            Directories.force(directory);
            removedFiles.add(file);
            return attempt(start);
        }

        long recordsScanned = 0;
        for (final SegmentScan scan : chain.scans())
        {
            recordsScanned += scan.records();
        }
        final SegmentScan lastScan = chain.lastScan();
        final Path lastFile = segments.get(last);
        Path tornSegment = null;
        long tornOffset = -1;
        long tornBytes = 0;
        try (FileChannel channel = FileChannel.open(lastFile, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            if (lastScan.lastNonZeroOffset() >= lastScan.endOffset())
            {
                tornSegment = lastFile;
                tornOffset = lastScan.endOffset();
                tornBytes = lastScan.lastNonZeroOffset() - lastScan.endOffset() + 1;
                SeekIndexFile.delete(lastFile);
                zero(channel, tornOffset, tornBytes);
                LOG.log(Level.WARNING, "cut torn tail of " + lastFile + " at offset " + tornOffset + ": " +
                    tornBytes + " bytes zeroed" + (lastScan.damage() != null ? " (" + lastScan.damage() + ")" : "") +
                    "; last good sequence " + (lastScan.nextSequence() - 1));
            }
            channel.force(true);
        }

        final long nextSequence = lastScan.nextSequence();
        final RecoveryReport report = new RecoveryReport(directory, false, segments.size(), chain.base(0),
            nextSequence - 1, recordsScanned, tornSegment, tornOffset, tornBytes, removedFiles, repairedDamage,
            droppedSegments, System.nanoTime() - start);
        return new Result(report, chain.journalId(), lastFile, chain.base(last),
            lastScan.endOffset(), lastScan.isClosed(), lastScan.version(), lastScan.closedCleanly(), nextSequence);
    }

    /**
     * Deletes index files being written (a writer stopped while writing one) and index files whose segment is gone
     * (a later segment of the same name must never meet them). Not reported: they only speed up seeks.
     */
    private static void deleteStaleIndexFiles(final List<Path> indexFiles, final List<Path> segments)
        throws IOException
    {
        for (final Path index : indexFiles)
        {
            if (index.getFileName().toString().endsWith(SegmentFileNames.INDEX_TEMP_SUFFIX) ||
                Collections.binarySearch(segments, SegmentFileNames.segmentFileOf(index)) < 0)
            {
                LOG.log(Level.DEBUG, "removing stale seek index " + index);
                Files.deleteIfExists(index);
            }
        }
    }

    private static boolean isBefore(final Damage damage, final Path file, final long offset)
    {
        final int order = damage.file.getFileName().toString().compareTo(file.getFileName().toString());
        return order < 0 || (order == 0 && damage.offset < offset);
    }

    private void repair(final Damage damage) throws IOException
    {
        final List<Path> segments = SegmentFileNames.listSegments(directory);
        final int damaged = segments.indexOf(damage.file);
        for (int i = segments.size() - 1; i > damaged; i--)
        {
            SeekIndexFile.delete(segments.get(i));
            Files.delete(segments.get(i));
            droppedSegments.add(segments.get(i));
        }
        if (damaged >= 0)
        {
            SeekIndexFile.delete(damage.file);
        }
        if (damage.offset < SegmentHeaderDescriptor.HEADER_LENGTH || damaged < 0)
        {
            if (damaged >= 0)
            {
                Files.delete(damage.file);
                droppedSegments.add(damage.file);
            }
        }
        else
        {
            try (FileChannel channel = FileChannel.open(damage.file, StandardOpenOption.READ,
                StandardOpenOption.WRITE))
            {
                // the header is valid here (damage past it is found only after the header was checked); a file
                // shorter or longer than the header says is brought back to that size
                final long size = SegmentHeaderDescriptor.segmentSize(SegmentScanner.readHeader(channel, damage.file));
                if (channel.size() > size)
                {
                    channel.truncate(size);
                }
                zero(channel, damage.offset, size - damage.offset);
                channel.force(true);
            }
        }
        Directories.force(directory);
        final String repaired = damage.file + " offset " + damage.offset + ": " + damage.what;
        repairedDamage = repairedDamage == null ? repaired : repaired + " (after repairing " + repairedDamage + ")";
        repairedFile = damage.file;
        repairedOffset = damage.offset;
        LOG.log(Level.WARNING, "REPAIR: truncated journal " + directory + " at " + repairedDamage +
            "; dropped segments " + droppedSegments);
    }

    /**
     * Zeroes {@code [offset, offset + length)} from its far end back towards {@code offset}, so that a recovery
     * killed half way leaves the bytes right after the last good frame still non-zero: the next recovery then sees
     * the tail as torn again (and not, say, a close marker followed by a zero length) and zeroes the rest.
     */
    private static void zero(final FileChannel channel, final long offset, final long length) throws IOException
    {
        final ByteBuffer zeros = ByteBuffer.allocateDirect((int)Math.min(1024 * 1024, Math.max(length, 1)));
        long end = offset + length;
        while (end > offset)
        {
            final long start = Math.max(offset, end - zeros.capacity());
            zeros.clear().limit((int)(end - start));
            long position = start;
            while (zeros.hasRemaining())
            {
                position += channel.write(zeros, position);
            }
            end = start;
        }
    }

    private static long newJournalId()
    {
        long id = 0;
        final SecureRandom random = new SecureRandom();
        while (id == 0)
        {
            id = random.nextLong();
        }
        return id;
    }
}
