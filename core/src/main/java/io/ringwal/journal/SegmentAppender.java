package io.ringwal.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Objects;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.ringwal.format.FrameChecksum;
import io.ringwal.format.FrameDescriptor;
import io.ringwal.segment.internal.MappedSegment;

/**
 * The per-record side of a {@link JournalWriter}: frames records into the active segment (through its mapping or,
 * with {@link WriteMode#STAGED}, into the {@link FrameStage} that is copied in at the end of each batch), publishes
 * each frame's length last, and keeps the state the per-record path reads: where frames are built, the position,
 * the next sequence, the written watermark, the seek index notes and what was handed to forcing. It also writes
 * the segment's header-only frames (open and close markers, the padding that finishes it) and applies the force
 * policy at batch ends through the {@link SegmentForcer}. When a frame does not fit, {@link SegmentRotation}
 * rotates, once per segment, and installs the next segment here.
 *
 * <p>Owned by the writer thread; only the written watermark it publishes is read by other threads.
 */
final class SegmentAppender
{
    private final Path directory;
    private final int maxRecordSize;
    private final WriterFailure failures;
    /** Forces the active segment, on this thread or the force thread, and publishes the durable watermark. */
    private final SegmentForcer forces;
    /** Rotates when the active segment is full: called once per rotation. */
    private final SegmentRotation rotation;
    private final JournalCounters counters;
    private final FrameChecksum checksum = new FrameChecksum();
    private final WriteClaim claim = new WriteClaim(this);
    private final SeekIndexFile seekIndex = new SeekIndexFile();

    /** Frames waiting to be copied into the file with {@link WriteMode#STAGED}; null with MAPPED. */
    private final FrameStage stage;

    private MappedSegment active;
    /** Where frames are built: the mapping with MAPPED, the stage with STAGED. */
    private UnsafeBuffer buffer;
    private ByteBuffer checksumView;
    /** The segment offset of {@code buffer} index 0: 0 with MAPPED, the first staged frame with STAGED. */
    private int stageBase;
    /** The end of the staged bytes (frames and the zeroed length after them) as a segment offset. */
    private int stagedEnd;
    /**
     * Segment offset of a staged frame that ends the segment (padding, close marker, a frame reaching the end), or
     * -1: a copy writes its length last ({@link FrameStage#copyTo}).
     */
    private int stagedTerminator = -1;
    private int segmentSize;
    private int position;
    /** The end of what was forced or handed to the forcer; the forced position without pipelining. */
    private int submittedPosition;
    /** {@link #nextSequence} when {@link #submittedPosition} was last set by a force or a hand-over. */
    private long submittedNextSequence;
    private long nextSequence;
    private long firstUnforcedNanos = -1;
    private boolean activeClosed;
    private boolean closed;

    /** Written by the writer thread per record, read by any: on a cache line of its own. */
    private final PaddedSequence writtenSequence;

    SegmentAppender(
        final Path directory,
        final JournalConfig config,
        final long nextSequence,
        final SegmentForcer forces,
        final WriterFailure failures,
        final SegmentRotation rotation,
        final JournalCounters counters,
        final PaddedSequence writtenSequence)
    {
        this.directory = directory;
        this.maxRecordSize = config.maxRecordSize();
        this.nextSequence = nextSequence;
        this.forces = forces;
        this.failures = failures;
        this.rotation = rotation;
        this.counters = counters;
        this.writtenSequence = writtenSequence;
        this.stage = config.writeMode() == WriteMode.STAGED ?
            new FrameStage(FrameStage.capacityFor(config.segmentSize(), config.maxRecordSize())) : null;
        if (stage != null)
        {
            this.buffer = stage.buffer();
            this.checksumView = stage.checksumView();
        }
    }

