package io.ringwal.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.ringwal.format.FrameChecksum;
import io.ringwal.format.FrameDescriptor;
import io.ringwal.format.SegmentHeaderDescriptor;
import io.ringwal.segment.AdaptivePreallocation;
import io.ringwal.segment.MappedSegment;
import io.ringwal.segment.PreallocationMode;
import io.ringwal.segment.SegmentAllocationException;
import io.ringwal.segment.SegmentAllocator;

/**
 * The single-threaded journal writer. Appends records as CRC-framed frames into the active segment file (through
 * its memory mapping or, with {@link WriteMode#STAGED}, copied in at the end of each batch), rotates to a segment the allocator thread prepared ahead of need, and forces written bytes at batch
 * boundaries according to its {@link ForcePolicy}.
 *
 * <p>Threading: every method except {@link #writtenSequence()}, {@link #durableSequence()}, {@link #counters()}
 * and {@link #failure()} must be called from one thread (the writer thread). Those four are safe from any thread.
 *
 * <p>Durability: {@link #durableSequence()} advances only after a force succeeded. At every rotation the finished
 * segment is forced whole before the first byte goes into the next. A failed force or allocation puts the writer
 * into a failed state: nothing later is acknowledged and every later call throws {@link JournalFailedException}
 * with the cause.
 *
 * <p>Per record the writer makes no system call and allocates nothing; per batch it makes the force, when the
 * policy asks for one, and with {@link WriteMode#STAGED} the two {@code write(2)} calls of the copy.
 */
public final class JournalWriter implements AutoCloseable
{
    private final Path directory;
    private final JournalConfig config;
    private final JournalLock lock;
    private final SegmentAllocator allocator;
    /** Forces the active segment, on this thread or the force thread, and publishes the durable watermark. */
    private final SegmentForcer forces;
    private final WriterFailure failures;
    private final FrameChecksum checksum = new FrameChecksum();
    private final WriteClaim claim = new WriteClaim(this);
    private final JournalCounters counters = new JournalCounters();
    private final SeekIndexFile seekIndex = new SeekIndexFile();
    private final RecoveryReport recoveryReport;
    private final long journalId;
    /** The active segment's base, for retention on the allocator thread (never retires it or anything after). */
    private final AtomicLong retentionBase;

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
    private int segmentSize;
    private long activeBase;
    private int position;
    /** The end of what was forced or handed to the forcer; the forced position without pipelining. */
    private int submittedPosition;
    private long nextSequence;
    private long firstUnforcedNanos = -1;
    private boolean activeClosed;
    private boolean closed;

    /** Written by the writer thread per record, read by any: on a cache line of its own. */
    private final PaddedSequence writtenSequence;
    /** Written after each force (by the force thread when pipelined), read by any: on a cache line of its own. */
    private final PaddedSequence durableSequence;

    private JournalWriter(
        final Path directory,
        final JournalConfig config,
        final JournalLock lock,
        final JournalRecovery.Result recovered,
        final SegmentAllocator allocator,
        final AdaptivePreallocation adaptive,
        final AtomicLong retentionBase)
    {
        this.retentionBase = retentionBase;
        this.directory = directory;
        this.config = config;
        this.lock = lock;
        this.allocator = allocator;
        this.recoveryReport = recovered.report;
        this.journalId = recovered.journalId;
        this.nextSequence = recovered.nextSequence;
        this.activeBase = recovered.lastSegmentBase;
        this.writtenSequence = new PaddedSequence(recovered.nextSequence - 1);
        this.durableSequence = new PaddedSequence(recovered.nextSequence - 1);
        this.failures = new WriterFailure(directory, durableSequence);
        this.forces = new SegmentForcer(config, String.valueOf(directory.getFileName()), adaptive, counters, failures,
            durableSequence);
        this.stage = config.writeMode() == WriteMode.STAGED ?
            new FrameStage(FrameStage.capacityFor(config.segmentSize(), config.maxRecordSize())) : null;
        if (stage != null)
        {
            this.buffer = stage.buffer();
            this.checksumView = stage.checksumView();
        }
    }

