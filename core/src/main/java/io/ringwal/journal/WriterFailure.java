package io.ringwal.journal;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The failed state of a {@link JournalWriter}: the first failure, kept for good, and the listener told of it. Set
 * by the thread that found the failure (the writer thread, or the force thread with pipelined forcing), read by any.
 */
final class WriterFailure
{
    private static final System.Logger LOG = System.getLogger(JournalWriter.class.getName());

    private final Path directory;
    private final PaddedSequence durableSequence;
    private volatile Consumer<Throwable> listener;
    private volatile Throwable failure;

    WriterFailure(final Path directory, final PaddedSequence durableSequence)
    {
        this.directory = directory;
        this.durableSequence = durableSequence;
    }

    void listener(final Consumer<Throwable> listener)
    {
        this.listener = listener;
    }

    /**
     * The failure, or null.
     *
     * @return the failure.
     */
    Throwable get()
    {
        return failure;
    }

    /**
     * Puts the writer into the failed state unless it already is, and returns the exception to throw.
     *
     * @param what  what failed.
     * @param cause why.
     * @return the exception naming the journal, what failed and the last durable sequence.
     */
    JournalFailedException fail(final String what, final Throwable cause)
    {
        final JournalFailedException failed = new JournalFailedException("journal " + directory + " failed: " +
            what + "; nothing after sequence " + durableSequence.getAcquire() + " is acknowledged durable", cause);
        if (failure == null)
        {
            failure = failed;
            LOG.log(System.Logger.Level.ERROR, failed.getMessage(), cause);
            final Consumer<Throwable> listener = this.listener;
            if (listener != null)
            {
                listener.accept(failed);
            }
        }
        return failed;
    }

    /**
     * Throws if the writer is failed.
     *
     * @throws JournalFailedException with the failure's cause.
     */
    void check()
    {
        final Throwable failed = failure;
        if (failed != null)
        {
            throw new JournalFailedException("journal " + directory + " is failed: " + failed.getMessage(),
                failed.getCause() != null ? failed.getCause() : failed);
        }
    }
}
