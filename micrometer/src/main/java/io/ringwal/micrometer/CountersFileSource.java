package io.ringwal.micrometer;

import java.nio.file.Path;

import io.ringwal.format.CounterId;
import io.ringwal.journal.CountersFileReader;
import io.ringwal.journal.JournalException;

/**
 * The counters file of a journal, possibly written by another process. Opens it lazily, and opens it again when a
 * later writer replaced it (checked at most once a second); reports {@code NaN} while there is none.
 */
final class CountersFileSource implements CounterSource, AutoCloseable
{
    private static final long RECHECK_NANOS = 1_000_000_000L;

    private final Path directory;
    private final long staleAfterMillis;
    private CountersFileReader reader;
    private long lastCheckNanos;
    private boolean checked;
    private boolean closed;

    CountersFileSource(final Path directory, final long staleAfterMillis)
    {
        this.directory = directory;
        this.staleAfterMillis = staleAfterMillis;
    }

    @Override
    public synchronized double value(final CounterId id)
    {
        final CountersFileReader current = current();
        return current == null ? Double.NaN : current.get(id);
    }

    @Override
    public synchronized double up()
    {
        final CountersFileReader current = current();
        return current != null && current.status(staleAfterMillis) == CountersFileReader.Status.LIVE ? 1 : 0;
    }

    private CountersFileReader current()
    {
        if (closed)
        {
            return null;
        }
        final long now = System.nanoTime();
        if (!checked || now - lastCheckNanos >= RECHECK_NANOS)
        {
            checked = true;
            lastCheckNanos = now;
            if (reader != null && reader.isReplaced())
            {
                reader.close();
                reader = null;
            }
            if (reader == null)
            {
                try
                {
                    reader = CountersFileReader.openIfPresent(directory).orElse(null);
                }
                catch (final JournalException ex)
                {
                    reader = null; // not a counters file this code reads: report nothing rather than fail a scrape
                }
            }
        }
        return reader;
    }

    @Override
    public synchronized void close()
    {
        closed = true;
        if (reader != null)
        {
            reader.close();
            reader = null;
        }
    }
}
