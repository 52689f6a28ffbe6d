package io.ringwal.journal;

/**
 * A writer or reader was used after it was closed.
 */
public final class JournalClosedException extends JournalException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was closed.
     */
    public JournalClosedException(final String message)
    {
        super(message);
    }
}
