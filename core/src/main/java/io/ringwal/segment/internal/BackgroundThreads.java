package io.ringwal.segment.internal;

/**
 * Joins the journal's background threads (allocator, flusher, force thread) on close. Not API.
 */
public final class BackgroundThreads
{
    private BackgroundThreads()
    {
    }

    /**
     * Waits until {@code thread} has ended, however often the caller is interrupted meanwhile, and restores the
     * caller's interrupt status afterwards: a close must not return while the thread may still touch a segment it
     * is about to unmap. Returns at once when called from {@code thread} itself.
     *
     * @param thread the background thread, already told to stop and woken.
     */
    public static void joinUninterruptibly(final Thread thread)
    {
        boolean interrupted = false;
        while (thread.isAlive() && Thread.currentThread() != thread)
        {
            try
            {
                thread.join();
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }
}
