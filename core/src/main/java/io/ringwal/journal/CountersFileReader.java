package io.ringwal.journal;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Optional;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import io.ringwal.format.CounterId;
import io.ringwal.format.CountersDescriptor;

/**
 * A read-only view of a journal's counters file ({@link CountersDescriptor}), from any process: the live counters
 * of the writer, its pid, start and heartbeat times, its state and failure reason.
 *
 * <p>Every getter is one acquire load from the mapping: no system call, no allocation. The values are those of
 * the writer's last update (at its last batch end or idle wake-up); different fields may come from different
 * updates. {@link #status(long)} tells whether a writer is behind the file at all.
 *
 * <p>A writer that starts later replaces the file (a rename): this view then keeps showing the earlier writer's
 * last values, and {@link #isReplaced()} says so; open a new view to follow the new writer.
 */
public final class CountersFileReader implements AutoCloseable
{
    /** What a counters file says about its writer. */
    public enum Status
    {
        /** The writer process is alive, the file says running and its heartbeat is recent. */
        LIVE,
        /** The writer process is alive and the file says running, but the heartbeat is older than allowed. */
        STALE,
        /** The writer closed the journal cleanly; the counters are final. */
        CLOSED,
        /** The writer failed; see {@link #failureReason()}. */
        FAILED,
        /** The publisher stopped while the writer kept the journal open. */
        DETACHED,
        /** The file says running but its writer process is gone: it ended without closing the journal. */
        DEAD
    }

    private final Path path;
    private final Object fileKey;
    private final MappedByteBuffer mapped;
    private final UnsafeBuffer buffer;
    private boolean closed;

    private CountersFileReader(final Path path, final Object fileKey, final MappedByteBuffer mapped)
    {
        this.path = path;
        this.fileKey = fileKey;
        this.mapped = mapped;
        this.buffer = new UnsafeBuffer(mapped);
    }

    /**
     * Opens the counters file of the journal in {@code directory}.
     *
     * @param directory the journal directory.
     * @return the reader.
     * @throws JournalException if there is no counters file (no writer has published counters there), or it is
     *                          not one this code reads.
     */
    public static CountersFileReader open(final Path directory)
    {
        return openIfPresent(directory).orElseThrow(() -> new JournalException("no counters file in " + directory +
            ": no writer has published counters there (" + CountersDescriptor.FILE_NAME + " is absent)"));
    }

