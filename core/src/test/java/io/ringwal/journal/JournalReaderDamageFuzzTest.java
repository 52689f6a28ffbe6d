package io.ringwal.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;

import io.ringwal.format.FrameDescriptor;
import io.ringwal.format.SegmentFileNames;
import io.ringwal.format.SegmentHeaderDescriptor;
import io.ringwal.testing.JournalFiles;
import io.ringwal.testing.QuietLogs;

/**
 * Generated damage for the reader: bit flips, zeroed ranges, truncation, damaged headers, a missing segment, a
 * segment of another journal, a garbage segment after the last, a stale temporary file, one to three per case,
 * in a journal closed cleanly (so everything below its close marker is finished). For every case, a
 * {@link JournalReader} replaying from sequence 0 and polling until a poll returns nothing, under a timeout:
 * <ul>
 *     <li>delivers only records byte-identical to the ones appended, with contiguous sequences from 0;</li>
 *     <li>either delivers every record, or throws a {@link JournalCorruptedException} naming a file of the journal
 *     and an offset (in its message too), or, when the first segment was deleted, says the records were deleted
 *     (a reader cannot tell that from retention);</li>
 *     <li>never returns fewer records without an exception, except when the damage destroyed the end itself (the
 *     last segment deleted, or its close marker zeroed together with what precedes it): then the journal looks
 *     like a live tail, and the reader must not claim a clean end.</li>
 * </ul>
 */
class JournalReaderDamageFuzzTest
{
    private static final int SEGMENT = 64 * 1024;
    private static final int RECORDS = 700;
    private static final long TIMEOUT_SECONDS = 20;
    private static final AtomicLong CASES = new AtomicLong();
    private static final AtomicLong INTACT = new AtomicLong();
    private static final AtomicLong REFUSED = new AtomicLong();
    private static final AtomicLong END_DESTROYED = new AtomicLong();

    private static final ExecutorService EXECUTOR = Executors.newSingleThreadExecutor(r ->
    {
        final Thread thread = new Thread(r, "reader-damage-fuzz");
        thread.setDaemon(true);
        return thread;
    });

    private static final class Base
    {
        static final Path DIR = build("ringwal-reader-fuzz-base", 0x3333L, 0);
        static final Path FOREIGN = build("ringwal-reader-fuzz-foreign", 0x4444L, 3);
    }

    static byte[] payload(final long sequence)
    {
        return JournalFiles.payload(sequence, 1 + (int)((sequence * 37) % 600));
    }

    private static Path build(final String prefix, final long journalId, final int lengthShift)
    {
        final Path dir = JournalFiles.fastTempDir(prefix);
        final QuietLogs quiet = QuietLogs.quiet();
        try (JournalWriter writer = JournalWriter.open(dir, JournalConfig.builder().segmentSize(SEGMENT)
            .newJournalId(journalId).build()))
        {
            for (int i = 0; i < RECORDS; i++)
            {
                final byte[] bytes = lengthShift == 0 ? payload(i) : JournalFiles.payload(i, 1 + i % 300 + lengthShift);
                writer.append(bytes, 0, bytes.length);
                if (i % 7 == 0)
                {
                    writer.endOfBatch();
                }
            }
        }
        finally
        {
            quiet.close();
        }
        return dir;
    }

    @AfterContainer
    static void report()
    {
        JournalFiles.deleteTree(Base.DIR);
        JournalFiles.deleteTree(Base.FOREIGN);
        System.out.printf("reader damage fuzz: %d cases (%d read whole, %d refused with JournalCorruptedException, " +
            "%d with the end destroyed), failures: 0%n", CASES.get(), INTACT.get(), REFUSED.get(), END_DESTROYED.get());
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.OFF)
    void shouldReadEveryRecordOrReportTheDamagedFile(@ForAll final long seed) throws Exception
    {
        runCase(seed);
    }

    @Property(tries = 10000, shrinking = ShrinkingMode.OFF)
    @Tag("slow")
    void shouldReadEveryRecordOrReportTheDamagedFileLong(@ForAll final long seed) throws Exception
    {
        runCase(seed);
    }

    /**
     * Runs the one case named by {@code -Dringwal.fuzz.seed=<seed>} (the seed a failure message quotes); skipped
     * when the property is not set.
     */
    @Example
    void shouldHoldForTheSeedGivenOnTheCommandLine() throws Exception
    {
        final String seed = System.getProperty("ringwal.fuzz.seed");
        Assume.that(seed != null && !seed.isBlank());
        runCase(Long.parseLong(seed.trim()));
    }

