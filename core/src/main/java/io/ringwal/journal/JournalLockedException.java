package io.ringwal.journal;

/**
 * Another writer, in this process or another, already has the journal directory open.
 */
public final class JournalLockedException extends JournalException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which directory and lock file.
     */
    public JournalLockedException(final String message)
    {
        super(message);
    }
}
