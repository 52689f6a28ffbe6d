package io.ringwal.peers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Log4j2 with synchronous loggers (ringwal's ring is the only asynchronous layer) into the {@code Ringwal}
 * appender of {@code ringwal-log4j2}, force policy {@code never}, layout {@code %m%n}, every other attribute at
 * its default (or, for {@code ringwal-log4j2-staged}, {@code encodeInSlot="false"}, and for
 * {@code ringwal-log4j2-full-slots}, {@code slotSize="8KiB"}: every slot preallocated to the default maximum line
 * size, so no slot grows); configured from a plain
 * {@code log4j2.xml}. Each producer logs its payload as a new {@code String}, as {@link Log4jContender} does.
 */
public final class RingwalLog4jContender implements Contender
{
    private final String name;
    private final boolean encodeInSlot;
    private final String slotSize;
    private Path journal;
    private Logger logger;

    /**
     * The contender.
     *
     * @param name         its name.
     * @param encodeInSlot the appender's {@code encodeInSlot} attribute.
     * @param slotSize     the appender's {@code slotSize} attribute, or null for its default.
     */
    public RingwalLog4jContender(final String name, final boolean encodeInSlot, final String slotSize)
    {
        this.name = name;
        this.encodeInSlot = encodeInSlot;
        this.slotSize = slotSize;
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public void open(final Path dir, final Workload workload) throws IOException
    {
        journal = dir.resolve("journal").toAbsolutePath();
        final Path config = dir.resolve("log4j2.xml");
        Files.writeString(config, "<Configuration status=\"warn\"><Appenders>" +
            "<Ringwal name=\"out\" directory=\"" + journal + "\" forcePolicy=\"never\" encodeInSlot=\"" +
            encodeInSlot + "\"" + (slotSize != null ? " slotSize=\"" + slotSize + "\"" : "") + ">" +
            "<PatternLayout pattern=\"%m%n\"/></Ringwal></Appenders>" +
            "<Loggers><Root level=\"info\" includeLocation=\"false\"><AppenderRef ref=\"out\"/></Root></Loggers>" +
            "</Configuration>\n");
        System.setProperty("log4j2.configurationFile", config.toUri().toString());
        System.setProperty("log4j2.enableThreadlocals", "true");
        System.setProperty("log4j2.enableDirectEncoders", "true");
        System.setProperty("log4j2.isWebapp", "false");
        logger = LogManager.getLogger("peers");
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
        LogManager.shutdown();
    }

    @Override
    public void close()
    {
        LogManager.shutdown();
    }

    @Override
    public VerifyResult readBackAndVerify(final Path dir, final Workload workload, final long[] published)
    {
        return LogLineFiles.verifyJournal(journal, workload, published);
    }
}
