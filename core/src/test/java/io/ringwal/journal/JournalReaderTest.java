package io.ringwal.journal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.agrona.DirectBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.format.FrameDescriptor;
import io.ringwal.format.SegmentFileNames;
import io.ringwal.format.SegmentHeaderDescriptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JournalReaderTest
{
    @TempDir
    Path dir;

    private final List<JournalReader> readers = new ArrayList<>();
    private final Collector collector = new Collector();

    @AfterEach
    void closeReaders()
    {
        readers.forEach(JournalReader::close);
    }

    @Test
    void shouldReadFromZeroAcrossSegmentsWithPaddingAndExactFitEndings()
    {
        // segment 0: 3 records then a padding frame; segment 3: records ending 16 bytes short of the end (no
        // padding frame); segment 5: records ending exactly at the end; segment 7: the active one.
        SegmentFixture.segment(0).records(3, "r").padding().writeTo(dir);
        SegmentFixture.segment(3).previous(0).data("r3").dataLeaving(16).writeTo(dir);
        SegmentFixture.segment(5).previous(3).data("r5").dataLeaving(0).writeTo(dir);
        SegmentFixture.segment(7).previous(5).records(2, "r").writeTo(dir);

        final JournalReader reader = open(0);
        assertThat(reader.nextSequence()).isEqualTo(0);

        assertThat(reader.poll(collector, 100)).isEqualTo(9);
        assertThat(collector.sequences).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
        assertThat(collector.payloads.get(0)).isEqualTo("r0");
        assertThat(collector.payloads.get(2)).isEqualTo("r2");
        assertThat(collector.payloads.get(3)).isEqualTo("r3");
        assertThat(collector.payloads.get(5)).isEqualTo("r5");
        assertThat(collector.payloads.get(8)).isEqualTo("r8");
        assertThat(collector.lengths.get(4)).isEqualTo(
            SegmentFixture.SIZE - SegmentHeaderDescriptor.HEADER_LENGTH - 8 - FrameDescriptor.HEADER_LENGTH - 16 -
            FrameDescriptor.HEADER_LENGTH);
        assertThat(reader.nextSequence()).isEqualTo(9);

        assertThat(reader.poll(collector, 100)).isZero();
        assertThat(reader.nextSequence()).isEqualTo(9);
    }

    @Test
    void shouldDeliverAtMostLimitRecords()
    {
        SegmentFixture.segment(0).records(5, "r").writeTo(dir);
        final JournalReader reader = open(0);

        assertThat(reader.poll(collector, 2)).isEqualTo(2);
        assertThat(reader.nextSequence()).isEqualTo(2);
        assertThat(reader.poll(collector, 0)).isZero();
        assertThat(reader.poll(collector, 10)).isEqualTo(3);
        assertThat(collector.sequences).containsExactly(0L, 1L, 2L, 3L, 4L);
    }

    @Test
    void shouldSeekIntoTheMiddleOfASegment()
    {
        SegmentFixture.segment(0).records(3, "r").padding().writeTo(dir);
        SegmentFixture.segment(3).previous(0).records(10, "r").writeTo(dir);

        final JournalReader reader = open(7);
        assertThat(reader.nextSequence()).isEqualTo(7);
        assertThat(reader.poll(collector, 100)).isEqualTo(6);
        assertThat(collector.sequences).containsExactly(7L, 8L, 9L, 10L, 11L, 12L);
        assertThat(collector.payloads.get(0)).isEqualTo("r7");
    }

    @Test
    void shouldSeekToASegmentBaseAndToTheMiddleOfTheFirstSegment()
    {
        SegmentFixture.segment(0).records(3, "r").padding().writeTo(dir);
        SegmentFixture.segment(3).previous(0).records(2, "r").writeTo(dir);

        final JournalReader atBase = open(3);
        assertThat(atBase.poll(collector, 100)).isEqualTo(2);
        assertThat(collector.sequences).containsExactly(3L, 4L);

        final Collector second = new Collector();
        final JournalReader inFirst = open(1);
        assertThat(inFirst.poll(second, 100)).isEqualTo(4);
        assertThat(second.sequences).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void shouldRejectASequenceBelowTheFirstSegment()
    {
        SegmentFixture.segment(10).previous(0).records(3, "r").writeTo(dir);

        assertThatThrownBy(() -> JournalReader.open(dir, 4))
            .isInstanceOf(JournalException.class)
            .hasMessageContaining("first available sequence is 10")
            .hasMessageContaining(dir.toString());
        assertThat(ReaderRegistry.lowestSegmentBase(ReaderRegistry.key(dir))).isEqualTo(ReaderRegistry.NO_READER);
    }

    @Test
    void shouldRejectANegativeSequence()
    {
        SegmentFixture.segment(0).writeTo(dir);

        assertThatThrownBy(() -> JournalReader.open(dir, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRejectAMissingDirectoryOrOneWithoutSegments() throws Exception
    {
        final Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> JournalReader.open(missing, 0))
            .isInstanceOf(JournalException.class)
            .hasMessageContaining("does not exist")
            .hasMessageContaining(missing.toString());

        Files.writeString(dir.resolve("notes.txt"), "hello");
        SegmentFixture.segment(0).writeTo(dir, SegmentFileNames.segmentFileName(0) + ".tmp");
        assertThatThrownBy(() -> JournalReader.open(dir, 0))
            .isInstanceOf(JournalException.class)
            .hasMessageContaining("no segment files")
            .hasMessageContaining(dir.toString());
    }

    @Test
    void shouldTailRecordsAppendedThroughASharedMapping()
    {
        final SegmentFixture segment = SegmentFixture.segment(0).records(3, "r");
        final Path file = segment.writeTo(dir);

        final JournalReader reader = open(3);
        assertThat(reader.poll(collector, 100)).isZero();

        int offset = SegmentFixture.appendLive(file, segment.offset(), 3, bytes("live3"));
        assertThat(reader.poll(collector, 100)).isEqualTo(1);
        assertThat(collector.sequences).containsExactly(3L);
        assertThat(collector.payloads).containsExactly("live3");
        assertThat(reader.poll(collector, 100)).isZero();

        offset = SegmentFixture.appendLive(file, offset, 4, bytes("live4"));
        SegmentFixture.appendLive(file, offset, 5, bytes("live5"));
        assertThat(reader.poll(collector, 100)).isEqualTo(2);
        assertThat(collector.payloads).containsExactly("live3", "live4", "live5");
    }

    @Test
    void shouldWaitBeyondTheEndAndSkipRecordsBeforeTheRequestedSequence()
    {
        final SegmentFixture segment = SegmentFixture.segment(0).records(3, "r");
        final Path file = segment.writeTo(dir);

        final JournalReader reader = open(5);
        assertThat(reader.nextSequence()).isEqualTo(5);
        assertThat(reader.poll(collector, 100)).isZero();

        int offset = SegmentFixture.appendLive(file, segment.offset(), 3, bytes("live3"));
        offset = SegmentFixture.appendLive(file, offset, 4, bytes("live4"));
        assertThat(reader.poll(collector, 100)).isZero();
        assertThat(reader.nextSequence()).isEqualTo(5);

        SegmentFixture.appendLive(file, offset, 5, bytes("live5"));
        assertThat(reader.poll(collector, 100)).isEqualTo(1);
        assertThat(collector.sequences).containsExactly(5L);
        assertThat(collector.payloads).containsExactly("live5");
        assertThat(reader.nextSequence()).isEqualTo(6);
    }

    @Test
    void shouldWaitBeyondTheEndAcrossASegmentThatAppearsLater()
    {
        SegmentFixture.segment(0).records(3, "r").padding().writeTo(dir);

        final JournalReader reader = open(5);
        assertThat(reader.poll(collector, 100)).isZero();

        SegmentFixture.segment(3).previous(0).records(4, "r").writeTo(dir);
        assertThat(reader.poll(collector, 100)).isEqualTo(2);
        assertThat(collector.sequences).containsExactly(5L, 6L);
    }

    @Test
    void shouldWaitForTheNextSegmentUntilItIsRenamedIntoPlace() throws Exception
    {
        SegmentFixture.segment(0).records(2, "r").padding().writeTo(dir);
        final JournalReader reader = open(0);

        assertThat(reader.poll(collector, 100)).isEqualTo(2);
        assertThat(reader.poll(collector, 100)).isZero();
        assertThat(reader.nextSequence()).isEqualTo(2);

        final Path temp = SegmentFixture.segment(2).previous(0).records(2, "r")
            .writeTo(dir, SegmentFileNames.segmentFileName(2) + ".tmp");
        assertThat(reader.poll(collector, 100)).isZero();

        Files.move(temp, dir.resolve(SegmentFileNames.segmentFileName(2)));
        assertThat(reader.poll(collector, 100)).isEqualTo(2);
        assertThat(collector.sequences).containsExactly(0L, 1L, 2L, 3L);
        assertThat(collector.payloads).containsExactly("r0", "r1", "r2", "r3");
    }

    @Test
    void shouldReportACrcMismatchWithFileAndOffset()
    {
        final SegmentFixture segment = SegmentFixture.segment(0).records(3, "r");
        final Path file = segment.writeTo(dir);
        final int damaged = segment.frameOffset(1);
        SegmentFixture.flipByte(file, damaged + FrameDescriptor.HEADER_LENGTH);

        final JournalReader reader = open(0);
        assertThat(reader.poll(collector, 1)).isEqualTo(1);

        for (int i = 0; i < 2; i++)
        {
            assertThatThrownBy(() -> reader.poll(collector, 100))
                .isInstanceOfSatisfying(JournalCorruptedException.class, (ex) ->
                {
                    assertThat(ex.file()).isEqualTo(file);
                    assertThat(ex.offset()).isEqualTo(damaged);
                })
                .hasMessageContaining("CRC");
        }
        assertThat(collector.sequences).containsExactly(0L);
        assertThat(reader.nextSequence()).isEqualTo(1);
    }

    @Test
    void shouldSkipToTheRequestedSequenceWithoutCheckingPayloadCrcs()
    {
        final SegmentFixture segment = SegmentFixture.segment(0).records(4, "r");
        final Path file = segment.writeTo(dir);
        SegmentFixture.flipByte(file, segment.frameOffset(1) + FrameDescriptor.HEADER_LENGTH);

        final JournalReader reader = open(2);
        assertThat(reader.poll(collector, 100)).isEqualTo(2);
        assertThat(collector.sequences).containsExactly(2L, 3L);
    }

    @Test
    void shouldConsumeARecordWhoseHandlerThrows()
    {
        SegmentFixture.segment(0).records(3, "r").writeTo(dir);
        final JournalReader reader = open(0);

        assertThatThrownBy(() -> reader.poll(
            (sequence, buffer, offset, length) ->
            {
                throw new IllegalStateException("handler failed at " + sequence);
            },
            10))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("handler failed at 0");

        assertThat(reader.nextSequence()).isEqualTo(1);
        assertThat(reader.poll(collector, 10)).isEqualTo(2);
        assertThat(collector.sequences).containsExactly(1L, 2L);
    }

    @Test
    void shouldReportACrcMismatchInAPaddingFrame()
    {
        final SegmentFixture segment = SegmentFixture.segment(0).records(2, "r").padding();
        final Path file = segment.writeTo(dir);
        SegmentFixture.flipByte(file, segment.frameOffset(2) + FrameDescriptor.RESERVED_OFFSET);

        final JournalReader reader = open(0);
        assertThatThrownBy(() -> reader.poll(collector, 100))
            .isInstanceOfSatisfying(JournalCorruptedException.class,
                (ex) -> assertThat(ex.offset()).isEqualTo(segment.frameOffset(2)));
        assertThat(collector.sequences).containsExactly(0L, 1L);
    }

    @Test
    void shouldReportAWrongSequence()
    {
        final SegmentFixture segment = SegmentFixture.segment(0).records(2, "r").dataWithSequence(7, bytes("x"));
        final Path file = segment.writeTo(dir);

        final JournalReader reader = open(0);
        assertThatThrownBy(() -> reader.poll(collector, 100))
            .isInstanceOfSatisfying(JournalCorruptedException.class, (ex) ->
            {
                assertThat(ex.file()).isEqualTo(file);
                assertThat(ex.offset()).isEqualTo(segment.frameOffset(2));
            })
            .hasMessageContaining("sequence 7")
            .hasMessageContaining("2 was expected");
    }

    @Test
    void shouldReportAWrongSequenceWhileSeeking()
    {
        final SegmentFixture segment = SegmentFixture.segment(0).records(2, "r").dataWithSequence(7, bytes("x"));
        segment.data("y").writeTo(dir);

        assertThatThrownBy(() -> JournalReader.open(dir, 3))
            .isInstanceOfSatisfying(JournalCorruptedException.class,
                (ex) -> assertThat(ex.offset()).isEqualTo(segment.frameOffset(2)));
        assertThat(ReaderRegistry.lowestSegmentBase(ReaderRegistry.key(dir))).isEqualTo(ReaderRegistry.NO_READER);
    }

    @Test
    void shouldReportAnImpossibleFrameLength()
    {
        final SegmentFixture segment = SegmentFixture.segment(0).records(2, "r");
        final Path file = segment.writeTo(dir);
        SegmentFixture.putIntAt(file, segment.frameOffset(1), SegmentFixture.SIZE);

        final JournalReader reader = open(0);
        assertThatThrownBy(() -> reader.poll(collector, 100))
            .isInstanceOfSatisfying(JournalCorruptedException.class,
                (ex) -> assertThat(ex.offset()).isEqualTo(segment.frameOffset(1)))
            .hasMessageContaining("impossible frame length");
    }

    @Test
    void shouldReportAFrameLengthShorterThanAHeader()
    {
        final SegmentFixture segment = SegmentFixture.segment(0).records(2, "r");
        final Path file = segment.writeTo(dir);
        SegmentFixture.putIntAt(file, segment.frameOffset(0), 8);

        final JournalReader reader = open(0);
        assertThatThrownBy(() -> reader.poll(collector, 100))
            .isInstanceOfSatisfying(JournalCorruptedException.class, (ex) -> assertThat(ex.offset()).isEqualTo(64));
    }

    @Test
    void shouldRejectAHeaderWhoseBaseDoesNotMatchTheFileName()
    {
        final Path file = SegmentFixture.segment(0).headerBaseSequence(5).records(2, "r").writeTo(dir);

        assertThatThrownBy(() -> JournalReader.open(dir, 0))
            .isInstanceOfSatisfying(JournalCorruptedException.class, (ex) ->
            {
                assertThat(ex.file()).isEqualTo(file);
                assertThat(ex.offset()).isEqualTo(SegmentHeaderDescriptor.BASE_SEQUENCE_OFFSET);
            })
            .hasMessageContaining("does not match");
    }

    @Test
    void shouldRejectADamagedHeader()
    {
        final Path file = SegmentFixture.segment(0).records(2, "r").writeTo(dir);
        SegmentFixture.flipByte(file, SegmentHeaderDescriptor.CREATED_OFFSET);

        assertThatThrownBy(() -> JournalReader.open(dir, 0))
            .isInstanceOfSatisfying(JournalCorruptedException.class, (ex) -> assertThat(ex.file()).isEqualTo(file))
            .hasMessageContaining("header CRC mismatch");
    }

    @Test
    void shouldRejectANextSegmentFromAnotherJournal()
    {
        SegmentFixture.segment(0).records(2, "r").padding().writeTo(dir);
        final Path second = SegmentFixture.segment(2).previous(0).journalId(99).records(2, "r").writeTo(dir);

        final JournalReader reader = open(0);
        assertThatThrownBy(() -> reader.poll(collector, 100))
            .isInstanceOfSatisfying(JournalCorruptedException.class, (ex) ->
            {
                assertThat(ex.file()).isEqualTo(second);
                assertThat(ex.offset()).isEqualTo(SegmentHeaderDescriptor.JOURNAL_ID_OFFSET);
            });
        assertThat(collector.sequences).containsExactly(0L, 1L);
    }

    @Test
    void shouldRejectANextSegmentWithTheWrongPreviousBase()
    {
        SegmentFixture.segment(0).records(2, "r").padding().writeTo(dir);
        SegmentFixture.segment(2).previous(1).records(2, "r").writeTo(dir);

        final JournalReader reader = open(0);
        assertThatThrownBy(() -> reader.poll(collector, 100))
            .isInstanceOfSatisfying(JournalCorruptedException.class,
                (ex) -> assertThat(ex.offset()).isEqualTo(SegmentHeaderDescriptor.PREVIOUS_BASE_SEQUENCE_OFFSET));
    }

    @Test
    void shouldRejectAFileWhoseSizeDiffersFromItsHeader()
    {
        SegmentFixture.segment(0).headerSegmentSize(2L * SegmentFixture.SIZE).records(2, "r").writeTo(dir);

        assertThatThrownBy(() -> JournalReader.open(dir, 0))
            .isInstanceOfSatisfying(JournalCorruptedException.class,
                (ex) -> assertThat(ex.offset()).isEqualTo(SegmentHeaderDescriptor.SEGMENT_SIZE_OFFSET));
    }

    @Test
    void shouldCloseIdempotentlyAndRefuseUseAfterClose()
    {
        SegmentFixture.segment(0).records(2, "r").writeTo(dir);
        final JournalReader reader = JournalReader.open(dir, 0);

        reader.close();
        reader.close();

        assertThat(reader.isClosed()).isTrue();
        assertThatThrownBy(() -> reader.poll(collector, 1)).isInstanceOf(JournalClosedException.class);
        assertThatThrownBy(reader::nextSequence).isInstanceOf(JournalClosedException.class);
        assertThat(collector.sequences).isEmpty();
    }

    @Test
    void shouldStopDeliveringWhenTheHandlerClosesTheReader()
    {
        SegmentFixture.segment(0).records(3, "r").writeTo(dir);
        final JournalReader reader = JournalReader.open(dir, 0);

        final int delivered = reader.poll((sequence, buffer, offset, length) -> reader.close(), 10);

        assertThat(delivered).isEqualTo(1);
        assertThat(reader.isClosed()).isTrue();
    }

    @Test
    void shouldTrackTheSegmentInTheRegistry()
    {
        SegmentFixture.segment(0).records(2, "r").padding().writeTo(dir);
        SegmentFixture.segment(2).previous(0).records(2, "r").writeTo(dir);
        final Path key = ReaderRegistry.key(dir);

        final JournalReader reader = JournalReader.open(dir, 1);
        assertThat(ReaderRegistry.lowestSegmentBase(key)).isEqualTo(0);

        assertThat(reader.poll(collector, 100)).isEqualTo(3);
        assertThat(ReaderRegistry.lowestSegmentBase(key)).isEqualTo(2);

        reader.close();
        assertThat(ReaderRegistry.lowestSegmentBase(key)).isEqualTo(ReaderRegistry.NO_READER);
    }

    private JournalReader open(final long fromSequence)
    {
        final JournalReader reader = JournalReader.open(dir, fromSequence);
        readers.add(reader);
        return reader;
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static final class Collector implements RecordHandler
    {
        final List<Long> sequences = new ArrayList<>();
        final List<String> payloads = new ArrayList<>();
        final List<Integer> lengths = new ArrayList<>();

        @Override
        public void onRecord(final long sequence, final DirectBuffer buffer, final int offset, final int length)
        {
            sequences.add(sequence);
            lengths.add(length);
            payloads.add(buffer.getStringWithoutLengthUtf8(offset, Math.min(length, 64)));
        }
    }
}
