package io.ringwal.testing;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns the journal's own logging (System.Logger on java.util.logging) off for loops that recover thousands of
 * damaged images on purpose, and back on afterwards.
 */
public final class QuietLogs implements AutoCloseable
{
    private final Logger logger = Logger.getLogger("io.ringwal");
    private final Level previous;

    private QuietLogs()
    {
        previous = logger.getLevel();
        logger.setLevel(Level.OFF);
    }

    /**
     * Silences {@code io.ringwal.*} until closed.
     *
     * @return the handle to close.
     */
    public static QuietLogs quiet()
    {
        return new QuietLogs();
    }

    @Override
    public void close()
    {
        logger.setLevel(previous);
    }
}
