package io.ringwal.log4j2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.ringwal.logging.LogJournal;
import io.ringwal.logging.testing.JournalLines;

/**
 * The appender from real {@code log4j2.xml} files: many threads, async loggers, stop, reconfiguration, durable
 * mode, ring-full drop, long lines.
 */
class RingwalAppenderTest
{
    private static final int THREADS = 4;
    private static final int LINES = 20_000;

    @TempDir
    Path tmp;

    @Test
    void shouldWriteEveryLineOnceInEachThreadsOrderWhenManyThreadsLogThroughSynchronousLoggers() throws Exception
    {
        final Path dir = tmp.resolve("sync");
        final LoggerContext context = Log4jContexts.start("log4j2-ringwal.xml", dir, Map.of());
        try
        {
            logFromThreads(context.getLogger("app"), THREADS, LINES);
        }
        finally
        {
            context.stop();
        }
        assertThat(JournalLines.checkPerThreadOrder(JournalLines.read(dir)))
            .hasSize(THREADS).allSatisfy((thread, count) -> assertThat(count).isEqualTo(LINES));
    }

    @Test
    void shouldWriteEveryLineOnceInEachThreadsOrderWhenTheLayoutEncodesIntoAStagingBuffer() throws Exception
    {
        final Path dir = tmp.resolve("staged");
        final LoggerContext context = Log4jContexts.start("log4j2-ringwal.xml", dir,
            Map.of("ringwal.encodeInSlot", "false"));
        try
        {
            logFromThreads(context.getLogger("app"), THREADS, LINES);
            context.getLogger("app").info("x".repeat(5000));
        }
        finally
        {
            context.stop();
        }
        final List<String> lines = JournalLines.read(dir);
        assertThat(lines.remove(lines.size() - 1)).hasSize(1024);
        assertThat(JournalLines.checkPerThreadOrder(lines))
            .hasSize(THREADS).allSatisfy((thread, count) -> assertThat(count).isEqualTo(LINES));
    }

    /**
     * Behind {@code <AsyncRoot>} the appender is called by Log4j2's one background thread. Log4j2 2.26.1 on
     * Disruptor 4.0.0 loses events in its own ring before any appender sees them (here 4 x 20,000 lines lost
     * 15-75 % per run, the peers comparison found the same with Log4j2's own file appenders), so this test checks
     * what the appender can promise there: every line Log4j2 handed over is in the journal exactly once, in each
     * thread's order.
     */
    @Test
    void shouldWriteEveryLineItIsGivenOnceInEachThreadsOrderBehindLog4jAsyncLoggers() throws Exception
    {
        final Path dir = tmp.resolve("async");
        final LoggerContext context = Log4jContexts.start("log4j2-ringwal-async.xml", dir, Map.of());
        final LogJournal journal = Log4jContexts.appender(context, "journal").journal();
        try
        {
            logFromThreads(context.getLogger("app"), THREADS, LINES);
        }
        finally
        {
            context.stop();
        }
        final List<String> lines = JournalLines.read(dir);
        assertThat(JournalLines.checkPerThreadIncreasing(lines)).isEqualTo(journal.writtenLines()).isPositive();
        assertThat(journal.droppedLines() + journal.failedLines() + journal.encodeErrors()).isZero();
    }

    @Test
    void shouldDrainAndForceEveryLineWhenTheContextStops()
    {
        final Path dir = tmp.resolve("stop");
        final LoggerContext context = Log4jContexts.start("log4j2-ringwal.xml", dir,
            Map.of("ringwal.forcePolicy", "bounded:1000ms:100000000"));
        final RingwalAppender appender = Log4jContexts.appender(context, "journal");
        final LogJournal journal = appender.journal();
        final Logger logger = context.getLogger("app");
        for (int i = 0; i < 50_000; i++)
        {
            logger.info("{}", i);
        }
        context.stop();
        assertThat(appender.isStopped()).isTrue();
        assertThat(journal.pipeline().isClosed()).isTrue();
        assertThat(journal.pipeline().durableSequence()).as("forced on stop").isEqualTo(49_999);
        assertThat(JournalLines.read(dir)).hasSize(50_000);
    }

    @Test
    void shouldNeitherLoseNorDuplicateALineWhenReconfiguredWhileThreadsLog() throws Exception
    {
        final Path dir = tmp.resolve("reconfigure");
        final LoggerContext context = Log4jContexts.start("log4j2-ringwal.xml", dir, Map.of());
        final RingwalAppender first = Log4jContexts.appender(context, "journal");
        try
        {
            final Logger logger = context.getLogger("app");
            final AtomicBoolean done = new AtomicBoolean();
            final Thread reconfigurer = new Thread(() ->
            {
                int round = 0;
                while (!done.get())
                {
                    System.setProperty("ringwal.dir", dir.toString());
                    context.setConfigLocation(Log4jContexts.uri(round++ % 2 == 0 ?
                        "log4j2-ringwal-reconfigured.xml" : "log4j2-ringwal.xml"));
                }
            });
            reconfigurer.start();
            logFromThreads(logger, 2, 100_000);
            done.set(true);
            reconfigurer.join();
            assertThat(Log4jContexts.appender(context, "journal")).isNotSameAs(first);
        }
        finally
        {
            context.stop();
        }
        assertThat(JournalLines.checkPerThreadOrder(JournalLines.read(dir)))
            .hasSize(2).allSatisfy((thread, count) -> assertThat(count).isEqualTo(100_000));
    }

