package io.ringwal.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

import org.agrona.DirectBuffer;

import io.ringwal.format.FrameDescriptor;
import io.ringwal.segment.internal.AdaptivePreallocation;
import io.ringwal.segment.internal.MappedSegment;
import io.ringwal.segment.PreallocationMode;
import io.ringwal.segment.SegmentAllocationException;
import io.ringwal.segment.internal.SegmentAllocator;

/**
 * The single-threaded journal writer. Appends records as CRC-framed frames into the active segment file (through
 * its memory mapping or, with {@link WriteMode#STAGED}, copied in at the end of each batch), rotates to a segment
 * the allocator thread prepared ahead of need, and forces written bytes at batch boundaries according to its
 * {@link ForcePolicy}.
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
    private final JournalCounters counters = new JournalCounters();
    private final RecoveryReport recoveryReport;
    /** The active segment's lifecycle: installs it at open, rotates when it is full. */
    private final SegmentRotation rotation;
    /** Runs the per-record path and holds the state it reads: every append goes straight to it. */
    private final SegmentAppender appender;

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
        this.directory = directory;
        this.config = config;
        this.lock = lock;
        this.allocator = allocator;
        this.recoveryReport = recovered.report;
        this.writtenSequence = new PaddedSequence(recovered.nextSequence - 1);
        this.durableSequence = new PaddedSequence(recovered.nextSequence - 1);
        this.failures = new WriterFailure(directory, durableSequence);
        this.forces = new SegmentForcer(config, String.valueOf(directory.getFileName()), adaptive, counters, failures,
            durableSequence);
        this.rotation = new SegmentRotation(directory, config, allocator, retentionBase, recovered, counters, failures);
        this.appender = new SegmentAppender(directory, config, recovered.nextSequence, forces, failures, rotation,
            counters, writtenSequence);
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
            writer.rotation.open(recovered, writer.appender);
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
        if (writer != null && writer.appender.active() != null)
        {
            writer.appender.active().close();
        }
        if (allocator != null)
        {
            allocator.close();
        }
        lock.close();
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
        return appender.append(source, offset, length);
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
        return appender.append(source, offset, length);
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
        return appender.append(source);
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
        return appender.appendFrame(source, offset);
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
        return appender.skip();
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
        return appender.claim(length);
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
        appender.endOfBatch();
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
        return appender.forceIfDue();
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
        appender.force();
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
        return appender.nextSequence();
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
        return appender.active().path();
    }

    /**
     * Base sequence of the active segment.
     *
     * @return the base sequence.
     */
    public long activeSegmentBase()
    {
        return rotation.activeBase();
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
        appender.checkNotClosed();
        return JournalRetention.deleteSegmentsBelow(directory, sequence, rotation.activeBase());
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
        appender.checkNotClosed();
        final long activeBase = rotation.activeBase();
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
        return appender.isClosed();
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
        if (appender.isClosed())
        {
            return;
        }
        final JournalFailedException finalForceFailure;
        try
        {
            finalForceFailure = appender.close();
        }
        finally
        {
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
        final MappedSegment active = appender.active();
        return "JournalWriter{directory=" + directory + ", next=" + appender.nextSequence() + ", durable=" +
            durableSequence() + ", active=" + (active != null ? active.path().getFileName() : null) + ", failed=" +
            (failures.get() != null) + ", closed=" + appender.isClosed() + '}';
    }
}