    /** What the mutations did, for the expected outcome. */
    private static final class Damage
    {
        boolean firstDeleted;
        boolean endDestroyed;
        /** Where the records of each segment ended before the first mutation of that file. */
        final Map<String, Integer> recordRegionEnds = new HashMap<>();
        final List<String> notes = new ArrayList<>();
    }

    /** What a replay from 0 saw. */
    private static final class Replay
    {
        long delivered;
        boolean cleanEnd;
        JournalException failure;
    }

    private static void runCase(final long seed) throws Exception
    {
        CASES.incrementAndGet();
        final Random random = new Random(seed);
        final Path dir = JournalFiles.fastTempDir("ringwal-reader-fuzz-case");
        final QuietLogs quiet = QuietLogs.quiet();
        try
        {
            JournalFiles.copyDir(Base.DIR, dir);
            final Damage damage = new Damage();
            final int mutations = 1 + random.nextInt(3);
            for (int i = 0; i < mutations; i++)
            {
                mutate(dir, random, damage);
            }
            check(dir, damage, "seed " + seed + " " + damage.notes);
        }
        finally
        {
            quiet.close();
            JournalFiles.deleteTree(dir);
        }
    }

    private static void mutate(final Path dir, final Random random, final Damage damage) throws IOException
    {
        final List<Path> segments = new ArrayList<>(JournalFiles.segments(dir));
        segments.removeIf(segment -> SegmentFileNames.baseSequence(segment) > RECORDS);
        if (segments.isEmpty())
        {
            return;
        }
        final int index = random.nextInt(segments.size());
        final Path file = segments.get(index);
        final boolean last = index == segments.size() - 1;
        final byte[] bytes = Files.readAllBytes(file);
        final String name = file.getFileName().toString();
        final int header = SegmentHeaderDescriptor.HEADER_LENGTH;
        // in the last segment, frames end with the close marker; what lies after it is not part of the journal. Where
        // the records end is taken from the file as it was before this case damaged it: an earlier zeroed length
        // would otherwise hide the close marker from the walk.
        final int end = last && bytes.length == SEGMENT ?
            damage.recordRegionEnds.computeIfAbsent(name, n -> JournalFiles.recordRegionEnd(bytes)) : bytes.length;
        switch (random.nextInt(10))
        {
            case 0, 1 -> // bit flip anywhere, the bytes after the close marker included
            {
                if (bytes.length == 0)
                {
                    return;
                }
                final int at = random.nextInt(bytes.length);
                bytes[at] ^= (byte)(1 << random.nextInt(8));
                Files.write(file, bytes);
                damage.notes.add("flip " + name + "@" + at);
            }
            case 2, 3 -> // zeroed range of frames: below the close marker in the last segment
            {
                if (end <= header)
                {
                    return;
                }
                final boolean atFrame = random.nextBoolean();
                int at = header + random.nextInt(end - header);
                if (atFrame)
                {
                    at = frameStartAtOrBefore(bytes, at);
                }
                final int length = Math.min(end - at, 1 + random.nextInt(random.nextBoolean() ? 64 : 8192));
                Arrays.fill(bytes, at, at + length, (byte)0);
                Files.write(file, bytes);
                damage.notes.add("zero " + name + "@" + at + "+" + length);
            }
            case 4 -> // zeroed range that may reach over the close marker and destroy the end itself
            {
                if (bytes.length <= header)
                {
                    return;
                }
                final int at = header + random.nextInt(bytes.length - header);
                final int length = Math.min(bytes.length - at, 1 + random.nextInt(8192));
                Arrays.fill(bytes, at, at + length, (byte)0);
                Files.write(file, bytes);
                damage.endDestroyed |= last && at + length > end && at <= end;
                damage.notes.add("zero-any " + name + "@" + at + "+" + length);
            }
            case 5 -> // truncation
            {
                final int length = random.nextInt(bytes.length + 1);
                Files.write(file, Arrays.copyOf(bytes, length));
                damage.notes.add("truncate " + name + " to " + length);
            }
            case 6 -> // damaged header
            {
                if (bytes.length == 0)
                {
                    return;
                }
                final int at = random.nextInt(Math.min(header, bytes.length));
                bytes[at] ^= (byte)(1 + random.nextInt(255));
                Files.write(file, bytes);
                damage.notes.add("header " + name + "@" + at);
            }
            case 7 -> // missing segment
            {
                Files.delete(file);
                damage.firstDeleted |= index == 0;
                damage.endDestroyed |= last;
                damage.notes.add("delete " + name);
            }
            case 8 -> // a segment of another journal, in place of one (not the first) or under its own name
            {
                final List<Path> foreign = JournalFiles.segments(Base.FOREIGN);
                final Path source = foreign.get(random.nextInt(foreign.size()));
                final Path target = random.nextBoolean() ? file : dir.resolve(source.getFileName());
                if (target.getFileName().toString().compareTo(segments.get(0).getFileName().toString()) <= 0)
                {
                    return;
                }
                Files.write(target, Files.readAllBytes(source));
                damage.notes.add("foreign " + source.getFileName() + " as " + target.getFileName());
            }
            default -> // a garbage segment after the last, or a stale temporary file
            {
                final byte[] garbage = new byte[random.nextBoolean() ? SEGMENT : 1 + random.nextInt(SEGMENT)];
                random.nextBytes(garbage);
                final long base = SegmentFileNames.baseSequence(segments.get(segments.size() - 1)) + RECORDS +
                    random.nextInt(100);
                final String garbageName = random.nextBoolean() ? SegmentFileNames.segmentFileName(base) :
                    "prepared-1-" + base + SegmentFileNames.TEMP_SUFFIX;
                Files.write(dir.resolve(garbageName), garbage);
                damage.notes.add("garbage " + garbageName);
            }
        }
    }

