package io.ringwal.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import io.ringwal.format.CounterId;
import io.ringwal.format.CountersDescriptor;

import static io.ringwal.format.CountersDescriptor.BYTE_ORDER;

/**
 * The writing side of a journal's counters file ({@link CountersDescriptor}): a 4 KiB memory-mapped file in the
 * journal directory that another process reads with {@link CountersFileReader} ({@code ringwal stat}, a
 * durable-only {@link JournalReader}, a metrics exporter).
 *
 * <p>{@link #create} prepares the file under a temporary name and renames it into place, so a reader never maps a
 * half-written file and a reader of an earlier writer's file keeps its own (now stale) mapping. Every update is
 * a release store into the mapping: no system call, no allocation, no lock. All updates must come from one thread
 * (the journal's writer thread); {@link #failed}, {@link #closed} and {@link #close} too.
 *
 * <p>{@link JournalCountersPublisher} fills it from a {@link JournalWriter}; the Disruptor pipeline fills it at each
 * batch end with its ring counters as well.
 */
public final class CountersFile implements AutoCloseable
{
    private final Path path;
    private final MappedByteBuffer mapped;
    private final UnsafeBuffer buffer;
    private boolean closed;

    private CountersFile(final Path path, final MappedByteBuffer mapped)
    {
        this.path = path;
        this.mapped = mapped;
        this.buffer = new UnsafeBuffer(mapped);
    }

