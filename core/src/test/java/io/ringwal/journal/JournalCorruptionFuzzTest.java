package io.ringwal.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
import io.ringwal.tool.JournalVerifier;
import io.ringwal.tool.VerifyReport;

/**
 * Generated corruption: bit flips, zeroed ranges, truncation, garbage appended, damaged headers, a missing
 * segment, a segment from another journal, a stale temporary file, a garbage segment after the last, one to three
 * of them per case, anywhere in a closed four-segment journal. For every case, each under a timeout (never hang):
 * <ul>
 *     <li>{@link JournalVerifier#verify} and a strict {@link JournalWriter#open} return or throw only a
 *     {@link JournalException}; a {@link JournalCorruptedException} names a file of the journal and an offset
 *     inside it (or at its end);</li>
 *     <li>verify's {@code intact()} agrees with whether the strict open succeeds;</li>
 *     <li>when the open succeeds, every recovered record is byte-identical to the one appended with its
 *     sequence, sequences have no gap, nothing with a bad CRC is returned (the reader checks every CRC), and the
 *     next append gets last + 1;</li>
 *     <li>damage inside the acknowledged prefix (any segment but the last, or the last one's header) never opens
 *     with a record silently dropped: the open fails naming file and offset, or the damage did not matter
 *     (bytes no CRC covers, such as the body of a padding frame) and every record is there;</li>
 *     <li>damage only in the frames of the last segment, or a stale temporary file, is a torn tail: the open
 *     succeeds, cuts it and reports the cut when records were lost;</li>
 *     <li>records are lost without a reported cut only when the damage left no trace of them: the last segment
 *     holds nothing but zeros from where the first lost record's frame began (the image of a writer that
 *     stopped there; docs/FORMAT.md §3, "How to detect a torn tail");</li>
 *     <li>after a strict failure, the explicit repair ({@link RecoveryMode#TRUNCATE_AT_DAMAGE}) opens and keeps a
 *     byte-identical gap-free prefix.</li>
 * </ul>
 */
class JournalCorruptionFuzzTest
{
    private static final int SEGMENT = 64 * 1024;
    private static final int RECORDS = 700;
    private static final long TIMEOUT_SECONDS = 20;
    private static final AtomicLong CASES = new AtomicLong();
    private static final AtomicLong OPENED = new AtomicLong();
    private static final AtomicLong REFUSED = new AtomicLong();

    private static final ExecutorService EXECUTOR = Executors.newSingleThreadExecutor(r ->
    {
        final Thread thread = new Thread(r, "corruption-fuzz");
        thread.setDaemon(true);
        return thread;
    });

    private static final class Base
    {
        static final Path DIR = build("ringwal-fuzz-base", 0x1111L, 0);
        static final Path FOREIGN = build("ringwal-fuzz-foreign", 0x2222L, 3);
        /** Where each record's frame begins in {@link #DIR}: the segment's file name and the offset in it. */
        static final String[] FILE = new String[RECORDS];
        static final int[] OFFSET = new int[RECORDS];

        static
        {
            for (final Path segment : JournalFiles.segments(DIR))
            {
                final ByteBuffer bytes = ByteBuffer.wrap(JournalFiles.read(segment)).order(ByteOrder.LITTLE_ENDIAN);
                int offset = SegmentHeaderDescriptor.HEADER_LENGTH;
                while (offset + FrameDescriptor.HEADER_LENGTH <= bytes.capacity() && bytes.getInt(offset) != 0)
                {
                    final long sequence = bytes.getLong(offset + FrameDescriptor.SEQUENCE_OFFSET);
                    if (bytes.getShort(offset + FrameDescriptor.TYPE_OFFSET) == FrameDescriptor.TYPE_DATA)
                    {
                        FILE[(int)sequence] = segment.getFileName().toString();
                        OFFSET[(int)sequence] = offset;
                    }
                    offset += FrameDescriptor.alignedLength(bytes.getInt(offset));
                }
            }
        }
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
        System.out.printf("corruption fuzz: %d cases (%d opened, %d refused with JournalCorruptedException), " +
            "failures: 0%n", CASES.get(), OPENED.get(), REFUSED.get());
    }

    @Property(tries = 2000, shrinking = ShrinkingMode.OFF)
    void shouldNeverHangNorThrowUndocumentedNorReturnABadRecord(@ForAll final long seed) throws Exception
    {
        runCase(seed);
    }

