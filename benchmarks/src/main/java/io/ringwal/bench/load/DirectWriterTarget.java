package io.ringwal.bench.load;

import java.nio.file.Path;

import org.agrona.DirectBuffer;

import io.ringwal.journal.JournalConfig;
import io.ringwal.journal.JournalWriter;

/**
 * A {@link LoadTarget} that drives the core {@link JournalWriter} directly on the one producer thread: the
 * producer is the writer. No ring buffer, no hand-off; the journal's allocator thread prepares segments in the
 * background. The producer reports each durable advance (after a batch's force, a rotation's force, the final
 * force) to the {@link DurableLog} itself, right after the call that made it.
 */
public final class DirectWriterTarget implements LoadTarget
{
    private final Path directory;
    private final JournalConfig config;
    private final DurableLog durableLog;
    private JournalWriter writer;

    /**
     * Creates the target; {@link #start()} opens the journal.
     *
     * @param directory  the journal directory.
     * @param config     the configuration.
     * @param durableLog told of every durable advance.
     */
    public DirectWriterTarget(final Path directory, final JournalConfig config, final DurableLog durableLog)
    {
        this.directory = directory;
        this.config = config;
        this.durableLog = durableLog;
    }

    @Override
    public int maxProducers()
    {
        return 1;
    }

    @Override
    public boolean producerBatches()
    {
        return true;
    }

    @Override
    public void start()
    {
        writer = JournalWriter.open(directory, config);
    }

    @Override
    public long publish(final DirectBuffer source, final int offset, final int length)
    {
        final long sequence = writer.append(source, offset, length);
        durableLog.onDurable(writer.durableSequence());
        return sequence;
    }

    @Override
    public void endOfBatch()
    {
        writer.endOfBatch();
        durableLog.onDurable(writer.durableSequence());
    }

    @Override
    public void finish()
    {
        writer.force();
        durableLog.onDurable(writer.durableSequence());
    }

    @Override
    public long nextSequence()
    {
        return writer.nextSequence();
    }

    @Override
    public long writtenSequence()
    {
        final JournalWriter w = writer;
        return w != null ? w.writtenSequence() : -1;
    }

    @Override
    public int ringSize()
    {
        return 0;
    }

    @Override
    public void snapshot(final CounterSnapshot into)
    {
        into.copyFrom(writer.counters());
    }

    @Override
    public Path directory()
    {
        return directory;
    }

    @Override
    public String threadsDescription()
    {
        return "the producer is the writer, 1 segment allocator";
    }

    @Override
    public int ownThreads()
    {
        return 1;
    }

    @Override
    public void close()
    {
        if (writer != null)
        {
            writer.close();
        }
    }
}
