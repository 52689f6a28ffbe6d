package io.ringwal.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * The segment each open {@link JournalReader} of this process is on, per journal directory, so that
 * {@link JournalRetention} never deletes a segment under a reader. A reader registers before it maps anything,
 * updates its entry when it moves to another segment and deregisters on close.
 *
 * <p>Directories are keyed by their real path ({@link #key(Path)}), so two spellings of one directory share an
 * entry. Readers in other processes are not known here. Every method takes one lock; none is on the per-record
 * path.
 */
final class ReaderRegistry
{
    /** Returned by {@link #lowestSegmentBase(Path)} when no reader is registered for the directory. */
    static final long NO_READER = Long.MAX_VALUE;

    private static final Object LOCK = new Object();
    private static final Map<Path, List<Registration>> READERS = new HashMap<>();

    private ReaderRegistry()
    {
    }

    /**
     * One reader's entry.
     */
    static final class Registration
    {
        private final Path key;
        private long segmentBase;
        private boolean registered = true;

        private Registration(final Path key, final long segmentBase)
        {
            this.key = key;
            this.segmentBase = segmentBase;
        }

        /**
         * The base sequence of the segment the reader is on.
         *
         * @return the segment base.
         */
        long segmentBase()
        {
            synchronized (LOCK)
            {
                return segmentBase;
            }
        }
    }

    /**
     * The key of a journal directory: its real path.
     *
     * @param directory the journal directory, which must exist.
     * @return the key.
     * @throws JournalException if the directory does not exist, is not a directory or cannot be resolved.
     */
    static Path key(final Path directory)
    {
        if (!Files.isDirectory(directory))
        {
            throw new JournalException(Files.exists(directory) ?
                "not a journal directory: " + directory + " is not a directory" :
                "journal directory does not exist: " + directory);
        }
        try
        {
            return directory.toRealPath();
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot resolve journal directory " + directory, ex);
        }
    }

    /**
     * Registers a reader on a segment.
     *
     * @param key         the directory key from {@link #key(Path)}.
     * @param segmentBase the base sequence of the segment the reader is about to open.
     * @return the registration to update and deregister.
     */
    static Registration register(final Path key, final long segmentBase)
    {
        synchronized (LOCK)
        {
            final Registration registration = new Registration(key, segmentBase);
            READERS.computeIfAbsent(key, (k) -> new ArrayList<>()).add(registration);
            return registration;
        }
    }

    /**
     * Records that a reader moved to another segment.
     *
     * @param registration the reader's registration.
     * @param segmentBase  the base sequence of the segment it is now on.
     */
    static void update(final Registration registration, final long segmentBase)
    {
        synchronized (LOCK)
        {
            registration.segmentBase = segmentBase;
        }
    }

    /**
     * Removes a reader's entry. Idempotent.
     *
     * @param registration the reader's registration.
     */
    static void deregister(final Registration registration)
    {
        synchronized (LOCK)
        {
            if (registration.registered)
            {
                registration.registered = false;
                final List<Registration> registrations = READERS.get(registration.key);
                if (null != registrations)
                {
                    registrations.remove(registration);
                    if (registrations.isEmpty())
                    {
                        READERS.remove(registration.key);
                    }
                }
            }
        }
    }

    /**
     * The lowest segment base any registered reader of a directory is on.
     *
     * @param key the directory key from {@link #key(Path)}.
     * @return the lowest segment base, or {@link #NO_READER}.
     */
    static long lowestSegmentBase(final Path key)
    {
        synchronized (LOCK)
        {
            return lowestSegmentBase0(key);
        }
    }

    /**
     * Runs an action while holding the registry lock, so that no reader registers or moves while it runs: used
     * by retention to decide and delete in one step.
     *
     * @param key    the directory key from {@link #key(Path)}.
     * @param action given the lowest segment base of the directory's readers, or {@link #NO_READER}.
     * @param <R>    the action's result type.
     * @return the action's result.
     */
    static <R> R withLowestSegmentBase(final Path key, final LongFunction<R> action)
    {
        synchronized (LOCK)
        {
            return action.apply(lowestSegmentBase0(key));
        }
    }

    private static long lowestSegmentBase0(final Path key)
    {
        long lowest = NO_READER;
        final List<Registration> registrations = READERS.get(key);
        if (null != registrations)
        {
            for (final Registration registration : registrations)
            {
                lowest = Math.min(lowest, registration.segmentBase);
            }
        }
        return lowest;
    }
}
