package io.ringwal.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Objects;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import io.ringwal.format.FrameChecksum;
import io.ringwal.format.FrameDescriptor;
import io.ringwal.format.SegmentFileNames;
import io.ringwal.format.SegmentHeaderDescriptor;

import static io.ringwal.format.FrameDescriptor.HEADER_LENGTH;

/**
 * Replays a journal from a given sequence and then tails it: {@link #poll(RecordHandler, int)} delivers the
 * committed records in sequence order, never blocks, and returns 0 when there is nothing new. The reader works
 * on the segment files alone (the file is the protocol), so it tails a writer in this process or in another.
 *
 * <p>Segments are read through a read-only mapping. A frame counts as committed once its length, read with an
 * acquire load, is non-zero: the writer stores the length last with a release store. Every data frame's
 * sequence and CRC32C are checked before it is delivered; damage is reported as a
 * {@link JournalCorruptedException} naming the file and byte offset, and the reader stays on the damaged frame.
 *
 * <p>Inside what the writer has finished (every segment that has a later one, and the frames below a close marker)
 * a reader is as strict as recovery: a premature end (a zero length), a missing segment, a bad frame or a bad header
 * is reported on the poll that reaches it. Only the live tail of the last segment is "nothing new yet": {@code poll}
 * returns 0 and {@link #atCleanEnd()} is false; after a clean close {@link #atCleanEnd()} is true
 * (docs/FORMAT.md §3, "What the writer has finished").
 *
 * <p>Opening at a sequence walks the frame lengths of its segment, from the last entry at or below the sequence in
 * the segment's seek index file (which the writer leaves beside every segment it finished, docs/FORMAT.md §12), or
 * from the first frame without one; the readers of a process also share a sparse index of positions recorded by
 * such walks. An index entry is used only after it was checked against the frame it names, so a missing or wrong
 * index file makes a seek slower, never land elsewhere.
 *
 * <p>Polling allocates nothing in steady state; moving to another segment maps it and allocates a little.
 * A reader belongs to one thread at a time. While open it is registered with this process's
 * {@link JournalRetention}, which never deletes the segment it is on or any later one.
 */
public final class JournalReader implements AutoCloseable
{
    private static final byte[] RETIRED = new byte[Long.BYTES];
    private static final int MAX_OPEN_ATTEMPTS = 1000;
    private static final RecordHandler SKIP_ONLY = (sequence, buffer, offset, length) ->
    {
    };

    private final Path directory;
    private final Path directoryKey;
    private final long fromSequence;
    /** Null unless {@link ReaderOption#DURABLE_ONLY}: records above it are held back. */
    private final DurableBound durableBound;
    private final UnsafeBuffer buffer = new UnsafeBuffer(RETIRED);
    private final FrameChecksum checksum = new FrameChecksum();
    private final ByteBuffer headerBytes = ByteBuffer.allocate(SegmentHeaderDescriptor.HEADER_LENGTH);
    private final UnsafeBuffer header = new UnsafeBuffer(headerBytes);

    private ReaderRegistry.Registration registration;
    private MappedByteBuffer mapped;
    private ByteBuffer checksumView;
    private Path segmentFile;
    private long segmentBase;
    private int segmentSize;
    private int offset;
    private long expectedSequence;
    private boolean segmentFinished;
    private int segmentVersion;
    private boolean closeMarkerSeen;
    private Path nextSegmentFile;
    private long journalId;
    private boolean closed;
    private final SegmentEndCheck endCheck;
    private final SeekIndex.Position seekPosition = new SeekIndex.Position();

    private JournalReader(final Path directory, final Path directoryKey, final long fromSequence,
        final DurableBound durableBound)
    {
        this.directory = directory;
        this.directoryKey = directoryKey;
        this.fromSequence = fromSequence;
        this.endCheck = new SegmentEndCheck(directory);
        this.durableBound = durableBound;
    }

