package io.ringwal.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.format.SegmentFileNames;
import io.ringwal.testing.ChildJvm;
import io.ringwal.testing.LockContenderMain;

/**
 * The lock file: a refused open leaves no new lock file behind, a clean close removes the one it made, a lock
 * file left by a crashed writer stays, and deleting it never lets two writers in at once.
 */
class JournalLockFileTest
{
    @TempDir
    Path dir;

    static JournalConfig config()
    {
        return JournalConfig.builder().segmentSize(64 * 1024).build();
    }

    @Test
    void shouldLeaveNoNewLockFileWhenTheOpenIsRefused() throws Exception
    {
        try (JournalWriter writer = JournalWriter.open(dir, config()))
        {
            writer.append(new byte[8], 0, 8);
        }
        // a second segment full of garbage: recovery refuses the journal after the lock was taken
        final byte[] garbage = new byte[64 * 1024];
        java.util.Arrays.fill(garbage, (byte)0x55);
        Files.write(dir.resolve(SegmentFileNames.segmentFileName(1_000)), garbage);
        Files.deleteIfExists(dir.resolve(SegmentFileNames.LOCK_FILE_NAME));

        assertThatThrownBy(() -> JournalWriter.open(dir, config())).isInstanceOf(JournalCorruptedException.class);
        assertThat(dir.resolve(SegmentFileNames.LOCK_FILE_NAME)).as("no lock file left by the refused open")
            .doesNotExist();
    }

    @Test
    void shouldKeepTheHoldersLockFileWhenASecondWriterIsRefusedAndRemoveItAtClose() throws Exception
    {
        final Path lockFile = dir.resolve(SegmentFileNames.LOCK_FILE_NAME);
        try (JournalWriter writer = JournalWriter.open(dir, config()))
        {
            assertThatThrownBy(() -> JournalWriter.open(dir, config())).isInstanceOf(JournalLockedException.class);
            assertThat(lockFile).as("the holder's lock file").exists();
            writer.append(new byte[8], 0, 8);
        }
        assertThat(lockFile).as("removed by the writer that created it").doesNotExist();
        try (JournalWriter writer = JournalWriter.open(dir, config()))
        {
            assertThat(writer.nextSequence()).isEqualTo(1);
        }
    }

    @Test
    void shouldKeepALockFileLeftByAnEarlierWriter() throws Exception
    {
        final Path lockFile = Files.writeString(dir.resolve(SegmentFileNames.LOCK_FILE_NAME), "pid=1\n");
        try (JournalWriter writer = JournalWriter.open(dir, config()))
        {
            writer.append(new byte[8], 0, 8);
        }
        assertThat(lockFile).exists();
    }

    @Test
    void shouldNeverAdmitTwoWritersWhileOthersOpenAndCloseTheJournal() throws Exception
    {
        try (JournalWriter writer = JournalWriter.open(dir, config()))
        {
            writer.append(new byte[8], 0, 8);
        }
        final AtomicInteger holders = new AtomicInteger();
        final AtomicInteger opens = new AtomicInteger();
        final AtomicReference<Throwable> problem = new AtomicReference<>();
        final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_500);
        final List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 3; t++)
        {
            final Thread thread = new Thread(() ->
            {
                while (System.nanoTime() < end && problem.get() == null)
                {
                    try (JournalWriter writer = JournalWriter.open(dir, config()))
                    {
                        if (holders.incrementAndGet() != 1)
                        {
                            problem.set(new AssertionError("two writers hold the journal at once"));
                        }
                        opens.addAndGet(writer.isClosed() ? 0 : 1);
                        holders.decrementAndGet();
                    }
                    catch (final JournalLockedException expected)
                    {
                        Thread.onSpinWait();
                    }
                    catch (final Throwable ex)
                    {
                        problem.set(ex);
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        assertThat(problem.get()).isNull();
        assertThat(opens.get()).isPositive();
    }

    /**
     * Three processes of two threads each open and close the journal for 4 s, each holder marking its hold with an
     * exclusively created file. Exercises the in-process refusal (which must not touch the lock file: closing a
     * descriptor of it drops the process's POSIX lock) and the cross-process lock-file dance together; before the
     * in-process refusal came first, such a run admitted two writers at once about four times a second.
     */
    @Test
    void shouldNeverAdmitTwoWritersWhileThreadsOfSeveralProcessesOpenAndCloseTheJournal() throws Exception
    {
        try (JournalWriter writer = JournalWriter.open(dir, config()))
        {
            writer.append(new byte[8], 0, 8);
        }
        final List<ChildJvm> children = new ArrayList<>();
        try
        {
            for (int i = 0; i < 3; i++)
            {
                children.add(ChildJvm.start(LockContenderMain.class, List.of(), dir.toString(), "2", "4000"));
            }
            long opens = 0;
            for (final ChildJvm child : children)
            {
                assertThat(child.awaitExit(120, TimeUnit.SECONDS)).as(child.output()).isZero();
                final String result = child.awaitLine("RESULT", 10, TimeUnit.SECONDS);
                assertThat(child.output()).as("problems").doesNotContain("PROBLEM");
                assertThat(result).as(child.output()).contains(" twoHolders=0 ").endsWith(" failures=0");
                opens += Long.parseLong(result.replaceAll(".*opens=(\\d+) .*", "$1"));
            }
            assertThat(opens).as("writers that got the journal").isPositive();
        }
        finally
        {
            children.forEach(ChildJvm::close);
        }
    }
}
