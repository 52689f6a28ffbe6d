package io.ringwal.journal;

/**
 * Base of every exception the journal throws for a journal-level problem (as opposed to a caller's bad
 * argument, which is an {@link IllegalArgumentException}).
 */
public class JournalException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what went wrong.
     */
    public JournalException(final String message)
    {
        super(message);
    }

    /**
     * Creates an exception with a cause.
     *
     * @param message what went wrong.
     * @param cause   the underlying failure.
     */
    public JournalException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
