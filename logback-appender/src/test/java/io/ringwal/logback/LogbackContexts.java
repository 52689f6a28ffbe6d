package io.ringwal.logback;

import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;

/**
 * Configures a real, private Logback {@link LoggerContext} from an XML file of the test resources, with the
 * journal directory and other properties as context properties ({@code ${ringwal.dir}} and so on).
 */
final class LogbackContexts
{
    private LogbackContexts()
    {
    }

    static LoggerContext start(final String resource, final Path dir, final Map<String, String> properties)
    {
        final LoggerContext context = new LoggerContext();
        context.setName(resource);
        context.setMDCAdapter(new LogbackMDCAdapter());
        context.start();
        configure(context, resource, dir, properties);
        return context;
    }

    static void configure(
        final LoggerContext context, final String resource, final Path dir, final Map<String, String> properties)
    {
        context.putProperty("ringwal.dir", dir.toString());
        properties.forEach(context::putProperty);
        final JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        final URL url = LogbackContexts.class.getResource("/" + resource);
        try
        {
            configurator.doConfigure(url);
        }
        catch (final JoranException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    static RingwalAppender appender(final LoggerContext context, final String name)
    {
        return (RingwalAppender)context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender(name);
    }

    static List<String> errors(final LoggerContext context)
    {
        return context.getStatusManager().getCopyOfStatusList().stream()
            .filter(status -> status.getLevel() == Status.ERROR)
            .map(status -> status.getMessage() + (status.getThrowable() != null ? " / " + status.getThrowable() : ""))
            .collect(Collectors.toList());
    }

    static long errorCount(final LoggerContext context, final String fragment)
    {
        return errors(context).stream().filter(message -> message.contains(fragment)).count();
    }
}