    /**
     * Makes {@code segment}, written up to {@code endOffset} and forced that far, the active segment, after
     * stopping background write-back of the one before (if any) and unmapping it.
     */
    void install(final MappedSegment segment, final int endOffset)
    {
        if (active != null)
        {
            forces.retire();
            active.close();
        }
        forces.activate(segment, endOffset);
        this.active = segment;
        if (stage == null)
        {
            this.buffer = segment.buffer();
            this.checksumView = segment.checksumView();
        }
        this.stageBase = stage == null ? 0 : endOffset;
        this.stagedEnd = endOffset;
        this.stagedTerminator = -1;
        this.segmentSize = segment.size();
        seekIndex.start(segment.path(), segment.buffer(), endOffset);
        this.position = endOffset;
        this.submittedPosition = endOffset;
        this.submittedNextSequence = nextSequence;
        this.activeClosed = false;
    }

    /**
     * Continues the installed segment that recovery found open: an open marker, forced with the zeroed length after
     * it, when a frame header still fits; otherwise the segment is finished and the next append rotates.
     */
    void reopen()
    {
        if (segmentSize - position >= FrameDescriptor.HEADER_LENGTH)
        {
            // durable before any record after it: a close marker followed by nothing else is a clean end
            writeMarker(FrameDescriptor.TYPE_OPEN);
            forceThroughNextLength();
        }
        else
        {
            activeClosed = true;
        }
    }

    long append(final DirectBuffer source, final int offset, final int length)
    {
        Objects.requireNonNull(source, "source");
        checkRange(source.capacity(), offset, length);
        final int frameOffset = reserve(length);
        RecordCopy.copy(buffer, frameOffset - stageBase + FrameDescriptor.HEADER_LENGTH, source, offset, length);
        return publish(frameOffset, length);
    }

    long append(final byte[] source, final int offset, final int length)
    {
        Objects.requireNonNull(source, "source");
        checkRange(source.length, offset, length);
        final int frameOffset = reserve(length);
        RecordCopy.copy(buffer, frameOffset - stageBase + FrameDescriptor.HEADER_LENGTH, source, offset, length);
        return publish(frameOffset, length);
    }

    long append(final ByteBuffer source)
    {
        Objects.requireNonNull(source, "source");
        final int length = source.remaining();
        checkRange(source.capacity(), source.position(), length);
        final int frameOffset = reserve(length);
        buffer.putBytes(frameOffset - stageBase + FrameDescriptor.HEADER_LENGTH, source, source.position(), length);
        return publish(frameOffset, length);
    }

    long appendFrame(final DirectBuffer source, final int offset)
    {
        Objects.requireNonNull(source, "source");
        final int frameLength = AppendChecks.checkFrame(source, offset, nextSequence, maxRecordSize);
        final int length = frameLength - FrameDescriptor.HEADER_LENGTH;
        final int frameOffset = reserve(length);
        final int at = frameOffset - stageBase;
        RecordCopy.copy(buffer, at + FrameDescriptor.CRC_OFFSET, source, offset + FrameDescriptor.CRC_OFFSET,
            frameLength - FrameDescriptor.CRC_OFFSET);
        clearNextLength(frameOffset, frameOffset + FrameDescriptor.alignedLength(frameLength));
        FrameDescriptor.frameLengthRelease(buffer, at, frameLength);
        return advance(frameOffset, frameLength, length);
    }

    long skip()
    {
        final int frameOffset = reserve(0);
        final long sequence = nextSequence;
        writeHeaderOnly(frameOffset, FrameDescriptor.TYPE_SKIPPED, sequence);
        position = frameOffset + FrameDescriptor.HEADER_LENGTH;
        nextSequence = sequence + 1;
        if (firstUnforcedNanos < 0)
        {
            firstUnforcedNanos = System.nanoTime();
        }
        if (stage == null)
        {
            writtenSequence.setRelease(sequence);
        }
        return sequence;
    }

    WriteClaim claim(final int length)
    {
        checkRange(Integer.MAX_VALUE, 0, length);
        final int frameOffset = reserve(length);
        claim.open(buffer.addressOffset() + frameOffset - stageBase + FrameDescriptor.HEADER_LENGTH, length,
            nextSequence);
        return claim;
    }

