package io.ringwal.logback;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

import ch.qos.logback.classic.LoggerContext;

import io.ringwal.logging.LogJournal;
import io.ringwal.logging.testing.JournalLines;
import io.ringwal.testing.Mounts;

/**
 * The appender from real {@code logback.xml} files: many threads, Logback's AsyncAppender, stop,
 * reconfiguration, durable mode, ring-full drop, long lines and the faults.
 */
class RingwalAppenderTest
{
    private static final int THREADS = 4;
    private static final int LINES = 20_000;

    @TempDir
    Path tmp;

    @Test
    void shouldWriteEveryLineOnceInEachThreadsOrderWhenManyThreadsLog() throws Exception
    {
        final Path dir = tmp.resolve("sync");
        final LoggerContext context = LogbackContexts.start("logback-ringwal.xml", dir, Map.of());
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
    void shouldWriteEveryLineOnceInEachThreadsOrderBehindLogbacksAsyncAppender() throws Exception
    {
        final Path dir = tmp.resolve("async");
        final LoggerContext context = LogbackContexts.start("logback-ringwal-async.xml", dir, Map.of());
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
    void shouldDrainAndForceEveryLineWhenTheContextStops()
    {
        final Path dir = tmp.resolve("stop");
        final LoggerContext context = LogbackContexts.start("logback-ringwal.xml", dir,
            Map.of("ringwal.forcePolicy", "bounded:1000ms:100000000"));
        final LogJournal journal = LogbackContexts.appender(context, "journal").journal();
        final Logger logger = context.getLogger("app");
        for (int i = 0; i < 50_000; i++)
        {
            logger.info("{}", i);
        }
        context.stop();
        assertThat(journal.pipeline().isClosed()).isTrue();
        assertThat(journal.pipeline().durableSequence()).as("forced on stop").isEqualTo(49_999);
        assertThat(JournalLines.read(dir)).hasSize(50_000);
    }

    @Test
    void shouldNeitherLoseNorDuplicateALineLoggedBeforeOrAfterAReconfiguration()
    {
        final Path dir = tmp.resolve("reconfigure");
        final LoggerContext context = LogbackContexts.start("logback-ringwal.xml", dir, Map.of());
        try
        {
            final Logger logger = context.getLogger("app");
            int next = 0;
            for (int round = 0; round < 5; round++)
            {
                for (int i = 0; i < 10_000; i++)
                {
                    logger.info("{}", next++);
                }
                context.reset();
                LogbackContexts.configure(context, "logback-ringwal.xml", dir, Map.of());
            }
        }
        finally
        {
            context.stop();
        }
        assertThat(JournalLines.checkPerThreadOrder(JournalLines.read(dir)))
            .hasSize(1).allSatisfy((thread, count) -> assertThat(count).isEqualTo(50_000));
    }

    @Test
    void shouldReturnFromEachCallOnlyOnceItsLineIsDurableInDurableMode()
    {
        final Path dir = tmp.resolve("durable");
        final LoggerContext context = LogbackContexts.start("logback-ringwal.xml", dir,
            Map.of("ringwal.forcePolicy", "every-batch", "ringwal.durable", "true"));
        try
        {
            final LogJournal journal = LogbackContexts.appender(context, "journal").journal();
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
        final LoggerContext context = LogbackContexts.start("logback-ringwal.xml", dir,
            Map.of("ringwal.ringSize", "2", "ringwal.ringFull", "drop"));
        final LogJournal journal = LogbackContexts.appender(context, "journal").journal();
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
    }

    @Test
    void shouldKeepWholeEveryLineLongerThanARingSlotUpToMaxLineSize()
    {
        final Path dir = tmp.resolve("slot");
        final LoggerContext context = LogbackContexts.start("logback-ringwal.xml", dir, Map.of());
        final LogJournal journal = LogbackContexts.appender(context, "journal").journal();
        final List<String> bodies = new ArrayList<>();
        try
        {
            final Logger logger = context.getLogger("app");
            for (int length = 200; length <= 900; length += 37)
            {
                bodies.add("l".repeat(length));
            }
            bodies.forEach(logger::info);
        }
        finally
        {
            context.stop();
        }
        assertThat(journal.pipeline().slotGrowths()).isPositive();
        assertThat(journal.truncatedLines()).isZero();
        JournalLines.checkBodies(JournalLines.read(dir), bodies);
    }

    @Test
    void shouldCutALineLongerThanMaxLineSizeAndCountIt()
    {
        final Path dir = tmp.resolve("long");
        final LoggerContext context = LogbackContexts.start("logback-ringwal.xml", dir, Map.of());
        final LogJournal journal = LogbackContexts.appender(context, "journal").journal();
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

    @Test
    void shouldRefuseASecondAppenderOnTheSameDirectoryWithTheLockError()
    {
        final Path dir = tmp.resolve("shared");
        final LoggerContext context = LogbackContexts.start("logback-ringwal-two-on-one-directory.xml", dir,
            Map.of());
        try
        {
            assertThat(LogbackContexts.appender(context, "first").isStarted()).isTrue();
            assertThat(LogbackContexts.appender(context, "second").isStarted()).isFalse();
            final Logger logger = context.getLogger("app");
            for (int i = 0; i < 10; i++)
            {
                logger.info("{}", i);
            }
            assertThat(LogbackContexts.errorCount(context, "is already written by appender 'first'")).isPositive();
        }
        finally
        {
            context.stop();
        }
        assertThat(JournalLines.read(dir)).hasSize(10).allSatisfy(line -> assertThat(line).startsWith("first "));
    }

    @Test
    void shouldNameTheBadPropertyAndNotStartTheAppender()
    {
        final LoggerContext context = LogbackContexts.start("logback-ringwal-bad-property.xml", tmp.resolve("bad"),
            Map.of());
        try
        {
            assertThat(LogbackContexts.appender(context, "journal").isStarted()).isFalse();
            context.getLogger("app").info("goes nowhere, throws nothing");
            assertThat(LogbackContexts.errorCount(context, "forcePolicy: force policy 'sometimes' is not one of"))
                .isPositive();
        }
        finally
        {
            context.stop();
        }
    }

    @Test
    void shouldReportAFullDiskOnceToTheStatusManagerAndCountEveryRefusedLineWithoutThrowing() throws Exception
    {
        Mounts.requireRoot("Logback appender disk-full test (loop-mounted ext4)");
        final Path image = tmp.resolve("disk.img");
        final Path mount = Files.createDirectory(tmp.resolve("mnt"));
        Mounts.mountExt4(image, 8L * 1024 * 1024, mount);
        try
        {
            final Path dir = mount.resolve("journal");
            final LoggerContext context = LogbackContexts.start("logback-ringwal.xml", dir,
                Map.of("ringwal.segmentSize", "256KiB", "ringwal.forcePolicy", "every-batch"));
            final LogJournal journal = LogbackContexts.appender(context, "journal").journal();
            final Logger logger = context.getLogger("app");
            final String body = "y".repeat(900);
            long slowest = 0;
            for (int i = 0; i < 200_000 && journal.failedLines() < 1000; i++)
            {
                final long start = System.nanoTime();
                logger.info("{} {}", i, body);
                slowest = Math.max(slowest, System.nanoTime() - start);
            }
            assertThat(journal.failure()).as("the 8 MiB disk never filled").isNotNull();
            assertThat(journal.failedLines()).isEqualTo(1000);
            assertThat(slowest).as("no call blocks").isLessThan(TimeUnit.SECONDS.toNanos(5));
            context.stop();
            final List<String> errors = LogbackContexts.errors(context);
            assertThat(LogbackContexts.errorCount(context, "failed, no line is written after this"))
                .as(errors.toString()).isEqualTo(1);
        }
        finally
        {
            Mounts.unmount(mount);
        }
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