    /** The start of the frame that holds {@code at}, walking the chain from the first frame (or {@code at}). */
    private static int frameStartAtOrBefore(final byte[] segment, final int at)
    {
        final java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(segment).order(FrameDescriptor.BYTE_ORDER);
        int offset = SegmentHeaderDescriptor.HEADER_LENGTH;
        while (offset + FrameDescriptor.HEADER_LENGTH <= segment.length)
        {
            final int length = bytes.getInt(offset);
            if (length < FrameDescriptor.HEADER_LENGTH || length > segment.length - offset)
            {
                return at;
            }
            final int next = offset + FrameDescriptor.alignedLength(length);
            if (next > at)
            {
                return offset;
            }
            offset = next;
        }
        return at;
    }

    private static Replay replay(final Path dir, final String label)
    {
        final Replay replay = new Replay();
        try (JournalReader reader = JournalReader.open(dir, 0))
        {
            while (reader.poll((sequence, buffer, offset, length) ->
            {
                assertThat(sequence).as("contiguous sequences; %s", label).isEqualTo(replay.delivered);
                final byte[] bytes = new byte[length];
                buffer.getBytes(offset, bytes);
                assertThat(bytes).as("record %d byte-identical; %s", sequence, label).isEqualTo(payload(sequence));
                replay.delivered++;
            }, 256) > 0)
            {
                // drain
            }
            replay.cleanEnd = reader.atCleanEnd();
        }
        catch (final JournalException ex)
        {
            replay.failure = ex;
        }
        return replay;
    }

    private static void check(final Path dir, final Damage damage, final String label) throws Exception
    {
        final Future<Replay> future = EXECUTOR.submit(() -> replay(dir, label));
        final Replay replay;
        try
        {
            replay = future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        catch (final TimeoutException ex)
        {
            throw new AssertionError("the replay hung for " + TIMEOUT_SECONDS + " s; " + label);
        }
        catch (final ExecutionException ex)
        {
            throw new AssertionError("the replay threw an undocumented " + ex.getCause() + "; " + label,
                ex.getCause());
        }

        final JournalException failure = replay.failure;
        if (failure instanceof JournalCorruptedException corrupted)
        {
            REFUSED.incrementAndGet();
            Statistics.label("outcome").collect("refused");
            assertThat(corrupted.file()).as(label).isNotNull();
            assertThat(corrupted.file().toAbsolutePath().getParent()).as(label).isEqualTo(dir.toAbsolutePath());
            assertThat(corrupted.getMessage()).as(label).contains(corrupted.file().getFileName().toString())
                .contains("offset " + corrupted.offset());
            assertThat(corrupted.offset()).as(label).isBetween(0L, (long)SEGMENT);
            return;
        }
        if (failure != null)
        {
            assertThat(damage.firstDeleted).as("only a deleted first segment may fail other than as damage; " +
                "%s; %s", label, failure).isTrue();
            assertThat(failure.getMessage()).as(label).contains("no longer in");
            Statistics.label("outcome").collect("first segment deleted");
            return;
        }
        if (replay.delivered == RECORDS)
        {
            INTACT.incrementAndGet();
            Statistics.label("outcome").collect("every record");
            return;
        }
        assertThat(damage.endDestroyed).as("the reader returned %d of %d records without an exception; %s",
            replay.delivered, RECORDS, label).isTrue();
        assertThat(replay.cleanEnd).as("a clean end claimed after %d of %d records; %s", replay.delivered, RECORDS,
            label).isFalse();
        END_DESTROYED.incrementAndGet();
        Statistics.label("outcome").collect("end destroyed, looks live");
    }
}