    /**
     * Opens a reader positioned on the record with the given sequence. The sequence may lie beyond the last
     * record written so far: the reader then waits there, skipping the records before it as they arrive.
     *
     * @param directory    the journal directory.
     * @param fromSequence the sequence of the first record to deliver, not negative.
     * @return the reader.
     * @throws IllegalArgumentException  if {@code fromSequence} is negative.
     * @throws JournalException          if the directory does not exist or holds no segment, or if
     *                                   {@code fromSequence} lies below the first segment (retention deleted it).
     * @throws JournalCorruptedException if a segment on the way to {@code fromSequence} is damaged.
     */
    public static JournalReader open(final Path directory, final long fromSequence)
    {
        return open(directory, fromSequence, new ReaderOption[0]);
    }

    /**
     * Opens a reader positioned on the record with the given sequence, with options; see
     * {@link #open(Path, long)}. With {@link ReaderOption#DURABLE_ONLY}, {@link #poll} delivers only records at or
     * below the durable watermark that the journal's counters file or a clean close shows.
     *
     * @param directory    the journal directory.
     * @param fromSequence the sequence of the first record to deliver, not negative.
     * @param options      the options.
     * @return the reader.
     * @throws IllegalArgumentException  if {@code fromSequence} is negative.
     * @throws JournalException          as {@link #open(Path, long)}.
     * @throws JournalCorruptedException if a segment on the way to {@code fromSequence} is damaged.
     */
    public static JournalReader open(final Path directory, final long fromSequence, final ReaderOption... options)
    {
        AgronaAccess.check();
        Objects.requireNonNull(directory, "directory");
        if (fromSequence < 0)
        {
            throw new IllegalArgumentException("fromSequence=" + fromSequence + " must not be negative");
        }

        boolean durableOnly = false;
        for (final ReaderOption option : options)
        {
            durableOnly |= Objects.requireNonNull(option, "option") == ReaderOption.DURABLE_ONLY;
        }
        final JournalReader reader = new JournalReader(directory, ReaderRegistry.key(directory), fromSequence,
            durableOnly ? new DurableBound(directory) : null);
        try
        {
            reader.seek();
        }
        catch (final RuntimeException ex)
        {
            reader.close();
            throw ex;
        }
        return reader;
    }