    /**
     * Opens (creating it if absent) the journal in {@code directory}: takes its lock, recovers it, starts the
     * allocator thread and positions at the end, ready to append.
     *
     * @param directory the journal directory.
     * @param config    the configuration.
     * @return the writer.
     * @throws JournalLockedException     if another writer has the journal open.
     * @throws JournalCorruptedException  if the journal is damaged other than in the last segment's tail.
     * @throws JournalException           if the directory cannot be used (not writable, not a journal, I/O error).
     * @throws IllegalStateException      if the JVM lacks the flag Agrona needs.
     */
    public static JournalWriter open(final Path directory, final JournalConfig config)
    {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(config, "config");
        AgronaAccess.check();
        final Path dir = directory.toAbsolutePath().normalize();
        final JournalLock lock = JournalLock.acquire(dir);
        SegmentAllocator allocator = null;
        JournalWriter writer = null;
        try
        {
            final JournalRecovery.Result recovered = JournalRecovery.recover(dir, config);
            final AdaptivePreallocation adaptive = config.effectivePreallocationMode() == PreallocationMode.ADAPTIVE ?
                new AdaptivePreallocation(config.forcePolicy().kind() == ForcePolicy.Kind.EVERY_BATCH ?
                    0 : config.segmentSize()) : null;
            // -1 until the writer has an active segment: a new journal has nothing to retire before that
            final AtomicLong retentionBase =
                new AtomicLong(recovered.lastSegment != null ? recovered.lastSegmentBase : -1);
            allocator = SegmentRotation.allocator(dir, config, adaptive, retentionBase);
            writer = new JournalWriter(dir, config, lock, recovered, allocator, adaptive, retentionBase);
            writer.openActive(recovered);
            return writer;
        }
        catch (final SegmentAllocationException ex)
        {
            // the open had to start a new segment and could not: the plain cause, not a wrapped one
            closeQuietly(writer, allocator, lock);
            throw new JournalException(ex.getMessage(), ex.getCause());
        }
        catch (final IOException ex)
        {
            closeQuietly(writer, allocator, lock);
            throw new JournalException("cannot open journal " + dir + ": " + ex, ex);
        }
        catch (final RuntimeException | Error ex)
        {
            closeQuietly(writer, allocator, lock);
            throw ex;
        }
    }

    private static void closeQuietly(final JournalWriter writer, final SegmentAllocator allocator,
        final JournalLock lock)
    {
        if (writer != null)
        {
            writer.forces.close();
        }
        if (writer != null && writer.active != null)
        {
            writer.active.close();
        }
        if (allocator != null)
        {
            allocator.close();
        }
        lock.close();
    }

