package io.ringwal.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects what the journal logs (System.Logger on java.util.logging, logger {@code io.ringwal}) until closed.
 */
public final class LogCapture extends Handler implements AutoCloseable
{
    private final Logger logger = Logger.getLogger("io.ringwal");
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Level previous;

    private LogCapture()
    {
        previous = logger.getLevel();
        logger.setLevel(Level.ALL);
        setLevel(Level.ALL);
        logger.addHandler(this);
    }

    /**
     * Starts collecting.
     *
     * @return the capture, to close.
     */
    public static LogCapture start()
    {
        return new LogCapture();
    }

    /**
     * The records logged at {@code level} whose message contains {@code text}.
     *
     * @param level the java.util.logging level (WARNING for System.Logger's WARNING).
     * @param text  a part of the message.
     * @return the matching records.
     */
    public List<LogRecord> at(final Level level, final String text)
    {
        return records.stream()
            .filter(r -> r.getLevel().equals(level) && r.getMessage() != null && r.getMessage().contains(text))
            .toList();
    }

    @Override
    public void publish(final LogRecord record)
    {
        records.add(record);
    }

    @Override
    public void flush()
    {
    }

    @Override
    public void close()
    {
        logger.removeHandler(this);
        logger.setLevel(previous);
    }
}