    @Property(tries = 12000, shrinking = ShrinkingMode.OFF)
    @Tag("slow")
    void shouldNeverHangNorThrowUndocumentedNorReturnABadRecordLong(@ForAll final long seed) throws Exception
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

    /** Where mutations landed, for the expected outcome. */
    private static final class Damage
    {
        boolean prefix;
        boolean tailOnly = true;
        boolean deletedFirstOrLast;
        boolean tail;
        final List<String> notes = new ArrayList<>();
    }

    private static void runCase(final long seed) throws Exception
    {
        CASES.incrementAndGet();
        final Random random = new Random(seed);
        final Path dir = JournalFiles.fastTempDir("ringwal-fuzz-case");
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
            check(dir, damage, seed);
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
        segments.removeIf(segment -> segment.getFileName().toString().startsWith("9999"));
        if (segments.isEmpty())
        {
            return;
        }
        final int index = random.nextInt(segments.size());
        final Path file = segments.get(index);
        final boolean last = index == segments.size() - 1;
        final byte[] bytes = Files.readAllBytes(file);
        final int header = SegmentHeaderDescriptor.HEADER_LENGTH;
        final int kind = random.nextInt(10);
        final String fileName = file.getFileName().toString();
        switch (kind)
        {
            case 0, 1 -> // bit flip
            {
                if (bytes.length == 0)
                {
                    return;
                }
                final int at = random.nextInt(bytes.length);
                bytes[at] ^= (byte)(1 << random.nextInt(8));
                Files.write(file, bytes);
                note(damage, last, at < header, "flip " + fileName + "@" + at);
            }
            case 2 -> // zeroed range
            {
                if (bytes.length == 0)
                {
                    return;
                }
                final int at = random.nextInt(bytes.length);
                final int length = Math.min(bytes.length - at, 1 + random.nextInt(random.nextBoolean() ? 64 : 8192));
                Arrays.fill(bytes, at, at + length, (byte)0);
                Files.write(file, bytes);
                note(damage, last, at < header, "zero " + fileName + "@" + at + "+" + length);
            }
            case 3 -> // truncation
            {
                final int length = random.nextInt(bytes.length + 1);
                Files.write(file, Arrays.copyOf(bytes, length));
                note(damage, last, true, "truncate " + fileName + " to " + length);
            }
            case 4 -> // garbage appended
            {
                final byte[] garbage = new byte[1 + random.nextInt(5000)];
                random.nextBytes(garbage);
                final byte[] longer = Arrays.copyOf(bytes, bytes.length + garbage.length);
                System.arraycopy(garbage, 0, longer, bytes.length, garbage.length);
                Files.write(file, longer);
                note(damage, last, true, "append " + garbage.length + " to " + fileName);
            }
            case 5 -> // damaged header
            {
                final int at = random.nextInt(Math.min(header, bytes.length == 0 ? 1 : bytes.length));
                if (at < bytes.length)
                {
                    bytes[at] ^= (byte)(1 + random.nextInt(255));
                    Files.write(file, bytes);
                }
                note(damage, last, true, "header " + fileName + "@" + at);
            }
            case 6 -> // missing segment
            {
                Files.delete(file);
                damage.tailOnly = false;
                if (index == 0 || last)
                {
                    damage.deletedFirstOrLast = true;
                }
                else
                {
                    damage.prefix = true;
                }
                damage.notes.add("delete " + fileName);
            }
            case 7 -> // a segment from another journal, under this name or its own
            {
                // Never in place of the first segment: the first segment is what names the journal, so a journal
                // whose first segment is wholly another journal's cannot be told apart from that other journal.
                final List<Path> foreign = JournalFiles.segments(Base.FOREIGN);
                final Path source = foreign.get(random.nextInt(foreign.size()));
                final Path target = random.nextBoolean() ? file : dir.resolve(source.getFileName());
                if (target.getFileName().toString().compareTo(segments.get(0).getFileName().toString()) <= 0)
                {
                    return;
                }
                Files.write(target, Files.readAllBytes(source));
                damage.tailOnly = false;
                damage.prefix = true;
                damage.notes.add("foreign " + source.getFileName() + " as " + target.getFileName());
            }
            case 8 -> // a stale temporary file
            {
                final String temp = SegmentFileNames.segmentFileName(SegmentFileNames.baseSequence(file) +
                    1 + random.nextInt(1000)).replace(SegmentFileNames.SEGMENT_SUFFIX, SegmentFileNames.TEMP_SUFFIX);
                final byte[] content;
                if (random.nextBoolean())
                {
                    content = bytes;
                }
                else
                {
                    content = new byte[random.nextInt(4096)];
                    random.nextBytes(content);
                }
                Files.write(dir.resolve(temp), content);
                damage.notes.add("temp " + temp);
            }
            default -> // a garbage segment after the last
            {
                final long base = SegmentFileNames.baseSequence(segments.get(segments.size() - 1)) + RECORDS +
                    random.nextInt(100);
                // (an all-zero one is a segment created but never given a header: JournalDirectoryFaultTest)
                final byte[] garbage = new byte[random.nextBoolean() ? SEGMENT : 1 + random.nextInt(SEGMENT)];
                random.nextBytes(garbage);
                final String name = random.nextInt(8) == 0 ? "99999999999999999999.seg" :
                    SegmentFileNames.segmentFileName(base);
                Files.write(dir.resolve(name), garbage);
                damage.tailOnly = false;
                damage.notes.add("garbage segment " + base);
            }
        }
    }