    /**
     * Creates (replacing any earlier one) the counters file of the journal in {@code directory}, in state running,
     * every counter 0, the written and durable sequences -1. Call it while holding the journal open for writing:
     * the file says that this process is the writer.
     *
     * @param directory the journal directory (must exist).
     * @param ringSize  the ring size to show, 0 without a ring.
     * @return the open counters file.
     * @throws JournalException if the file cannot be created.
     */
    public static CountersFile create(final Path directory, final int ringSize)
    {
        AgronaAccess.check();
        final Path dir = directory.toAbsolutePath().normalize();
        final Path temp = dir.resolve(CountersDescriptor.TEMP_FILE_NAME);
        final Path file = dir.resolve(CountersDescriptor.FILE_NAME);
        MappedByteBuffer mapped = null;
        try
        {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.READ, StandardOpenOption.WRITE))
            {
                final ByteBuffer initial = ByteBuffer.allocate(CountersDescriptor.FILE_LENGTH);
                writeInitial(new UnsafeBuffer(initial), ringSize);
                while (initial.hasRemaining())
                {
                    channel.write(initial, initial.position());
                }
                mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, CountersDescriptor.FILE_LENGTH);
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new CountersFile(file, mapped);
        }
        catch (final IOException ex)
        {
            if (mapped != null)
            {
                IoUtil.unmap(mapped);
            }
            throw new JournalException("cannot create the counters file " + file + ": " + ex, ex);
        }
    }

    private static void writeInitial(final UnsafeBuffer initial, final int ringSize)
    {
        final long now = System.currentTimeMillis();
        final ProcessHandle self = ProcessHandle.current();
        initial.putLong(CountersDescriptor.MAGIC_OFFSET, CountersDescriptor.MAGIC, BYTE_ORDER);
        initial.putInt(CountersDescriptor.VERSION_OFFSET, CountersDescriptor.CURRENT_VERSION, BYTE_ORDER);
        initial.putInt(CountersDescriptor.FILE_LENGTH_OFFSET, CountersDescriptor.FILE_LENGTH, BYTE_ORDER);
        initial.putLong(CountersDescriptor.PID_OFFSET, self.pid(), BYTE_ORDER);
        initial.putLong(CountersDescriptor.PROCESS_START_OFFSET,
            self.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(-1L), BYTE_ORDER);
        initial.putLong(CountersDescriptor.START_OFFSET, now, BYTE_ORDER);
        initial.putLong(CountersDescriptor.HEARTBEAT_OFFSET, now, BYTE_ORDER);
        initial.putInt(CountersDescriptor.STATE_OFFSET, CountersDescriptor.STATE_RUNNING, BYTE_ORDER);
        initial.putInt(CountersDescriptor.RING_SIZE_OFFSET, ringSize, BYTE_ORDER);
        initial.putInt(CountersDescriptor.COUNTER_COUNT_OFFSET, CounterId.count(), BYTE_ORDER);
        initial.putLong(CountersDescriptor.counterOffset(CounterId.WRITTEN_SEQUENCE.index()), -1L, BYTE_ORDER);
        initial.putLong(CountersDescriptor.counterOffset(CounterId.DURABLE_SEQUENCE.index()), -1L, BYTE_ORDER);
    }

    /**
     * Sets one counter (a release store). No allocation.
     *
     * @param id    the counter.
     * @param value its value.
     */
    public void set(final CounterId id, final long value)
    {
        CountersDescriptor.putLongRelease(buffer, CountersDescriptor.counterOffset(id.index()), value);
    }

    /**
     * Copies a writer's counters and watermarks into the file and beats the heartbeat. Call it on the writer
     * thread, at batch end. No allocation.
     *
     * @param writer the journal writer.
     */
    public void publishJournal(final JournalWriter writer)
    {
        final JournalCounters counters = writer.counters();
        final UnsafeBuffer buffer = this.buffer;
        put(buffer, CounterId.RECORDS, counters.records());
        put(buffer, CounterId.BYTES, counters.bytes());
        put(buffer, CounterId.BATCHES, counters.batches());
        put(buffer, CounterId.FORCES, counters.forces());
        put(buffer, CounterId.FORCE_NANOS, counters.forceNanos());
        put(buffer, CounterId.FORCED_BYTES, counters.forcedBytes());
        put(buffer, CounterId.ROTATIONS, counters.rotations());
        put(buffer, CounterId.ROTATION_NANOS, counters.rotationNanos());
        put(buffer, CounterId.ALLOCATOR_WAITS, counters.allocatorWaits());
        put(buffer, CounterId.ALLOCATOR_WAIT_NANOS, counters.allocatorWaitNanos());
        put(buffer, CounterId.ALLOCATION_FAILURES, counters.allocationFailures());
        put(buffer, CounterId.WRITTEN_SEQUENCE, writer.writtenSequence());
        put(buffer, CounterId.DURABLE_SEQUENCE, writer.durableSequence());
        heartbeat();
    }

    private static void put(final UnsafeBuffer buffer, final CounterId id, final long value)
    {
        CountersDescriptor.putLongRelease(buffer, CountersDescriptor.counterOffset(id.index()), value);
    }

    /**
     * Stores the current time as the heartbeat, telling readers the writer thread is alive. No allocation.
     */
    public void heartbeat()
    {
        CountersDescriptor.putLongRelease(buffer, CountersDescriptor.HEARTBEAT_OFFSET, System.currentTimeMillis());
    }

    /**
     * Records a failure: counts it, keeps its reason (the first failure's; cut to
     * {@value CountersDescriptor#MAX_FAILURE_REASON_LENGTH} bytes) and sets the state to failed. Not for the hot
     * path (it allocates).
     *
     * @param cause the failure.
     */
    public void failed(final Throwable cause)
    {
        if (closed)
        {
            return;
        }
        if (CountersDescriptor.getIntAcquire(buffer, CountersDescriptor.STATE_OFFSET) != CountersDescriptor.STATE_FAILED)
        {
            final byte[] reason = String.valueOf(cause).getBytes(StandardCharsets.UTF_8);
            final int length = Math.min(reason.length, CountersDescriptor.MAX_FAILURE_REASON_LENGTH);
            buffer.putBytes(CountersDescriptor.FAILURE_REASON_OFFSET, reason, 0, length);
            CountersDescriptor.putIntRelease(buffer, CountersDescriptor.FAILURE_LENGTH_OFFSET, length);
            set(CounterId.FAILURES, 1);
            setState(CountersDescriptor.STATE_FAILED);
        }
        heartbeat();
    }

    /**
     * Marks a clean close of the journal: the counters are final. A failed file stays failed.
     */
    public void closed()
    {
        finalState(CountersDescriptor.STATE_CLOSED);
    }

    /**
     * Marks that this file stops being updated while the journal may stay open. A failed or closed file keeps its
     * state.
     */
    public void detached()
    {
        finalState(CountersDescriptor.STATE_DETACHED);
    }

    private void finalState(final int state)
    {
        if (closed)
        {
            return;
        }
        if (CountersDescriptor.getIntAcquire(buffer, CountersDescriptor.STATE_OFFSET) == CountersDescriptor.STATE_RUNNING)
        {
            heartbeat();
            setState(state);
        }
    }

    private void setState(final int state)
    {
        CountersDescriptor.putIntRelease(buffer, CountersDescriptor.STATE_OFFSET, state);
    }

    /**
     * The file's path.
     *
     * @return the path of {@value CountersDescriptor#FILE_NAME} in the journal directory.
     */
    public Path path()
    {
        return path;
    }

    /**
     * Unmaps the file; it stays on disk with its last values. A file still running is marked detached first.
     * Idempotent.
     */
    @Override
    public void close()
    {
        if (!closed)
        {
            detached();
            closed = true;
            buffer.wrap(new byte[CountersDescriptor.FILE_LENGTH]);
            IoUtil.unmap(mapped);
        }
    }

    @Override
    public String toString()
    {
        return "CountersFile{" + path + ", closed=" + closed + '}';
    }
}
