package io.ringwal.bench.load;

import java.nio.file.Path;

import org.agrona.DirectBuffer;

import io.ringwal.journal.JournalConfig;
import io.ringwal.journal.JournalCounters;
import io.ringwal.journal.JournalWriter;

/**
 * A {@link LoadTarget} that drives the core {@link JournalWriter} directly on the producer thread: the producer
 * is the writer. No ring buffer, no hand-off; the journal's allocator thread prepares segments in the background.
 */
public final class DirectWriterTarget implements LoadTarget
{
    private final JournalWriter writer;
    private final JournalCounters counters;

    /**
     * Opens (creating) the journal.
     *
     * @param directory the journal directory.
     * @param config    the configuration.
     */
    public DirectWriterTarget(final Path directory, final JournalConfig config)
    {
        this.writer = JournalWriter.open(directory, config);
        this.counters = writer.counters();
    }

    @Override
    public long append(final DirectBuffer source, final int offset, final int length)
    {
        return writer.append(source, offset, length);
    }

    @Override
    public void endOfBatch()
    {
        writer.endOfBatch();
    }

    @Override
    public void forceAll()
    {
        writer.force();
    }

    @Override
    public long durableSequence()
    {
        return writer.durableSequence();
    }

    @Override
    public long nextSequence()
    {
        return writer.nextSequence();
    }

    @Override
    public void snapshot(final CounterSnapshot into)
    {
        into.copyFrom(writer.counters());
    }

    @Override
    public Path directory()
    {
        return writer.directory();
    }

    @Override
    public String threadsDescription()
    {
        return "1 producer (is the writer), 1 segment allocator";
    }

    /**
     * The underlying counters object (the same instance for the writer's life).
     *
     * @return the counters.
     */
    public JournalCounters counters()
    {
        return counters;
    }

    @Override
    public void close()
    {
        writer.close();
    }
}
