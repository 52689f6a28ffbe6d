package io.ringwal.logback;

import java.nio.file.Path;
import java.util.Map;

import org.slf4j.Logger;

import ch.qos.logback.classic.LoggerContext;

import io.ringwal.logging.LogJournal;
import io.ringwal.logging.testing.KillNine;

/**
 * The child JVM of {@link RingwalAppenderKillNineTest}: logs at full speed through {@code logback-ringwal.xml}
 * from 4 threads until killed. System properties {@code ringwal.forcePolicy} and {@code ringwal.durable}
 * configure the appender.
 */
public final class KillNineLogbackMain
{
    private KillNineLogbackMain()
    {
    }

    /**
     * Runs the child.
     *
     * @param args the journal directory.
     * @throws Exception never in practice.
     */
    public static void main(final String[] args) throws Exception
    {
        final LoggerContext context = LogbackContexts.start("logback-ringwal.xml", Path.of(args[0]), Map.of(
            "ringwal.forcePolicy", System.getProperty("ringwal.forcePolicy", "never"),
            "ringwal.durable", System.getProperty("ringwal.durable", "false")));
        final LogJournal journal = LogbackContexts.appender(context, "journal").journal();
        final Logger logger = context.getLogger("app");
        KillNine.childMain(4, journal.config().durable(), i -> logger.info("{}", i),
            () -> journal.pipeline().writtenSequence() + 1);
    }
}
