package io.ringwal.peers;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;

/**
 * Logback from a plain {@code logback.xml}, layout {@code %m%n}: either its {@code AsyncAppender} (Logback's
 * defaults: a queue of 256 events, lines below WARN discarded once it is 80 % full, 1 s to drain on stop) in
 * front of a {@code FileAppender} with {@code immediateFlush=false}, or the {@code ringwal-logback} appender
 * behind synchronous loggers (force policy {@code never}). Each producer logs its payload as a new
 * {@code String}.
 */
public final class LogbackContender implements Contender
{
    private static final String FILE_NAME = "peers.log";

    private final String name;
    private final boolean ringwal;
    private Path output;
    private LoggerContext context;
    private Logger logger;

    /**
     * The contender.
     *
     * @param name    its name.
     * @param ringwal true for the ringwal appender, false for AsyncAppender + FileAppender.
     */
    public LogbackContender(final String name, final boolean ringwal)
    {
        this.name = name;
        this.ringwal = ringwal;
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public void open(final Path dir, final Workload workload) throws Exception
    {
        output = dir.resolve(ringwal ? "journal" : FILE_NAME).toAbsolutePath();
        final String appenders = ringwal ?
            "<appender name=\"out\" class=\"io.ringwal.logback.RingwalAppender\"><directory>" + output +
                "</directory><forcePolicy>never</forcePolicy><encoder><pattern>%m%n</pattern></encoder></appender>" :
            "<appender name=\"file\" class=\"ch.qos.logback.core.FileAppender\"><file>" + output + "</file>" +
                "<append>false</append><immediateFlush>false</immediateFlush>" +
                "<encoder><pattern>%m%n</pattern></encoder></appender>" +
                "<appender name=\"out\" class=\"ch.qos.logback.classic.AsyncAppender\">" +
                "<appender-ref ref=\"file\"/></appender>";
        final String xml = "<configuration>" + appenders +
            "<root level=\"INFO\"><appender-ref ref=\"out\"/></root></configuration>";
        context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        context.start();
        final JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        logger = context.getLogger("peers");
    }

    @Override
    public long publish(final int producer, final byte[] payload)
    {
        logger.info(new String(payload, StandardCharsets.ISO_8859_1));
        return 0;
    }

    @Override
    public Completion completion()
    {
        return Completion.UNKNOWN;
    }

    @Override
    public long completedTicket(final int producer)
    {
        return Long.MIN_VALUE;
    }

    @Override
    public void awaitAll()
    {
        context.stop();
    }

    @Override
    public void close()
    {
        context.stop();
    }

    @Override
    public VerifyResult readBackAndVerify(final Path dir, final Workload workload, final long[] published)
        throws Exception
    {
        return ringwal ? LogLineFiles.verifyJournal(output, workload, published) :
            LogLineFiles.verifyTextFile(output, workload, published);
    }
}
