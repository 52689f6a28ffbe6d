package io.ringwal.journal;

import java.util.Objects;

/**
 * Publishes a {@link JournalWriter}'s counters into the journal's counters file, for {@code ringwal stat}, metrics
 * exporters and durable-only readers in other processes. The Disruptor pipeline does this itself; a user of the
 * plain writer calls {@link #publish()} on the writer thread after each {@link JournalWriter#endOfBatch()} (and,
 * when idle, now and then, so the heartbeat stays fresh), and {@link #close()} after closing the writer, so that the
 * file records the clean close (closed before the writer, it records only that publishing stopped: "detached"):
 *
 * <pre>{@code
 * JournalWriter writer = JournalWriter.open(dir, config);
 * JournalCountersPublisher counters = JournalCountersPublisher.open(writer);
 * try
 * {
 *     writer.append(bytes, 0, bytes.length);
 *     writer.endOfBatch();
 *     counters.publish();
 * }
 * finally
 * {
 *     writer.close();
 *     counters.close();   // after the writer: the file says "closed", the durable sequence is final
 * }
 * }</pre>
 *
 * <p>{@link #publish()} is a few release stores into the mapped file: no system call, no allocation, no lock.
 * Every method must be called from the writer thread.
 */
public final class JournalCountersPublisher implements AutoCloseable
{
    private final JournalWriter writer;
    private final CountersFile file;

    private JournalCountersPublisher(final JournalWriter writer, final CountersFile file)
    {
        this.writer = writer;
        this.file = file;
    }

    /**
     * Creates the counters file in the writer's directory (replacing one an earlier writer left) and publishes
     * the writer's current counters.
     *
     * @param writer an open writer.
     * @return the publisher.
     * @throws JournalClosedException if the writer is closed.
     * @throws JournalException       if the file cannot be created.
     */
    public static JournalCountersPublisher open(final JournalWriter writer)
    {
        Objects.requireNonNull(writer, "writer");
        if (writer.isClosed())
        {
            throw new JournalClosedException("journal " + writer.directory() + " is closed");
        }
        final JournalCountersPublisher publisher = new JournalCountersPublisher(writer,
            CountersFile.create(writer.directory(), 0));
        publisher.publish();
        return publisher;
    }

    /**
     * Copies the writer's counters, written and durable sequences into the file and beats the heartbeat; records
     * the writer's failure once it has one. Call it on the writer thread, after each batch end.
     */
    public void publish()
    {
        file.publishJournal(writer);
        final Throwable failure = writer.failure();
        if (failure != null)
        {
            file.failed(failure);
        }
    }

    /**
     * The counters file this publisher writes.
     *
     * @return the file.
     */
    public CountersFile file()
    {
        return file;
    }

    /**
     * Publishes the last values and closes the file: in state closed if the writer was closed cleanly, failed if
     * it failed, detached if it is still open. Idempotent.
     */
    @Override
    public void close()
    {
        file.publishJournal(writer);
        final Throwable failure = writer.failure();
        if (failure != null)
        {
            file.failed(failure);
        }
        else if (writer.isClosed())
        {
            file.closed();
        }
        file.close();
    }
}