    private void openActive(final JournalRecovery.Result recovered) throws IOException
    {
        if (recovered.lastSegment != null && !recovered.lastSegmentClosed)
        {
            final MappedSegment segment = MappedSegment.map(recovered.lastSegment, config.pretouchMode());
            install(segment, recovered.lastSegmentBase, recovered.lastSegmentEndOffset);
            if (recovered.lastSegmentVersion < SegmentHeaderDescriptor.CURRENT_VERSION)
            {
                // never append to a segment of an older format version: close it and continue in a new one
                rotate();
            }
            else if (segmentSize - position >= FrameDescriptor.HEADER_LENGTH)
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
        else
        {
            rotateInto(recovered.nextSequence, allocator.take(config.allocationTimeoutNanos()));
        }
    }

    private void install(final MappedSegment segment, final long base, final int endOffset)
    {
        forces.activate(segment, endOffset);
        this.active = segment;
        if (stage == null)
        {
            this.buffer = segment.buffer();
            this.checksumView = segment.checksumView();
        }
        this.stageBase = stage == null ? 0 : endOffset;
        this.stagedEnd = endOffset;
        this.segmentSize = segment.size();
        this.activeBase = base;
        retentionBase.set(base);
        seekIndex.start(segment.path(), segment.buffer(), endOffset);
        this.position = endOffset;
        this.submittedPosition = endOffset;
        this.activeClosed = false;
    }

    /**
     * Appends a record copied from a buffer.
     *
     * @param source the bytes.
     * @param offset where the record starts in {@code source}.
     * @param length the record length.
     * @return the record's sequence.
     * @throws IllegalArgumentException if the range is invalid or the length exceeds the maximum record size.
     * @throws JournalFailedException   if the writer failed before or fails now (at a rotation).
     * @throws JournalClosedException   if the writer is closed.
     */
    public long append(final DirectBuffer source, final int offset, final int length)
    {
        Objects.requireNonNull(source, "source");
        checkRange(source.capacity(), offset, length);
        final int frameOffset = reserve(length);
        buffer.putBytes(frameOffset - stageBase + FrameDescriptor.HEADER_LENGTH, source, offset, length);
        return publish(frameOffset, length);
    }

    /**
     * Appends a record copied from a byte array.
     *
     * @param source the bytes.
     * @param offset where the record starts in {@code source}.
     * @param length the record length.
     * @return the record's sequence.
     * @throws IllegalArgumentException if the range is invalid or the length exceeds the maximum record size.
     * @throws JournalFailedException   if the writer failed before or fails now (at a rotation).
     * @throws JournalClosedException   if the writer is closed.
     */
    public long append(final byte[] source, final int offset, final int length)
    {
        Objects.requireNonNull(source, "source");
        checkRange(source.length, offset, length);
        final int frameOffset = reserve(length);
        buffer.putBytes(frameOffset - stageBase + FrameDescriptor.HEADER_LENGTH, source, offset, length);
        return publish(frameOffset, length);
    }

    /**
     * Appends a record copied from the remaining bytes of a {@link ByteBuffer} (its position is not changed).
     *
     * @param source the bytes, from position to limit.
     * @return the record's sequence.
     * @throws IllegalArgumentException if the length exceeds the maximum record size.
     * @throws JournalFailedException   if the writer failed before or fails now (at a rotation).
     * @throws JournalClosedException   if the writer is closed.
     */
    public long append(final ByteBuffer source)
    {
        Objects.requireNonNull(source, "source");
        final int length = source.remaining();
        checkRange(source.capacity(), source.position(), length);
        final int frameOffset = reserve(length);
        buffer.putBytes(frameOffset - stageBase + FrameDescriptor.HEADER_LENGTH, source, source.position(), length);
        return publish(frameOffset, length);
    }

    /**
     * Appends a record whose whole frame the caller has already built: length, CRC32C, sequence, type
     * {@link FrameDescriptor#TYPE_DATA} and zero flags and reserved word, as {@link FrameDescriptor} defines them.
     * The writer checks the length, type and sequence (which must be {@link #nextSequence()}) but not the CRC,
     * copies the frame and publishes its length last with a release store. This lets producers frame records in
     * parallel so that the single writer only copies.
     *
     * @param source the buffer holding the frame.
     * @param offset where the frame starts in {@code source}.
     * @return the record's sequence.
     * @throws IllegalArgumentException if the frame length, type or sequence is wrong, or the frame does not fit
     *                                  in {@code source}.
     * @throws JournalFailedException   if the writer failed before or fails now (at a rotation).
     * @throws JournalClosedException   if the writer is closed.
     */
    public long appendFrame(final DirectBuffer source, final int offset)
    {
        Objects.requireNonNull(source, "source");
        final int frameLength = AppendChecks.checkFrame(source, offset, nextSequence, config.maxRecordSize());
        final int length = frameLength - FrameDescriptor.HEADER_LENGTH;
        final int frameOffset = reserve(length);
        final int at = frameOffset - stageBase;
        buffer.putBytes(at + FrameDescriptor.CRC_OFFSET, source, offset + FrameDescriptor.CRC_OFFSET,
            frameLength - FrameDescriptor.CRC_OFFSET);
        clearNextLength(frameOffset + FrameDescriptor.alignedLength(frameLength));
        FrameDescriptor.frameLengthRelease(buffer, at, frameLength);
        return advance(frameOffset, frameLength, length);
    }

    /**
     * Consumes the next sequence without a record: writes a header-only skipped-sequence frame
     * ({@link FrameDescriptor#TYPE_SKIPPED}) that readers pass over without delivering anything. For a sequence
     * that was promised to a producer whose record was then never produced (its translator failed), so that
     * replay cannot mistake it for a real empty record.
     *
     * @return the skipped sequence.
     * @throws JournalFailedException if the journal is failed.
     * @throws JournalClosedException if the writer is closed.
     */
    public long skip()
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

    /**
     * Claims a frame for a record of {@code length} bytes, to be written in place and then committed with
     * {@link WriteClaim#commit()} or abandoned with {@link WriteClaim#abort()}. No other append or claim may
     * happen while a claim is open.
     *
     * @param length the payload length.
     * @return the claim (the same instance every time).
     * @throws IllegalArgumentException if the length is negative or exceeds the maximum record size.
     * @throws JournalFailedException   if the writer failed before or fails now (at a rotation).
     * @throws JournalClosedException   if the writer is closed.
     */
    public WriteClaim claim(final int length)
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
        AppendChecks.checkRange(capacity, offset, length, config.maxRecordSize());
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
            rotate();
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
                stage.copyTo(active, stageBase, stagedEnd - stageBase);
            }
            catch (final IOException | RuntimeException ex)
            {
                throw failures.fail("write of " + active.path() + " [" + stageBase + ", " + stagedEnd + ") failed", ex);
            }
            writtenSequence.setRelease(nextSequence - 1);
        }
        stageBase = position;
        stagedEnd = position;
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
        clearNextLength(frameOffset + FrameDescriptor.alignedLength(frameLength));
        FrameDescriptor.frameLengthRelease(buffer, at, frameLength);
        return advance(frameOffset, frameLength, length);
    }

    /**
     * Zeroes the length of the frame after the one being committed, before that one's length is released: in a
     * recycled segment the bytes there are a stale frame of the file's earlier use, and a reader that sees the
     * committed length must find "nothing here yet" after it, never the stale length.
     */
    private void clearNextLength(final int nextOffset)
    {
        if (segmentSize - nextOffset >= FrameDescriptor.HEADER_LENGTH)
        {
            buffer.putInt(nextOffset - stageBase + FrameDescriptor.LENGTH_OFFSET, 0);
            stagedEnd = nextOffset + FrameDescriptor.LENGTH_OFFSET + Integer.BYTES;
        }
        else
        {
            stagedEnd = nextOffset;
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
        buffer.putLong(at + FrameDescriptor.SEQUENCE_OFFSET, sequence, FrameDescriptor.BYTE_ORDER);
        buffer.putShort(at + FrameDescriptor.TYPE_OFFSET, type, FrameDescriptor.BYTE_ORDER);
        buffer.putShort(at + FrameDescriptor.FLAGS_OFFSET, (short)0, FrameDescriptor.BYTE_ORDER);
        buffer.putInt(at + FrameDescriptor.RESERVED_OFFSET, 0, FrameDescriptor.BYTE_ORDER);
        buffer.putInt(at + FrameDescriptor.CRC_OFFSET,
            checksum.compute(checksumView, at, length, type), FrameDescriptor.BYTE_ORDER);
        clearNextLength(frameOffset + length);
        FrameDescriptor.frameLengthRelease(buffer, at, length);
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

    /**
     * Marks the end of a batch: the group commit. Applies the force policy: under {@link ForcePolicy#everyBatch()}
     * forces everything written; under a bounded policy forces when a bound has been passed; under
     * {@link ForcePolicy#never()} does nothing.
     *
     * @throws JournalFailedException if the writer failed before or the force fails now.
     * @throws JournalClosedException if the writer is closed.
     */
    public void endOfBatch()
    {
        checkUsable();
        counters.batches++;
        copyStage();
        forces.written(position);
        forceIfDue();
    }

    /**
     * Forces if the policy says it is due: anything unforced under every-batch, a passed bound under a bounded
     * policy. Call it from the writer thread when idle, so that a time bound holds even when no batch comes.
     *
     * @return true if a force was made.
     * @throws JournalFailedException if the writer failed before or the force fails now.
     * @throws JournalClosedException if the writer is closed.
     */
    public boolean forceIfDue()
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
        if (forces.pipelined())
        {
            forces.submit(position, nextSequence - 1);
            submittedPosition = position;
            firstUnforcedNanos = -1;
        }
        else
        {
            forceActive();
        }
        return true;
    }

    /**
     * Waits for the forcer to finish what it was given, so that this thread may force or rotate itself.
     */
    private void drainForcer()
    {
        if (forces.drain())
        {
            submittedPosition = forces.forcedPosition();
            checkUsable();
        }
    }

    /**
     * Registers a callback for every advance of the durable watermark, called with the new durable sequence on the
     * thread that completed the force: the forcer thread with pipelined forcing, the writer thread otherwise. It must
     * not block or throw; it replaces any earlier one. Set it before appending.
     *
     * @param listener the callback, or null for none.
     */
    public void durabilityListener(final LongConsumer listener)
    {
        forces.durabilityListener(listener);
    }

    /**
     * Registers a callback for the moment the writer fails (a failed force, allocation or write-back), called once
     * with the {@link JournalFailedException} on the thread that found the failure: with pipelined forcing that can
     * be the force thread, so waiters learn of it without waiting for the writer thread's next call. It must not
     * block or throw.
     *
     * @param listener the callback, or null for none.
     */
    public void failureListener(final Consumer<Throwable> listener)
    {
        failures.listener(listener);
    }

    /**
     * Forces everything written so far, whatever the policy, and advances the durable watermark.
     *
     * @throws JournalFailedException if the writer failed before or the force fails now.
     * @throws JournalClosedException if the writer is closed.
     */
    public void force()
    {
        checkUsable();
        drainForcer();
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
        firstUnforcedNanos = -1;
    }

    private void rotate()
    {
        drainForcer();
        // the next segment first: without one the active segment stays open, its room usable after a reopen
        final MappedSegment next;
        try
        {
            next = allocator.take(config.allocationTimeoutNanos());
        }
        catch (final SegmentAllocationException ex)
        {
            // what was written is forced all the same, as a rotation would have (a failing force fails first)
            if (position != forces.forcedPosition())
            {
                forceActive();
            }
            throw failures.fail(ex.getMessage(), ex.getCause());
        }
        catch (final IOException ex)
        {
            throw failures.fail("rotation to a new segment at sequence " + nextSequence + " in " + directory + " failed", ex);
        }
        try
        {
            finishActive();
        }
        catch (final RuntimeException | Error ex)
        {
            SegmentRotation.discardUnused(next);
            throw ex;
        }
        try
        {
            rotateInto(nextSequence, next);
        }
        catch (final IOException | RuntimeException ex)
        {
            throw failures.fail("rotation to a new segment at sequence " + nextSequence + " in " + directory + " failed", ex);
        }
    }

    /** Pads the active segment to its end and forces it whole: it is finished. */
    private void finishActive()
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
        else if (durableSequence.getAcquire() < nextSequence - 1)
        {
            forces.publishDurable(nextSequence - 1);
        }
        seekIndex.write(active.path(), active.buffer());
    }

    private void writePadding(final int frameOffset, final int length)
    {
        final int at = frameOffset - stageBase;
        buffer.putLong(at + FrameDescriptor.SEQUENCE_OFFSET, nextSequence, FrameDescriptor.BYTE_ORDER);
        buffer.putShort(at + FrameDescriptor.TYPE_OFFSET, FrameDescriptor.TYPE_PADDING,
            FrameDescriptor.BYTE_ORDER);
        buffer.putShort(at + FrameDescriptor.FLAGS_OFFSET, (short)0, FrameDescriptor.BYTE_ORDER);
        buffer.putInt(at + FrameDescriptor.RESERVED_OFFSET, 0, FrameDescriptor.BYTE_ORDER);
        buffer.putInt(at + FrameDescriptor.CRC_OFFSET,
            checksum.compute(checksumView, at, length, FrameDescriptor.TYPE_PADDING),
            FrameDescriptor.BYTE_ORDER);
        FrameDescriptor.frameLengthRelease(buffer, at, length);
        stagedEnd = frameOffset + FrameDescriptor.HEADER_LENGTH;
    }

    private void rotateInto(final long baseSequence, final MappedSegment next) throws IOException
    {
        final long start = System.nanoTime();
        boolean installed = false;
        try
        {
            // the new segment follows the active one or, at open, the closed last segment recovery found
            // (activeBase is -1, NO_PREVIOUS_SEGMENT, for a new journal)
            final long newPrevious = activeBase;
            SegmentRotation.name(directory, next, baseSequence, newPrevious, journalId, config);
            if (active != null)
            {
                forces.retire();
                active.close();
            }
            install(next, baseSequence, SegmentHeaderDescriptor.HEADER_LENGTH);
            installed = true;
            counters.rotations++;
            counters.rotationNanos += System.nanoTime() - start;
        }
        catch (final UncheckedIOException ex)
        {
            throw ex.getCause();
        }
        finally
        {
            if (!installed)
            {
                SegmentRotation.discardUnused(next);
            }
        }
    }

    private void checkUsable()
    {
        if (closed)
        {
            throw new JournalClosedException("journal writer for " + directory + " is closed");
        }
        failures.check();
    }

    /**
     * Sequence of the last record written into the segment file (visible to readers), or -1 when the journal is
     * empty: the last appended one with {@link WriteMode#MAPPED}, the last one of an ended batch (or of a full
     * stage) with {@link WriteMode#STAGED}. Safe from any thread.
     *
     * @return the written watermark.
     */
    public long writtenSequence()
    {
        return writtenSequence.getAcquire();
    }

    /**
     * Sequence of the last record known to be on the storage device (forced), or -1. Advances only after a
     * successful force. Safe from any thread.
     *
     * @return the durable watermark.
     */
    public long durableSequence()
    {
        return durableSequence.getAcquire();
    }

    /**
     * The sequence the next appended record will get.
     *
     * @return the next sequence.
     */
    public long nextSequence()
    {
        return nextSequence;
    }

    /**
     * The failure that put the writer into the failed state, or null. Safe from any thread.
     *
     * @return the failure.
     */
    public Throwable failure()
    {
        return failures.get();
    }

    SegmentFlusher flusher()
    {
        return forces.flusher();
    }

    /**
     * What open found and did.
     *
     * @return the recovery report.
     */
    public RecoveryReport recoveryReport()
    {
        return recoveryReport;
    }

    /**
     * The counters (records, bytes, batches, forces, rotations, allocator waits). Safe to read from any thread;
     * values are updated with plain stores by the writer thread and may be slightly stale.
     *
     * @return the counters.
     */
    public JournalCounters counters()
    {
        counters.allocatorWaits = allocator.waitCount();
        counters.allocatorWaitNanos = allocator.waitNanos();
        counters.segmentsDirect = allocator.segmentsPrepared(PreallocationMode.DIRECT);
        counters.segmentsBufferedPages = allocator.segmentsPrepared(PreallocationMode.BUFFERED_PAGES);
        counters.segmentsBuffered = allocator.segmentsPrepared(PreallocationMode.BUFFERED);
        counters.segmentsRecycled = allocator.segmentsRecycled();
        counters.allocationFailures = allocator.failureEpisodes();
        return counters;
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
     * The configuration.
     *
     * @return the configuration.
     */
    public JournalConfig config()
    {
        return config;
    }

    /**
     * The file of the active segment.
     *
     * @return the path.
     */
    public Path activeSegment()
    {
        return active.path();
    }

    /**
     * Base sequence of the active segment.
     *
     * @return the base sequence.
     */
    public long activeSegmentBase()
    {
        return activeBase;
    }

    /**
     * Deletes whole segments whose records all lie below {@code sequence}, never the active segment and never one
     * a reader in this process is on. See {@link JournalRetention}.
     *
     * @param sequence records below this may go.
     * @return what was deleted and kept.
     * @throws JournalClosedException if the writer is closed.
     */
    public JournalRetention.RetentionResult deleteSegmentsBelow(final long sequence)
    {
        if (closed)
        {
            throw new JournalClosedException("journal writer for " + directory + " is closed");
        }
        return JournalRetention.deleteSegmentsBelow(directory, sequence, activeBase);
    }

    /**
     * Retires the segments whose records all lie below {@code sequence}, as {@link #deleteSegmentsBelow(long)}
     * does, but keeps them for recycling (up to {@link JournalConfig#preparedSegments()} + 1 free files; the rest
     * are deleted) when {@link JournalConfig#recycleSegments()} is on. Reader positions in {@code positions/} are
     * honoured too.
     *
     * @param sequence the first sequence to keep.
     * @return what was retired.
     * @throws JournalClosedException if the writer is closed.
     */
    public JournalRetention.RetentionResult retireSegmentsBelow(final long sequence)
    {
        if (closed)
        {
            throw new JournalClosedException("journal writer for " + directory + " is closed");
        }
        return config.recycleSegments() ?
            JournalRetention.recycleSegmentsBelow(directory, sequence, activeBase, config.preparedSegments() + 1) :
            JournalRetention.deleteSegmentsBelow(directory, sequence, activeBase);
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return true once closed.
     */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * Closes the writer: aborts an open claim, forces everything written (unless failed), stops the allocator,
     * unmaps the active segment and releases the lock. Idempotent. Call it from the writer thread.
     *
     * @throws JournalFailedException if the final force fails (the resources are released all the same).
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
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
            closeQuietly(this, allocator, lock);
        }
        if (finalForceFailure != null)
        {
            throw finalForceFailure;
        }
    }

    @Override
    public String toString()
    {
        return "JournalWriter{directory=" + directory + ", next=" + nextSequence + ", durable=" + durableSequence() +
            ", active=" + (active != null ? active.path().getFileName() : null) + ", failed=" + (failures.get() != null) +
            ", closed=" + closed + '}';
    }
}