    long commitClaim(final WriteClaim claim)
    {
        checkUsable();
        claim.close();
        return publish(position, claim.length());
    }

    void abortClaim(final WriteClaim claim)
    {
        claim.close();
        if (!closed && failures.get() == null)
        {
            buffer.setMemory(position - stageBase,
                FrameDescriptor.alignedLength(FrameDescriptor.frameLength(claim.length())), (byte)0);
        }
    }

    private void checkRange(final int capacity, final int offset, final int length)
    {
        AppendChecks.checkRange(capacity, offset, length, maxRecordSize);
    }

    private int reserve(final int length)
    {
        checkUsable();
        if (claim.isOpen())
        {
            throw new IllegalStateException("a claim for sequence " + claim.sequence() +
                " is still open: commit() or abort() it first");
        }
        final int aligned = FrameDescriptor.alignedLength(FrameDescriptor.frameLength(length));
        if (activeClosed || position + aligned > segmentSize)
        {
            rotation.rotate(this);
        }
        if (stage != null)
        {
            ensureStageRoom(aligned);
            // the stage is reused: the alignment bytes after the payload must be zero, as in a new segment
            buffer.putLong(position - stageBase + aligned - Long.BYTES, 0L);
        }
        return position;
    }

    /** Makes room in the stage for a frame of {@code length} aligned bytes and the zeroed length after it. */
    private void ensureStageRoom(final int length)
    {
        if (stage != null && position - stageBase + length + FrameStage.NEXT_LENGTH_ROOM > stage.capacity())
        {
            copyStage();
        }
    }

    /**
     * Copies the staged frames into the segment file ({@link WriteMode#STAGED}), making them visible to readers,
     * and starts the stage again at the current position. Does nothing with MAPPED or an empty stage.
     */
    private void copyStage()
    {
        if (stage == null)
        {
            return;
        }
        if (stagedEnd > stageBase)
        {
            try
            {
                stage.copyTo(active, stageBase, stagedEnd - stageBase,
                    stagedTerminator >= 0 ? stagedTerminator - stageBase : -1);
            }
            catch (final IOException | RuntimeException ex)
            {
                throw failures.fail("write of " + active.path() + " [" + stageBase + ", " + stagedEnd + ") failed", ex);
            }
            writtenSequence.setRelease(nextSequence - 1);
        }
        stageBase = position;
        stagedEnd = position;
        stagedTerminator = -1;
    }

    private long publish(final int frameOffset, final int length)
    {
        final UnsafeBuffer buffer = this.buffer;
        final long sequence = nextSequence;
        final int frameLength = FrameDescriptor.frameLength(length);
        final int at = frameOffset - stageBase;
        buffer.putLong(at + FrameDescriptor.SEQUENCE_OFFSET, sequence, FrameDescriptor.BYTE_ORDER);
        // type, zero flags and zero reserved word in one store: a recycled segment or the reused stage holds
        // older bytes there
        buffer.putLong(at + FrameDescriptor.TYPE_OFFSET, FrameDescriptor.TYPE_DATA & 0xFFFFL,
            FrameDescriptor.BYTE_ORDER);
        buffer.putInt(at + FrameDescriptor.CRC_OFFSET,
            checksum.compute(checksumView, at, frameLength, FrameDescriptor.TYPE_DATA),
            FrameDescriptor.BYTE_ORDER);
        clearNextLength(frameOffset, frameOffset + FrameDescriptor.alignedLength(frameLength));
        FrameDescriptor.frameLengthRelease(buffer, at, frameLength);
        return advance(frameOffset, frameLength, length);
    }

    /**
     * Zeroes the length of the frame after the one being committed, before that one's length is released: in a
     * recycled segment the bytes there are a stale frame of the file's earlier use, and a reader that sees the
     * committed length must find "nothing here yet" after it, never the stale length.
     */
    private void clearNextLength(final int frameOffset, final int nextOffset)
    {
        if (segmentSize - nextOffset >= FrameDescriptor.HEADER_LENGTH)
        {
            buffer.putInt(nextOffset - stageBase + FrameDescriptor.LENGTH_OFFSET, 0);
            stagedEnd = nextOffset + FrameDescriptor.LENGTH_OFFSET + Integer.BYTES;
        }
        else
        {
            stagedEnd = nextOffset;
            stagedTerminator = frameOffset; // no room for another frame: this one ends the segment
        }
    }