    /**
     * Opens a reader like {@link #open(Path, long)}, but first waits up to {@code timeout} for the journal's first
     * segment file to appear, for a reader started before its writer. The directory need not exist yet. The writer
     * renames a segment into place only after its header is written, so the reader opens it as soon as it sees it.
     *
     * @param directory    the journal directory.
     * @param fromSequence the sequence of the first record to deliver, not negative.
     * @param timeout      how long to wait for the first segment; zero checks once, like {@link #open(Path, long)}.
     * @return the reader.
     * @throws IllegalArgumentException  if {@code fromSequence} or {@code timeout} is negative.
     * @throws JournalException          if no segment appeared within the timeout (the message says how long it
     *                                   waited), if the wait was interrupted (the thread's interrupt flag is set
     *                                   again), or as for {@link #open(Path, long)}.
     * @throws JournalCorruptedException if a segment on the way to {@code fromSequence} is damaged.
     */
    public static JournalReader open(final Path directory, final long fromSequence, final Duration timeout)
    {
        AgronaAccess.check();
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative())
        {
            throw new IllegalArgumentException("timeout=" + timeout + " must not be negative");
        }
        if (fromSequence < 0)
        {
            throw new IllegalArgumentException("fromSequence=" + fromSequence + " must not be negative");
        }
        SegmentListing.awaitFirstSegment(directory, timeout);
        return open(directory, fromSequence);
    }

    /**
     * Delivers up to {@code limit} committed records in sequence order. Never blocks. A record is consumed
     * before the handler is called, so if the handler throws, the exception propagates and the next poll
     * continues with the record after it.
     *
     * @param handler receives each record; the buffer is valid only during the call.
     * @param limit   the most records to deliver.
     * @return the number of records delivered, 0 when there is nothing new.
     * @throws JournalCorruptedException if the next frame is damaged, or the frames end early in a finished segment
     *                                   (a later segment exists, or valid frames up to a close marker follow), or
     *                                   the next segment is missing while a later one exists; records before it
     *                                   were delivered, and every later poll throws again.
     * @throws JournalClosedException    if the reader is closed.
     */
    public int poll(final RecordHandler handler, final int limit)
    {
        ensureOpen();
        return scan(handler, limit);
    }

    /**
     * Whether the last poll stopped right after a close marker: the writer closed the journal cleanly there, so
     * {@link #nextSequence()} is the end of the journal unless a writer opens it again (a reopened journal
     * continues after the marker, and a later poll delivers what it appends).
     *
     * @return true if the reader stands at a clean end of the journal.
     * @throws JournalClosedException if the reader is closed.
     */
    public boolean atCleanEnd()
    {
        ensureOpen();
        return closeMarkerSeen && (segmentFinished || FrameDescriptor.frameLengthVolatile(buffer, offset) == 0);
    }

    /**
     * The sequence the next delivered record will have.
     *
     * @return the next sequence.
     * @throws JournalClosedException if the reader is closed.
     */
    public long nextSequence()
    {
        ensureOpen();
        return Math.max(expectedSequence, fromSequence);
    }

    /**
     * The journal directory this reader reads.
     *
     * @return the directory as given to {@link #open(Path, long)}.
     */
    public Path directory()
    {
        return directory;
    }

    /**
     * Whether {@link #close()} has been called.
     *
     * @return true once closed.
     */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * Unmaps the current segment and releases the reader's hold on it. Idempotent.
     */
    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            unmapCurrent();
            if (null != durableBound)
            {
                durableBound.close();
            }
            if (null != registration)
            {
                ReaderRegistry.deregister(registration);
            }
        }
    }

    @Override
    public String toString()
    {
        return "JournalReader{directory=" + directory + ", segment=" + segmentFile + ", offset=" + offset +
            ", nextSequence=" + Math.max(expectedSequence, fromSequence) + ", closed=" + closed + '}';
    }

    private void seek()
    {
        for (int attempt = 0; attempt < MAX_OPEN_ATTEMPTS; attempt++)
        {
            final long[] bases = SegmentListing.segmentBases(directory);
            if (fromSequence < bases[0])
            {
                throw new JournalException("sequence " + fromSequence + " is no longer in " + directory +
                    " (deleted by retention); the first available sequence is " + bases[0]);
            }

            int floor = 0;
            while (floor + 1 < bases.length && bases[floor + 1] <= fromSequence)
            {
                floor++;
            }
            final long base = bases[floor];

            if (null == registration)
            {
                registration = ReaderRegistry.register(directoryKey, base);
            }
            else
            {
                ReaderRegistry.update(registration, base);
            }

            // Retention deletes under the registry lock, so once registered the segment stays unless it was
            // already gone: then list again.
            if (mapSegment(directory.resolve(SegmentFileNames.segmentFileName(base)), base, false))
            {
                SeekIndex.walk(segmentFile, buffer, checksumView, checksum, fromSequence, seekPosition);
                offset = seekPosition.offset;
                expectedSequence = seekPosition.sequence;
                scan(SKIP_ONLY, 0);
                return;
            }
        }
        throw new JournalException("cannot open a segment of " + directory + ": segments keep disappearing");
    }

    private int scan(final RecordHandler handler, final int limit)
    {
        int delivered = 0;
        while (true)
        {
            final long sequence = expectedSequence;
            if (delivered >= limit && sequence >= fromSequence)
            {
                break;
            }

            if (segmentFinished)
            {
                if (!moveToNextSegment())
                {
                    break;
                }
                continue;
            }

            final UnsafeBuffer buffer = this.buffer;
            final int frameOffset = offset;
            final int remaining = segmentSize - frameOffset;
            if (remaining < HEADER_LENGTH)
            {
                finishSegment();
                continue;
            }

            final int frameLength = FrameDescriptor.frameLengthVolatile(buffer, frameOffset);
            if (0 == frameLength)
            {
                if (endCheck.zeroLength(segmentFile, segmentBase, buffer, checksumView, segmentSize, frameOffset,
                    sequence, closeMarkerSeen, segmentVersion))
                {
                    continue;
                }
                break;
            }
            if (frameLength < HEADER_LENGTH || frameLength > remaining)
            {
                throw corrupted(frameOffset, "impossible frame length " + frameLength + " (" + remaining +
                    " bytes left in the segment)");
            }

            final long frameSequence = FrameDescriptor.sequence(buffer, frameOffset);
            if (frameSequence != sequence)
            {
                throw corrupted(frameOffset, "frame sequence " + frameSequence + " where " + sequence +
                    " was expected");
            }

            final short frameType = FrameDescriptor.frameType(buffer, frameOffset);
            if (FrameDescriptor.TYPE_DATA == frameType)
            {
                final boolean deliver = sequence >= fromSequence;
                if (deliver && null != durableBound && !durableBound.covers(sequence))
                {
                    break; // DURABLE_ONLY: not known to be durable yet
                }
                if (deliver)
                {
                    verifyCrc(frameOffset, frameLength, frameType);
                }
                offset = frameOffset + FrameDescriptor.alignedLength(frameLength);
                expectedSequence = sequence + 1;
                closeMarkerSeen = false;
                if (deliver)
                {
                    delivered++;
                    handler.onRecord(sequence, buffer, frameOffset + HEADER_LENGTH, frameLength - HEADER_LENGTH);
                    if (closed)
                    {
                        break;
                    }
                }
            }
            else if (FrameDescriptor.TYPE_PADDING == frameType)
            {
                verifyCrc(frameOffset, frameLength, frameType);
                finishSegment();
            }
            else if (HeaderOnlyFrames.isHeaderOnly(frameType, segmentVersion))
            {
                final String damage = HeaderOnlyFrames.lengthDamage(frameType, frameLength);
                if (null != damage)
                {
                    throw corrupted(frameOffset, damage);
                }
                verifyCrc(frameOffset, frameLength, frameType);
                offset = frameOffset + HEADER_LENGTH;
                if (HeaderOnlyFrames.consumesSequence(frameType))
                {
                    expectedSequence = sequence + 1;
                }
                closeMarkerSeen = FrameDescriptor.TYPE_CLOSE == frameType;
            }
            else
            {
                throw corrupted(frameOffset, HeaderOnlyFrames.unknownType(frameType, segmentVersion));
            }
        }
        return delivered;
    }

    private void verifyCrc(final int frameOffset, final int frameLength, final short frameType)
    {
        final int computed = checksum.compute(checksumView, frameOffset, frameLength, frameType);
        final int stored = FrameDescriptor.crc(buffer, frameOffset);
        if (computed != stored)
        {
            throw corrupted(frameOffset, "frame CRC mismatch: stored=0x" + Integer.toHexString(stored) +
                " computed=0x" + Integer.toHexString(computed) + " (sequence " + expectedSequence + ")");
        }
    }

    private void finishSegment()
    {
        segmentFinished = true;
        nextSegmentFile = directory.resolve(SegmentFileNames.segmentFileName(expectedSequence));
    }

    private boolean moveToNextSegment()
    {
        final Path next = nextSegmentFile;
        if (!Files.exists(next))
        {
            endCheck.nextSegmentAbsent(segmentFile, segmentBase, next, expectedSequence);
            return false;
        }
        return mapSegment(next, expectedSequence, true);
    }

    /**
     * Validates a segment's header, maps it read-only and makes it current.
     *
     * @return false if the file does not exist.
     */
    private boolean mapSegment(final Path file, final long expectedBase, final boolean checkPrevious)
    {
        final MappedByteBuffer newMapping;
        final long newJournalId;
        final int newVersion;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final long fileSize = channel.size();
            final ByteBuffer headerBytes = this.headerBytes;
            headerBytes.clear();
            while (headerBytes.hasRemaining())
            {
                if (channel.read(headerBytes, headerBytes.position()) < 0)
                {
                    throw new JournalCorruptedException(file, fileSize, "file is " + fileSize +
                        " bytes, shorter than the " + SegmentHeaderDescriptor.HEADER_LENGTH + "-byte segment header");
                }
            }

            final UnsafeBuffer header = this.header;
            final String problem = SegmentHeaderDescriptor.validate(header);
            if (null != problem)
            {
                throw new JournalCorruptedException(file, 0, problem);
            }
            final long headerBase = SegmentHeaderDescriptor.baseSequence(header);
            if (headerBase != expectedBase)
            {
                throw new JournalCorruptedException(file, SegmentHeaderDescriptor.BASE_SEQUENCE_OFFSET,
                    "header base sequence " + headerBase + " does not match the expected " + expectedBase +
                    " (the file name's sequence)");
            }
            final long headerSize = SegmentHeaderDescriptor.segmentSize(header);
            if (headerSize != fileSize)
            {
                throw new JournalCorruptedException(file, SegmentHeaderDescriptor.SEGMENT_SIZE_OFFSET,
                    "header segment size " + headerSize + " does not match the file size " + fileSize);
            }
            newJournalId = SegmentHeaderDescriptor.journalId(header);
            newVersion = SegmentHeaderDescriptor.version(header);
            if (null != mapped && newJournalId != journalId)
            {
                throw new JournalCorruptedException(file, SegmentHeaderDescriptor.JOURNAL_ID_OFFSET,
                    "journal id 0x" + Long.toHexString(newJournalId) + " differs from 0x" +
                    Long.toHexString(journalId) + " in " + segmentFile + " (a segment of another journal)");
            }
            final long previousBase = SegmentHeaderDescriptor.previousBaseSequence(header);
            if (checkPrevious && previousBase != segmentBase)
            {
                throw new JournalCorruptedException(file, SegmentHeaderDescriptor.PREVIOUS_BASE_SEQUENCE_OFFSET,
                    "previous segment base " + previousBase + " where " + segmentBase + " was expected");
            }

            newMapping = channel.map(FileChannel.MapMode.READ_ONLY, 0, fileSize);
        }
        catch (final NoSuchFileException ex)
        {
            return false;
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot read segment " + file + ": " + ex.getMessage(), ex);
        }

        unmapCurrent();
        mapped = newMapping;
        buffer.wrap(newMapping);
        checksumView = newMapping.duplicate();
        segmentFile = file;
        segmentBase = expectedBase;
        segmentSize = newMapping.capacity();
        offset = SegmentHeaderDescriptor.HEADER_LENGTH;
        expectedSequence = expectedBase;
        segmentFinished = false;
        segmentVersion = newVersion;
        closeMarkerSeen = false;
        nextSegmentFile = null;
        journalId = newJournalId;
        ReaderRegistry.update(registration, expectedBase);
        return true;
    }

    private void unmapCurrent()
    {
        final MappedByteBuffer mapped = this.mapped;
        if (null != mapped)
        {
            this.mapped = null;
            checksumView = null;
            segmentSize = 0;
            buffer.wrap(RETIRED);
            IoUtil.unmap(mapped);
        }
    }

    private JournalCorruptedException corrupted(final int frameOffset, final String what)
    {
        return new JournalCorruptedException(segmentFile, frameOffset, what);
    }

    private void ensureOpen()
    {
        if (closed)
        {
            throw new JournalClosedException("reader of " + directory + " is closed");
        }
    }
}