    @Test
    void shouldReturnFromEachCallOnlyOnceItsLineIsDurableInDurableMode()
    {
        final Path dir = tmp.resolve("durable");
        final LoggerContext context = Log4jContexts.start("log4j2-ringwal.xml", dir,
            Map.of("ringwal.forcePolicy", "every-batch", "ringwal.durable", "true"));
        try
        {
            final LogJournal journal = Log4jContexts.appender(context, "journal").journal();
            final Logger logger = context.getLogger("app");
            for (int i = 0; i < 200; i++)
            {
                logger.info("{}", i);
                assertThat(journal.pipeline().durableSequence()).isGreaterThanOrEqualTo(i);
            }
            assertThat(journal.notDurableLines()).isZero();
        }
        finally
        {
            context.stop();
        }
        assertThat(JournalLines.read(dir)).hasSize(200);
    }

    @Test
    void shouldDropAndCountLinesWhenTheRingIsFullAndRingFullIsDrop() throws Exception
    {
        final Path dir = tmp.resolve("drop");
        final LoggerContext context = Log4jContexts.start("log4j2-ringwal.xml", dir,
            Map.of("ringwal.ringSize", "2", "ringwal.ringFull", "drop"));
        final LogJournal journal = Log4jContexts.appender(context, "journal").journal();
        try
        {
            logFromThreads(context.getLogger("app"), THREADS, LINES);
        }
        finally
        {
            context.stop();
        }
        final int written = JournalLines.checkPerThreadIncreasing(JournalLines.read(dir));
        assertThat(written + journal.droppedLines()).isEqualTo((long)THREADS * LINES);
        assertThat(journal.pipeline().counters().tryPublishRingFull()).isEqualTo(journal.droppedLines());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void shouldKeepWholeEveryLineLongerThanARingSlotUpToMaxLineSize(final boolean encodeInSlot)
    {
        final Path dir = tmp.resolve("slot-" + encodeInSlot);
        final LoggerContext context = Log4jContexts.start("log4j2-ringwal.xml", dir,
            Map.of("ringwal.encodeInSlot", Boolean.toString(encodeInSlot)));
        final LogJournal journal = Log4jContexts.appender(context, "journal").journal();
        final List<String> bodies = new ArrayList<>();
        try
        {
            final Logger logger = context.getLogger("app");
            final String thread = Thread.currentThread().getName();
            for (int length = 200; length <= 1024 - thread.length() - 2; length += 37)
            {
                bodies.add("l".repeat(length));
            }
            bodies.add("e".repeat(1024 - thread.length() - 2)); // exactly maxLineSize with "%t %m%n"
            bodies.forEach(logger::info);
        }
        finally
        {
            context.stop();
        }
        assertThat(journal.pipeline().slotSize()).as("slotSize from the XML").isEqualTo(256);
        assertThat(journal.pipeline().slotGrowths()).isPositive();
        assertThat(journal.truncatedLines()).isZero();
        JournalLines.checkBodies(JournalLines.read(dir), bodies);
    }

    @Test
    void shouldPreallocateEverySlotInFullWhenTheXmlSetsTheSlotSizeToTheLineSize()
    {
        final Path dir = tmp.resolve("full-slots");
        final LoggerContext context = Log4jContexts.start("log4j2-ringwal.xml", dir,
            Map.of("ringwal.slotSize", "1KiB"));
        final LogJournal journal = Log4jContexts.appender(context, "journal").journal();
        try
        {
            context.getLogger("app").info("x".repeat(900));
            assertThat(journal.pipeline().slotSize()).isEqualTo(1024);
            assertThat(journal.pipeline().slotGrowths()).isZero();
        }
        finally
        {
            context.stop();
        }
    }

    @Test
    void shouldCutALineLongerThanMaxLineSizeAndCountIt()
    {
        final Path dir = tmp.resolve("long");
        final LoggerContext context = Log4jContexts.start("log4j2-ringwal.xml", dir, Map.of());
        final LogJournal journal = Log4jContexts.appender(context, "journal").journal();
        try
        {
            final Logger logger = context.getLogger("app");
            logger.info("x".repeat(5000));
            logger.info("short");
        }
        finally
        {
            context.stop();
        }
        final List<String> lines = JournalLines.read(dir);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).hasSize(1024).endsWith("xxx");
        assertThat(lines.get(1)).endsWith(" short\n");
        assertThat(journal.truncatedLines()).isEqualTo(1);
    }

    static void logFromThreads(final Logger logger, final int threads, final int lines) throws InterruptedException
    {
        final List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++)
        {
            workers.add(new Thread(() ->
            {
                for (int i = 0; i < lines; i++)
                {
                    logger.info("{}", i);
                }
            }, "w" + t));
        }
        workers.forEach(Thread::start);
        for (final Thread worker : workers)
        {
            worker.join();
        }
    }
}