    /**
     * Writes a header-only marker frame (open or close) at the current position; the caller checked that at least
     * a frame header's worth of bytes is left.
     */
    private void writeMarker(final short type)
    {
        ensureStageRoom(FrameDescriptor.HEADER_LENGTH);
        final int frameOffset = position;
        writeHeaderOnly(frameOffset, type, nextSequence);
        position = frameOffset + FrameDescriptor.HEADER_LENGTH;
        if (firstUnforcedNanos < 0)
        {
            firstUnforcedNanos = System.nanoTime();
        }
    }

    private void writeHeaderOnly(final int frameOffset, final short type, final long sequence)
    {
        final int length = FrameDescriptor.HEADER_LENGTH;
        final int at = frameOffset - stageBase;
        writeHeader(at, type, sequence, length);
        clearNextLength(frameOffset, frameOffset + length);
        if (type == FrameDescriptor.TYPE_CLOSE)
        {
            stagedTerminator = frameOffset;
        }
        FrameDescriptor.frameLengthRelease(buffer, at, length);
    }

    /** Writes a padding frame of {@code length} bytes, to the end of the segment: its header only. */
    private void writePadding(final int frameOffset, final int length)
    {
        final int at = frameOffset - stageBase;
        writeHeader(at, FrameDescriptor.TYPE_PADDING, nextSequence, length);
        FrameDescriptor.frameLengthRelease(buffer, at, length);
        stagedEnd = frameOffset + FrameDescriptor.HEADER_LENGTH;
        stagedTerminator = frameOffset;
    }

    /**
     * Writes the header of a frame that has no payload bytes to copy (a header-only frame or padding), all but its
     * length: sequence, type, zero flags and reserved word, and the CRC for a frame of {@code frameLength} bytes.
     */
    private void writeHeader(final int at, final short type, final long sequence, final int frameLength)
    {
        buffer.putLong(at + FrameDescriptor.SEQUENCE_OFFSET, sequence, FrameDescriptor.BYTE_ORDER);
        buffer.putShort(at + FrameDescriptor.TYPE_OFFSET, type, FrameDescriptor.BYTE_ORDER);
        buffer.putShort(at + FrameDescriptor.FLAGS_OFFSET, (short)0, FrameDescriptor.BYTE_ORDER);
        buffer.putInt(at + FrameDescriptor.RESERVED_OFFSET, 0, FrameDescriptor.BYTE_ORDER);
        buffer.putInt(at + FrameDescriptor.CRC_OFFSET,
            checksum.compute(checksumView, at, frameLength, type), FrameDescriptor.BYTE_ORDER);
    }

    /**
     * Forces everything written, and the zeroed length after it, so that the end of the frames is durable too.
     */
    private void forceThroughNextLength()
    {
        forceActiveThrough(Math.min(segmentSize, position + FrameDescriptor.HEADER_LENGTH));
    }

    private long advance(final int frameOffset, final int frameLength, final int length)
    {
        final long sequence = nextSequence;
        position = frameOffset + FrameDescriptor.alignedLength(frameLength);
        nextSequence = sequence + 1;
        if (frameOffset >= seekIndex.nextOffset)
        {
            seekIndex.note(frameOffset, sequence);
        }
        if (firstUnforcedNanos < 0)
        {
            firstUnforcedNanos = System.nanoTime();
        }
        if (stage == null)
        {
            writtenSequence.setRelease(sequence);
        }
        counters.records++;
        counters.bytes += length;
        return sequence;
    }

    void endOfBatch()
    {
        checkUsable();
        counters.batches++;
        copyStage();
        forces.written(position);
        forceIfDue();
    }

