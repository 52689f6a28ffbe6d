package io.ringwal.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.format.FrameDescriptor;
import io.ringwal.format.SegmentFileNames;
import io.ringwal.format.SegmentHeaderDescriptor;

import static org.assertj.core.api.Assertions.assertThat;

class InspectCommandsTest
{
    @TempDir
    Path tmp;

    @Test
    void shouldReportIntactJournalWhenVerifyingCleanJournal()
    {
        final Path dir = tmp.resolve("journal");
        Journals.write(dir, 1000, 200);

        final CliRun run = CliRun.run("verify", dir.toString());

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.out()).contains("records     1,000, sequences 0 .. 999").contains("torn tail   none")
            .contains("result      INTACT").containsPattern("segments    [4-9] \\(");
    }

    @Test
    void shouldNameFileAndOffsetAndExitOneWhenOlderSegmentIsDamaged() throws IOException
    {
        final Path dir = tmp.resolve("journal");
        Journals.write(dir, 1000, 200);
        final Path first = dir.resolve(SegmentFileNames.segmentFileName(0));
        final long frameOffset = SegmentHeaderDescriptor.HEADER_LENGTH;
        flipByte(first, frameOffset + FrameDescriptor.HEADER_LENGTH + 3);
        final byte[] before = Files.readAllBytes(first);

        final CliRun run = CliRun.run("verify", dir.toString());

        assertThat(run.exitCode).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains("result      DAMAGED at " + first + " byte offset " + frameOffset + ": ");
        assertThat(Files.readAllBytes(first)).as("verify changes nothing").isEqualTo(before);
    }

    @Test
    void shouldReportTornTailAndExitZeroWhenOnlyLastSegmentTailIsTorn() throws IOException
    {
        final Path dir = tmp.resolve("journal");
        Journals.write(dir, 10, 100);
        final Path only = dir.resolve(SegmentFileNames.segmentFileName(0));
        // a writer that crashed leaves no close marker: after one, the bytes that follow are not a tail
        eraseCloseMarker(only);
        flipByte(only, Journals.SEGMENT_SIZE - 100);

        final CliRun run = CliRun.run("verify", dir.toString());

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.out()).contains("torn tail   " + only + " at byte offset ").contains("result      INTACT");
    }

    @Test
    void shouldCountSeekIndexFilesAndPrintWarningsButExitZeroWhenOnlyAnIndexIsWrong() throws IOException
    {
        final Path dir = tmp.resolve("journal");
        Journals.write(dir, 600, 1000, 256 * 1024);

        final CliRun clean = CliRun.run("verify", dir.toString());

        assertThat(clean.exitCode).as(clean.toString()).isZero();
        assertThat(clean.out()).contains("seek index  3 files checked, all valid\n").doesNotContain("warning")
            .contains("result      INTACT\n");

        final Path index = SegmentFileNames.indexFileOf(dir.resolve(SegmentFileNames.segmentFileName(0)));
        final Path orphan = dir.resolve("00000000000000009999" + SegmentFileNames.INDEX_SUFFIX);
        Files.copy(index, orphan);
        flipByte(index, 30);

        final CliRun run = CliRun.run("verify", dir.toString());

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.out()).contains("seek index  4 files checked, 2 warnings (not damage: readers walk the " +
            "frames instead)\n" +
            "warning     " + index + ": not a valid index of 00000000000000000000.seg, readers ignore it: CRC " +
            "mismatch").contains("\nwarning     " + orphan + ": its segment 00000000000000009999.seg does not " +
            "exist; recovery deletes this file on the next open\n")
            .contains("result      INTACT (with the seek index warnings above)");
        assertThat(orphan).as("verify deletes nothing").exists();
    }

    @Test
    void shouldSayPlainlyWhenDirectoryIsNotAJournal() throws IOException
    {
        final Path empty = Files.createDirectories(tmp.resolve("empty"));
        for (final String command : List.of("verify", "dump", "tail"))
        {
            final CliRun notJournal = CliRun.run(command, empty.toString());
            assertThat(notJournal.exitCode).as(notJournal.toString()).isEqualTo(2);
            assertThat(notJournal.errLines()).singleElement().asString().contains("is not a journal directory");

            final CliRun missing = CliRun.run(command, tmp.resolve("missing").toString());
            assertThat(missing.exitCode).as(missing.toString()).isEqualTo(2);
            assertThat(missing.errLines()).singleElement().asString().contains("no such directory");
        }
    }

    @Test
    void shouldPrintRecordsInEachFormatWhenDumping()
    {
        final Path dir = tmp.resolve("journal");
        Journals.write(dir, 300, 0);

        final CliRun text = CliRun.run("dump", dir.toString(), "--from", "5", "--limit", "3");
        assertThat(text.exitCode).as(text.toString()).isZero();
        assertThat(text.out().lines()).containsExactly("5 8 record-5", "6 8 record-6", "7 8 record-7");
        assertThat(text.err()).contains("3 records from 5, next sequence 8, stopped: --limit reached");

        final CliRun all = CliRun.run("dump", dir.toString());
        assertThat(all.out().lines()).hasSize(300);
        assertThat(all.err()).contains("stopped: end of journal");

        final CliRun hex = CliRun.run("dump", dir.toString(), "--limit", "1", "--format", "hex");
        assertThat(hex.out().lines()).containsExactly("# sequence 0 length 8",
            "00000000  72 65 63 6f 72 64 2d 30                           |record-0|");

        final CliRun json = CliRun.run("dump", dir.toString(), "--from", "298", "--format", "json");
        final List<String> lines = json.out().lines().collect(Collectors.toList());
        assertThat(lines).hasSize(2);
        final Map<?, ?> last = (Map<?, ?>)MiniJson.parse(lines.get(1));
        assertThat(last.get("sequence")).isEqualTo(299.0);
        assertThat(last.get("length")).isEqualTo(10.0);
        assertThat(new String(Base64.getDecoder().decode((String)last.get("payload")), StandardCharsets.US_ASCII))
            .isEqualTo("record-299");
    }

    @Test
    void shouldSayBeyondTheEndAndExitZeroWhenDumpingFromPastTheLastRecord() throws IOException
    {
        final Path dir = tmp.resolve("journal");
        Journals.write(dir, 300, 0);

        for (final String from : List.of("300", "1000"))
        {
            final CliRun run = CliRun.run("dump", dir.toString(), "--from", from);

            assertThat(run.exitCode).as(run.toString()).isZero();
            assertThat(run.out()).isEmpty();
            assertThat(run.errLines()).containsExactly("ringwal dump: --from " + from +
                " is beyond the end: last sequence is 299");
        }
        final CliRun last = CliRun.run("dump", dir.toString(), "--from", "299");
        assertThat(last.out().lines()).containsExactly("299 10 record-299");

        final Path empty = tmp.resolve("empty");
        Journals.write(empty, 0, 0);
        final CliRun none = CliRun.run("dump", empty.toString(), "--from", "0");
        assertThat(none.exitCode).as(none.toString()).isZero();
        assertThat(none.errLines()).containsExactly("ringwal dump: --from 0 is beyond the end: the journal holds " +
            "no records yet (next sequence 0)");
    }

    @Test
    void shouldExitOneNamingOffsetWhenDumpReachesDamage() throws IOException
    {
        final Path dir = tmp.resolve("journal");
        Journals.write(dir, 1000, 200);
        flipByte(dir.resolve(SegmentFileNames.segmentFileName(0)),
            SegmentHeaderDescriptor.HEADER_LENGTH + FrameDescriptor.HEADER_LENGTH + 3);

        final CliRun run = CliRun.run("dump", dir.toString());

        assertThat(run.exitCode).as(run.toString()).isEqualTo(1);
        assertThat(run.errLines()).singleElement().asString().contains("0 records printed, then:")
            .contains("offset " + SegmentHeaderDescriptor.HEADER_LENGTH);
    }

    @Test
    void shouldFollowRecordsAcrossRotationsUntilInterruptedWhenTailing() throws Exception
    {
        final Path dir = tmp.resolve("journal");
        Journals.write(dir, 5, 0);
        final CliRun.Running tail = new CliRun.Running("tail", dir.toString(), "--from", "3", "--idle-park", "200");
        try (io.ringwal.journal.JournalWriter writer = io.ringwal.journal.JournalWriter.open(dir, Journals.config()))
        {
            final byte[] filler = new byte[1000];
            for (int i = 5; i < 400; i++)
            {
                final byte[] text = Journals.payload(i);
                System.arraycopy(text, 0, filler, 0, text.length);
                writer.append(filler, 0, text.length + (i % 3 == 0 ? 900 : 0));
                writer.endOfBatch();
                if (i % 50 == 0)
                {
                    Thread.sleep(5);
                }
            }
            assertThat(writer.counters().rotations()).as("rotations").isGreaterThanOrEqualTo(2);
        }
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (!tail.out.toString().contains("\n399 ") && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
        }
        assertThat(tail.thread.isAlive()).as("still following").isTrue();
        tail.thread.interrupt();
        tail.thread.join(5000);

        assertThat(tail.thread.isAlive()).isFalse();
        assertThat(tail.exitCode).as(tail.err.toString()).isZero();
        final List<String> lines = tail.out.toString().lines().collect(Collectors.toList());
        assertThat(lines).hasSize(397);
        for (int i = 0; i < lines.size(); i++)
        {
            assertThat(lines.get(i)).startsWith((i + 3) + " ").contains("record-" + (i + 3));
        }
        assertThat(tail.err.toString()).contains("397 records printed, next sequence 400, stopped: interrupted");
    }

    @Test
    void shouldStartAtTheEndAndStopAtLimitWhenTailingWithoutFrom() throws Exception
    {
        final Path dir = tmp.resolve("journal");
        Journals.write(dir, 50, 0);
        final CliRun.Running tail = new CliRun.Running("tail", dir.toString(), "--limit", "2", "--format", "json");
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (!tail.err.toString().contains("following") && System.nanoTime() < deadline)
        {
            Thread.sleep(5);
        }
        try (io.ringwal.journal.JournalWriter writer = io.ringwal.journal.JournalWriter.open(dir, Journals.config()))
        {
            for (int i = 50; i < 55; i++)
            {
                final byte[] text = Journals.payload(i);
                writer.append(text, 0, text.length);
            }
            writer.endOfBatch();
        }
        tail.thread.join(10_000);

        assertThat(tail.exitCode).as(tail.err.toString()).isZero();
        final List<Object> sequences = tail.out.toString().lines()
            .map(line -> ((Map<?, ?>)MiniJson.parse(line)).get("sequence")).collect(Collectors.toList());
        assertThat(sequences).containsExactly(50.0, 51.0);
        assertThat(tail.err.toString()).contains("from sequence 50").contains("stopped: --limit reached");
    }

    @Test
    void shouldPrintOneLineAndExitTwoWhenArgumentsAreBad() throws IOException
    {
        final Path dir = tmp.resolve("journal");
        Journals.write(dir, 10, 0);
        final String d = dir.toString();
        final List<String[]> cases = List.of(
            new String[] {"verify"},
            new String[] {"verify", d, "extra"},
            new String[] {"dump", d, "--format", "xml"},
            new String[] {"dump", d, "--limit", "-1"},
            new String[] {"tail", d, "--from", "-5"},
            new String[] {"no-such-command"});
        for (final String[] args : cases)
        {
            final CliRun run = CliRun.run(args);
            assertThat(run.exitCode).as(String.join(" ", args) + "\n" + run).isEqualTo(2);
            assertThat(run.errLines()).as(String.join(" ", args) + "\n" + run).hasSize(1);
            assertThat(run.out()).as(String.join(" ", args)).isEmpty();
        }
    }

    @Test
    void shouldShowExamplesWhenAskedForHelp()
    {
        for (final String command : List.of("verify", "dump", "tail"))
        {
            final CliRun run = CliRun.run(command, "--help");
            assertThat(run.exitCode).isZero();
            assertThat(run.out()).contains("Usage: ringwal " + command).contains("Examples:")
                .contains("Exit codes:");
        }
        assertThat(Stream.of("verify", "dump", "tail")).allSatisfy(
            name -> assertThat(CliRun.run("--help").out()).contains(name));
    }

    /** Flips bits of one byte of a file in place. */
    static void flipByte(final Path file, final long offset) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, offset);
            one.put(0, (byte)(one.get(0) ^ 0x5A));
            one.rewind();
            channel.write(one, offset);
        }
    }

    private static void eraseCloseMarker(final Path segment) throws IOException
    {
        final byte[] bytes = Files.readAllBytes(segment);
        final ByteBuffer frames = ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int offset = io.ringwal.format.SegmentHeaderDescriptor.HEADER_LENGTH;
        while (frames.getInt(offset) != 0)
        {
            final int length = frames.getInt(offset);
            if (frames.getShort(offset + io.ringwal.format.FrameDescriptor.TYPE_OFFSET) ==
                io.ringwal.format.FrameDescriptor.TYPE_CLOSE)
            {
                java.util.Arrays.fill(bytes, offset, offset + length, (byte)0);
                Files.write(segment, bytes);
                return;
            }
            offset += io.ringwal.format.FrameDescriptor.alignedLength(length);
        }
        throw new AssertionError("no close marker in " + segment);
    }
}
