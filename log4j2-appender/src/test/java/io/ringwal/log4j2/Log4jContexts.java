package io.ringwal.log4j2;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.status.StatusData;
import org.apache.logging.log4j.status.StatusListener;
import org.apache.logging.log4j.status.StatusLogger;

/**
 * Starts a real, private Log4j2 {@link LoggerContext} from an XML file of the test resources, with the journal
 * directory and other attributes passed as system properties ({@code ${sys:ringwal.dir}} and so on), and
 * collects what Log4j2's status logger says (where the default error handler reports).
 */
final class Log4jContexts
{
    private Log4jContexts()
    {
    }

    static LoggerContext start(final String resource, final Path dir, final Map<String, String> properties)
    {
        System.setProperty("ringwal.dir", dir.toString());
        properties.forEach(System::setProperty);
        try
        {
            final LoggerContext context = new LoggerContext(resource, null, uri(resource));
            context.start();
            return context;
        }
        finally
        {
            properties.keySet().forEach(System::clearProperty);
        }
    }

    static URI uri(final String resource)
    {
        try
        {
            return Log4jContexts.class.getResource("/" + resource).toURI();
        }
        catch (final URISyntaxException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    static RingwalAppender appender(final LoggerContext context, final String name)
    {
        return context.getConfiguration().getAppender(name);
    }

    /** Collects the status logger's ERROR messages while registered. */
    static final class StatusErrors implements StatusListener
    {
        private final List<String> messages = new ArrayList<>();

        StatusErrors()
        {
            StatusLogger.getLogger().registerListener(this);
        }

        @Override
        public void log(final StatusData data)
        {
            if (data.getLevel().isMoreSpecificThan(Level.ERROR))
            {
                synchronized (messages)
                {
                    messages.add(data.getMessage().getFormattedMessage() +
                        (data.getThrowable() != null ? " / " + data.getThrowable() : ""));
                }
            }
        }

        @Override
        public Level getStatusLevel()
        {
            return Level.ERROR;
        }

        List<String> messages()
        {
            synchronized (messages)
            {
                return new ArrayList<>(messages);
            }
        }

        long count(final String fragment)
        {
            return messages().stream().filter(message -> message.contains(fragment)).count();
        }

        private boolean closed;

        @Override
        public void close()
        {
            if (!closed)
            {
                closed = true;
                StatusLogger.getLogger().removeListener(this); // calls close() again
            }
        }
    }
}