    /**
     * Opens the counters file of the journal in {@code directory} if there is one.
     *
     * @param directory the journal directory.
     * @return the reader, or empty if the file is absent.
     * @throws JournalException if the file exists but is not one this code reads, or cannot be read.
     */
    public static Optional<CountersFileReader> openIfPresent(final Path directory)
    {
        AgronaAccess.check();
        final Path file = Objects.requireNonNull(directory, "directory").resolve(CountersDescriptor.FILE_NAME);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
            final long size = channel.size();
            if (size < CountersDescriptor.FILE_LENGTH)
            {
                throw new JournalException(file + ": counters file is " + size + " bytes, shorter than " +
                    CountersDescriptor.FILE_LENGTH);
            }
            final MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0,
                CountersDescriptor.FILE_LENGTH);
            final String problem = CountersDescriptor.validate(new UnsafeBuffer(mapped), size);
            if (problem != null)
            {
                IoUtil.unmap(mapped);
                throw new JournalException(file + ": " + problem);
            }
            return Optional.of(new CountersFileReader(file, key, mapped));
        }
        catch (final NoSuchFileException ex)
        {
            return Optional.empty();
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot read the counters file " + file + ": " + ex, ex);
        }
    }

    /**
     * A counter's value.
     *
     * @param id the counter.
     * @return its value at the writer's last update.
     */
    public long get(final CounterId id)
    {
        ensureOpen();
        return CountersDescriptor.getLongAcquire(buffer, CountersDescriptor.counterOffset(id.index()));
    }

    /**
     * The durable watermark the writer last published: every record at or below it was forced to the device.
     *
     * @return the sequence, -1 when nothing is durable.
     */
    public long durableSequence()
    {
        return get(CounterId.DURABLE_SEQUENCE);
    }

    /**
     * The written watermark the writer last published.
     *
     * @return the sequence, -1 when nothing is written.
     */
    public long writtenSequence()
    {
        return get(CounterId.WRITTEN_SEQUENCE);
    }

    /**
     * The writer's process id.
     *
     * @return the pid.
     */
    public long pid()
    {
        ensureOpen();
        return CountersDescriptor.getLongAcquire(buffer, CountersDescriptor.PID_OFFSET);
    }

    /**
     * When the writer's process started, as the OS reported it to the writer.
     *
     * @return epoch milliseconds, -1 when unknown.
     */
    public long processStartEpochMillis()
    {
        ensureOpen();
        return CountersDescriptor.getLongAcquire(buffer, CountersDescriptor.PROCESS_START_OFFSET);
    }

    /**
     * When the writer created the file.
     *
     * @return epoch milliseconds.
     */
    public long startEpochMillis()
    {
        ensureOpen();
        return CountersDescriptor.getLongAcquire(buffer, CountersDescriptor.START_OFFSET);
    }

    /**
     * When the writer last updated the file.
     *
     * @return epoch milliseconds.
     */
    public long heartbeatEpochMillis()
    {
        ensureOpen();
        return CountersDescriptor.getLongAcquire(buffer, CountersDescriptor.HEARTBEAT_OFFSET);
    }

    /**
     * The state field: one of the {@code STATE_} constants of {@link CountersDescriptor}.
     *
     * @return the state.
     */
    public int state()
    {
        ensureOpen();
        return CountersDescriptor.getIntAcquire(buffer, CountersDescriptor.STATE_OFFSET);
    }

    /**
     * The ring size of the writer's pipeline.
     *
     * @return slots, 0 without a ring.
     */
    public int ringSize()
    {
        ensureOpen();
        return CountersDescriptor.getIntAcquire(buffer, CountersDescriptor.RING_SIZE_OFFSET);
    }

    /**
     * The layout version of the file.
     *
     * @return the version.
     */
    public int layoutVersion()
    {
        ensureOpen();
        return CountersDescriptor.getIntAcquire(buffer, CountersDescriptor.VERSION_OFFSET);
    }

    /**
     * Why the writer failed.
     *
     * @return the reason, or null if it did not fail.
     */
    public String failureReason()
    {
        ensureOpen();
        final int length = Math.min(CountersDescriptor.getIntAcquire(buffer, CountersDescriptor.FAILURE_LENGTH_OFFSET),
            CountersDescriptor.MAX_FAILURE_REASON_LENGTH);
        if (length <= 0)
        {
            return null;
        }
        final byte[] bytes = new byte[length];
        buffer.getBytes(CountersDescriptor.FAILURE_REASON_OFFSET, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * Whether the process named by the file is alive: a process with that pid exists and, when both start times
     * are known, started when the writer said (so a reused pid does not count).
     *
     * @return true if the writer's process is alive.
     */
    public boolean isWriterProcessAlive()
    {
        final long pid = pid();
        final long started = processStartEpochMillis();
        final Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive())
        {
            return false;
        }
        if (started < 0)
        {
            return true;
        }
        return handle.get().info().startInstant().map(instant -> Math.abs(instant.toEpochMilli() - started) < 2_000)
            .orElse(true);
    }

    /**
     * What the file says about its writer now.
     *
     * @param staleAfterMillis how old a running writer's heartbeat may be before it counts as stale.
     * @return the status.
     */
    public Status status(final long staleAfterMillis)
    {
        switch (state())
        {
            case CountersDescriptor.STATE_CLOSED:
                return Status.CLOSED;
            case CountersDescriptor.STATE_FAILED:
                return Status.FAILED;
            case CountersDescriptor.STATE_DETACHED:
                return Status.DETACHED;
            default:
                if (!isWriterProcessAlive())
                {
                    return Status.DEAD;
                }
                return System.currentTimeMillis() - heartbeatEpochMillis() > staleAfterMillis ? Status.STALE :
                    Status.LIVE;
        }
    }

    /**
     * Whether the file at the path was replaced (a later writer created its own) or removed since this view was
     * opened.
     *
     * @return true if this view no longer shows the file in the directory.
     */
    public boolean isReplaced()
    {
        try
        {
            final Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            return key != null && !key.equals(fileKey);
        }
        catch (final IOException ex)
        {
            return true;
        }
    }

    /**
     * The file's path.
     *
     * @return the path.
     */
    public Path path()
    {
        return path;
    }

    /**
     * Unmaps the file. Idempotent.
     */
    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            buffer.wrap(new byte[CountersDescriptor.FILE_LENGTH]);
            IoUtil.unmap(mapped);
        }
    }

    private void ensureOpen()
    {
        if (closed)
        {
            throw new JournalClosedException("counters file reader of " + path + " is closed");
        }
    }
}