    private static void note(final Damage damage, final boolean last, final boolean structural, final String what)
    {
        damage.notes.add(what);
        damage.tail |= last && !structural;
        if (!last || structural)
        {
            damage.tailOnly = false;
            damage.prefix = damage.prefix || !last || structural;
        }
    }

    private static <T> T guarded(final String what, final long seed, final Damage damage, final Task<T> task)
        throws Exception
    {
        final Future<T> future = EXECUTOR.submit(task::run);
        try
        {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        catch (final TimeoutException ex)
        {
            throw new AssertionError(what + " hung for " + TIMEOUT_SECONDS + " s; seed " + seed + " " +
                damage.notes);
        }
        catch (final ExecutionException ex)
        {
            final Throwable cause = ex.getCause();
            if (cause instanceof JournalException journal)
            {
                throw journal;
            }
            throw new AssertionError(what + " threw an undocumented " + cause + "; seed " + seed + " " +
                damage.notes, cause);
        }
    }

    /** A task that may throw. */
    private interface Task<T>
    {
        T run() throws Exception;
    }

    private static void check(final Path dir, final Damage damage, final long seed) throws Exception
    {
        final String label = "seed " + seed + " " + damage.notes;
        final List<Path> segmentsBefore = JournalFiles.segments(dir);
        final byte[] lastSegmentBefore = segmentsBefore.isEmpty() ? new byte[0] :
            JournalFiles.read(segmentsBefore.get(segmentsBefore.size() - 1));
        final String lastSegmentName = segmentsBefore.isEmpty() ? "" :
            segmentsBefore.get(segmentsBefore.size() - 1).getFileName().toString();
        VerifyReport verify = null;
        try
        {
            verify = guarded("verify", seed, damage, () -> JournalVerifier.verify(dir));
        }
        catch (final JournalException ex)
        {
            // a read error is not damage: the report could not be made (documented)
            Statistics.label("verify").collect(ex.getClass().getSimpleName());
        }
        final JournalConfig strict = JournalConfig.builder().segmentSize(SEGMENT).build();
        RecoveryReport report = null;
        JournalCorruptedException refused = null;
        try
        {
            report = guarded("strict open", seed, damage, () ->
            {
                try (JournalWriter writer = JournalWriter.open(dir, strict))
                {
                    final RecoveryReport opened = writer.recoveryReport();
                    // an empty journal continues at its first segment's base
                    final long next = opened.lastSequence() >= 0 ? opened.lastSequence() + 1 : writer.nextSequence();
                    assertThat(writer.nextSequence()).as(label).isEqualTo(next);
                    final byte[] bytes = payload(next);
                    assertThat(writer.append(bytes, 0, bytes.length)).as("next append gets last + 1; %s", label)
                        .isEqualTo(next);
                    writer.force();
                    return writer.recoveryReport();
                }
            });
        }
        catch (final JournalCorruptedException ex)
        {
            refused = ex;
        }
        catch (final JournalException ex)
        {
            Statistics.label("outcome").collect("other " + ex.getClass().getSimpleName());
            return;
        }

        if (verify != null)
        {
            assertThat(verify.intact()).as("verify intact agrees with the strict open; %s; %s; %s", label, verify,
                refused).isEqualTo(refused == null);
        }
        if (refused != null)
        {
            REFUSED.incrementAndGet();
            Statistics.label("outcome").collect("refused");
            assertThat(damage.tailOnly).as("damage only in the last segment's frames is a torn tail, not a " +
                "refusal; %s; %s", label, refused).isFalse();
            assertThat(refused.file()).as(label).isNotNull();
            assertThat(refused.file().toAbsolutePath().getParent()).as(label).isEqualTo(dir.toAbsolutePath());
            assertThat(refused.getMessage()).as(label).contains(refused.file().getFileName().toString())
                .contains("offset " + refused.offset());
            assertThat(refused.offset()).as(label).isGreaterThanOrEqualTo(0);
            if (Files.exists(refused.file()))
            {
                assertThat(refused.offset()).as(label).isLessThanOrEqualTo(Math.max(Files.size(refused.file()),
                    SEGMENT));
            }
            final RecoveryReport repaired;
            try
            {
                repaired = guarded("repair open", seed, damage, () ->
                {
                    try (JournalWriter writer = JournalWriter.open(dir, JournalConfig.builder().segmentSize(SEGMENT)
                        .recoveryMode(RecoveryMode.TRUNCATE_AT_DAMAGE).build()))
                    {
                        return writer.recoveryReport();
                    }
                });
            }
            catch (final JournalException ex)
            {
                throw new AssertionError("the explicit repair failed; " + label + "; strict said: " + refused, ex);
            }
            if (repaired.lastSequence() >= 0)
            {
                checkRecords(dir, repaired.firstSequence(), repaired.lastSequence(), label + " after repair");
            }
            return;
        }
        OPENED.incrementAndGet();
        Statistics.label("outcome").collect(report.tornTailCut() ? "opened, tail cut" : "opened");
        final long last = report.lastSequence();
        if (damage.prefix && !damage.deletedFirstOrLast && !damage.tail)
        {
            assertThat(last).as("damage in the acknowledged prefix opened with records dropped; %s; %s", label,
                report).isGreaterThanOrEqualTo(RECORDS - 1);
        }
        if (last < RECORDS - 1 && !damage.deletedFirstOrLast && !report.tornTailCut())
        {
            // a last segment that is all zeros from a frame boundary on is byte for byte the image of a writer
            // that stopped there: nothing is left to cut or to report
            final int lostAt = Base.OFFSET[(int)last + 1];
            assertThat(Base.FILE[(int)last + 1].equals(lastSegmentName) &&
                onlyZerosFrom(lastSegmentBefore, lostAt))
                .as("records were lost without a reported cut, though the damage left bytes after the start of " +
                "record %d (%s offset %d); %s; %s", last + 1, Base.FILE[(int)last + 1], lostAt, label, report)
                .isTrue();
        }
        // the strict open appended record last + 1 itself
        if (last >= 0)
        {
            checkRecords(dir, report.firstSequence(), last + 1, label);
        }
    }

    private static boolean onlyZerosFrom(final byte[] bytes, final int from)
    {
        for (int i = from; i < bytes.length; i++)
        {
            if (bytes[i] != 0)
            {
                return false;
            }
        }
        return true;
    }

    private static void checkRecords(final Path dir, final long first, final long last, final String label)
    {
        final long[] expected = {first};
        try (JournalReader reader = JournalReader.open(dir, first))
        {
            while (reader.poll((sequence, buffer, offset, length) ->
            {
                assertThat(sequence).as("no gap; %s", label).isEqualTo(expected[0]);
                final byte[] bytes = new byte[length];
                buffer.getBytes(offset, bytes);
                assertThat(bytes).as("record %d byte-identical; %s", sequence, label).isEqualTo(payload(sequence));
                expected[0]++;
            }, 1024) > 0)
            {
                // drain
            }
        }
        catch (final UncheckedIOException ex)
        {
            throw new AssertionError(label, ex);
        }
        assertThat(expected[0] - 1).as("reader sees every recovered record; %s", label).isEqualTo(last);
        assertThat(last).as(label).isLessThanOrEqualTo(RECORDS);
    }
}
