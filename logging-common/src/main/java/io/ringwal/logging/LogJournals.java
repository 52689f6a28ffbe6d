package io.ringwal.logging;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.ringwal.journal.JournalLockedException;

/**
 * The log journals open in this class loader, by directory. An appender acquires its journal on start and
 * releases it on stop; the journal closes (drains and forces) when its last holder releases it.
 *
 * <p>A reconfiguration starts the new appender before it stops the old one (Log4j2 does): both have the same
 * appender name, so the new one gets the running journal and not one line is lost or written twice. A
 * <em>different</em> appender asking for a directory that is in use gets a {@link JournalLockedException}, as a
 * writer in another process does from the journal's own lock.
 */
public final class LogJournals
{
    private static final Map<Path, Entry> OPEN = new HashMap<>();

    private LogJournals()
    {
    }

    private static final class Entry
    {
        final LogJournal journal;
        final String owner;
        int holders;

        Entry(final LogJournal journal, final String owner)
        {
            this.journal = journal;
            this.owner = owner;
        }
    }

    /**
     * Gets the journal for the configuration's directory, opening it if no appender holds it.
     *
     * @param owner    the appender's name (a reconfigured appender keeps its name and shares the journal).
     * @param config   the settings; if the journal is already open, its running settings stay (see
     *                 {@link LogJournal#config()}).
     * @param listener told once if the journal fails.
     * @return the journal.
     * @throws JournalLockedException           if another appender of this process, or a writer in another
     *                                          process, holds the directory.
     * @throws io.ringwal.journal.JournalException if the journal cannot be opened.
     */
    public static synchronized LogJournal acquire(
        final String owner, final LogJournalConfig config, final FaultListener listener)
    {
        final Entry existing = OPEN.get(config.directory());
        if (existing != null)
        {
            if (!existing.owner.equals(owner))
            {
                throw new JournalLockedException("journal " + config.directory() + " is already written by " +
                    "appender '" + existing.owner + "' in this process; appender '" + owner + "' needs a " +
                    "directory of its own");
            }
            existing.holders++;
            existing.journal.addListener(listener);
            return existing.journal;
        }
        final LogJournal journal = LogJournal.open(config);
        final Entry entry = new Entry(journal, owner);
        entry.holders = 1;
        journal.addListener(listener);
        OPEN.put(config.directory(), entry);
        return journal;
    }

    /**
     * Releases a journal; the last holder's release drains, forces and closes it (under the registry's
     * lock, so that a new appender on the directory waits for the close instead of finding it locked).
     *
     * @param journal  the journal acquired.
     * @param listener the listener given to {@link #acquire}.
     */
    public static synchronized void release(final LogJournal journal, final FaultListener listener)
    {
        final Entry entry = OPEN.get(journal.config().directory());
        if (entry != null && entry.journal == journal && --entry.holders == 0)
        {
            OPEN.remove(journal.config().directory());
            journal.close();
        }
        journal.removeListener(listener);
    }
}