    boolean forceIfDue()
    {
        checkUsable();
        copyStage();
        if (position == submittedPosition)
        {
            return false;
        }
        if (!forces.due(position - submittedPosition, firstUnforcedNanos))
        {
            return false;
        }
        if (forces.pipelines(position - submittedPosition, nextSequence - submittedNextSequence))
        {
            forces.submit(position, nextSequence - 1);
            submittedPosition = position;
            submittedNextSequence = nextSequence;
            firstUnforcedNanos = -1;
        }
        else
        {
            // a force too small to hand over: after the force in flight (if any), on this thread
            drainForcer();
            forceActive();
        }
        return true;
    }

    /**
     * Waits for the forcer to finish what it was given, so that this thread may force or rotate itself.
     */
    void drainForcer()
    {
        if (forces.drain())
        {
            submittedPosition = forces.forcedPosition();
            checkUsable();
        }
    }

    void force()
    {
        checkUsable();
        drainForcer();
        forceWritten();
    }

    /** Forces what was written and is not forced yet, if anything: the forcer must be drained. */
    void forceWritten()
    {
        if (position != forces.forcedPosition())
        {
            forceActive();
        }
    }

    private void forceActive()
    {
        forceActiveThrough(position);
    }

    /** Forces the active segment from the page of the last forced byte up to {@code end} (at least the position). */
    private void forceActiveThrough(final int end)
    {
        copyStage();
        forces.forceThrough(end, position, nextSequence - 1);
        submittedPosition = position;
        submittedNextSequence = nextSequence;
        firstUnforcedNanos = -1;
    }

    /** Pads the active segment to its end and forces it whole: it is finished. Then writes its seek index. */
    void finishActive()
    {
        if (!activeClosed)
        {
            final int remaining = segmentSize - position;
            if (remaining >= FrameDescriptor.HEADER_LENGTH)
            {
                ensureStageRoom(FrameDescriptor.HEADER_LENGTH);
                writePadding(position, remaining);
                position = segmentSize;
            }
            activeClosed = true;
        }
        if (position != forces.forcedPosition())
        {
            forceActive();
        }
        else if (forces.durableSequence().getAcquire() < nextSequence - 1)
        {
            forces.publishDurable(nextSequence - 1);
        }
        seekIndex.write(active.path(), active.buffer());
    }

    /**
     * Ends appending, for the writer's close: aborts an open claim and, unless the writer failed, ends the active
     * segment cleanly (a close marker when one fits, and everything written forced) and writes its seek index.
     * Closed afterwards even if that throws.
     *
     * @return the failure of the final force, or null.
     */
    JournalFailedException close()
    {
        JournalFailedException finalForceFailure = null;
        try
        {
            if (claim.isOpen())
            {
                abortClaim(claim);
            }
            if (failures.get() == null && active != null)
            {
                try
                {
                    drainForcer();
                    if (!activeClosed && segmentSize - position >= FrameDescriptor.HEADER_LENGTH)
                    {
                        writeMarker(FrameDescriptor.TYPE_CLOSE);
                        forceThroughNextLength();
                    }
                    else if (position != forces.forcedPosition())
                    {
                        // a full last segment has no tail to tell a clean end from a torn one: no marker needed
                        forceActive();
                    }
                    seekIndex.write(active.path(), active.buffer());
                }
                catch (final JournalFailedException ex)
                {
                    finalForceFailure = ex;
                }
            }
        }
        finally
        {
            closed = true;
        }
        return finalForceFailure;
    }

    private void checkUsable()
    {
        checkNotClosed();
        failures.check();
    }

    /**
     * Throws if the writer is closed.
     *
     * @throws JournalClosedException if it is.
     */
    void checkNotClosed()
    {
        if (closed)
        {
            throw new JournalClosedException("journal writer for " + directory + " is closed");
        }
    }

    boolean isClosed()
    {
        return closed;
    }

    long nextSequence()
    {
        return nextSequence;
    }

    /** @return the active segment, or null before the first install. */
    MappedSegment active()
    {
        return active;
    }
}
