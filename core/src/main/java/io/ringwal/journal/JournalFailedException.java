package io.ringwal.journal;

/**
 * The writer is in the failed state after an I/O error (a failed force, a failed allocation): nothing after
 * the failure is acknowledged and every later call throws this, with the original failure as the cause.
 */
public final class JournalFailedException extends JournalException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed.
     * @param cause   the original failure.
     */
    public JournalFailedException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
