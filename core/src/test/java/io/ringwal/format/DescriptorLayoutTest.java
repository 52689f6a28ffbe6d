package io.ringwal.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.CRC32C;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Pins every offset, length and constant of the on-disk format (docs/FORMAT.md, format version 2, which reads version 1 too) to literal
 * values. A change here is a format change: it needs a new format version, not an edit of this test.
 */
class DescriptorLayoutTest
{
    @Test
    void shouldPinSegmentHeaderLayout()
    {
        assertThat(SegmentHeaderDescriptor.BYTE_ORDER).isEqualTo(ByteOrder.LITTLE_ENDIAN);
        assertThat(SegmentHeaderDescriptor.MAGIC).isEqualTo(0x314C4157474E4952L);
        assertThat(SegmentHeaderDescriptor.CURRENT_VERSION).isEqualTo(2);
        assertThat(SegmentHeaderDescriptor.OLDEST_READABLE_VERSION).isEqualTo(1);
        assertThat(SegmentHeaderDescriptor.FLAGS_OFFSET).isEqualTo(56);
        assertThat(SegmentHeaderDescriptor.FLAG_RECYCLED).isEqualTo(1);
        assertThat(SegmentHeaderDescriptor.MAGIC_OFFSET).isEqualTo(0);
        assertThat(SegmentHeaderDescriptor.VERSION_OFFSET).isEqualTo(8);
        assertThat(SegmentHeaderDescriptor.HEADER_LENGTH_OFFSET).isEqualTo(12);
        assertThat(SegmentHeaderDescriptor.SEGMENT_SIZE_OFFSET).isEqualTo(16);
        assertThat(SegmentHeaderDescriptor.BASE_SEQUENCE_OFFSET).isEqualTo(24);
        assertThat(SegmentHeaderDescriptor.PREVIOUS_BASE_SEQUENCE_OFFSET).isEqualTo(32);
        assertThat(SegmentHeaderDescriptor.JOURNAL_ID_OFFSET).isEqualTo(40);
        assertThat(SegmentHeaderDescriptor.CREATED_OFFSET).isEqualTo(48);
        assertThat(SegmentHeaderDescriptor.RESERVED_OFFSET).isEqualTo(56);
        assertThat(SegmentHeaderDescriptor.HEADER_CRC_OFFSET).isEqualTo(60);
        assertThat(SegmentHeaderDescriptor.HEADER_LENGTH).isEqualTo(64);
        assertThat(SegmentHeaderDescriptor.MIN_SEGMENT_SIZE).isEqualTo(65536);
        assertThat(SegmentHeaderDescriptor.MAX_SEGMENT_SIZE).isEqualTo(1073741824);
        assertThat(SegmentHeaderDescriptor.NO_PREVIOUS_SEGMENT).isEqualTo(-1L);
    }

    @Test
    void shouldSpellMagicAsAsciiRingwal1()
    {
        final byte[] bytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
            .putLong(SegmentHeaderDescriptor.MAGIC).array();
        assertThat(new String(bytes, StandardCharsets.US_ASCII)).isEqualTo("RINGWAL1");
    }

    @Test
    void shouldWriteHeaderFieldsAtPinnedOffsetsWithCrcOverFirst60Bytes()
    {
        final UnsafeBuffer header = new UnsafeBuffer(new byte[64]);
        SegmentHeaderDescriptor.write(header, 65536, 42, 7, 0x1122334455667788L, 1_700_000_000_000L);
        final ByteBuffer bytes = ByteBuffer.wrap(header.byteArray()).order(ByteOrder.LITTLE_ENDIAN);

        assertThat(bytes.getLong(0)).isEqualTo(0x314C4157474E4952L);
        assertThat(bytes.getInt(8)).isEqualTo(2);
        assertThat(bytes.getInt(12)).isEqualTo(64);
        assertThat(bytes.getLong(16)).isEqualTo(65536L);
        assertThat(bytes.getLong(24)).isEqualTo(42L);
        assertThat(bytes.getLong(32)).isEqualTo(7L);
        assertThat(bytes.getLong(40)).isEqualTo(0x1122334455667788L);
        assertThat(bytes.getLong(48)).isEqualTo(1_700_000_000_000L);
        assertThat(bytes.getInt(56)).isZero();
        final CRC32C crc = new CRC32C();
        crc.update(header.byteArray(), 0, 60);
        assertThat(bytes.getInt(60)).isEqualTo((int)crc.getValue());
        assertThat(SegmentHeaderDescriptor.validate(header)).isNull();
    }

    @Test
    void shouldWriteTheRecycledFlagAtOffset56AndReadVersionOneHeaders()
    {
        final UnsafeBuffer header = new UnsafeBuffer(new byte[64]);
        SegmentHeaderDescriptor.write(header, 65536, 42, 7, 1, 2, SegmentHeaderDescriptor.FLAG_RECYCLED);
        assertThat(header.getInt(56, ByteOrder.LITTLE_ENDIAN)).isEqualTo(1);
        assertThat(SegmentHeaderDescriptor.flags(header)).isEqualTo(1);
        assertThat(SegmentHeaderDescriptor.validate(header)).isNull();

        header.putInt(8, 1, ByteOrder.LITTLE_ENDIAN);
        header.putInt(56, 0, ByteOrder.LITTLE_ENDIAN);
        header.putInt(60, SegmentHeaderDescriptor.computeCrc(header), ByteOrder.LITTLE_ENDIAN);
        assertThat(SegmentHeaderDescriptor.validate(header)).isNull();
        assertThat(SegmentHeaderDescriptor.version(header)).isEqualTo(1);

        header.putInt(8, 3, ByteOrder.LITTLE_ENDIAN);
        header.putInt(60, SegmentHeaderDescriptor.computeCrc(header), ByteOrder.LITTLE_ENDIAN);
        assertThat(SegmentHeaderDescriptor.validate(header))
            .isEqualTo("unsupported format version 3 (this build reads versions 1 to 2)");
    }

    @Test
    void shouldRejectHeaderWhenAnyByteBeforeTheCrcChanges()
    {
        for (int i = 0; i < 60; i++)
        {
            final UnsafeBuffer header = new UnsafeBuffer(new byte[64]);
            SegmentHeaderDescriptor.write(header, 65536, 0, -1, 1, 2);
            header.putByte(i, (byte)(header.getByte(i) ^ 0x10));
            assertThat(SegmentHeaderDescriptor.validate(header)).as("byte %d flipped", i).isNotNull();
        }
    }

    @Test
    void shouldPinFrameLayout()
    {
        assertThat(FrameDescriptor.BYTE_ORDER).isEqualTo(ByteOrder.LITTLE_ENDIAN);
        assertThat(FrameDescriptor.ALIGNMENT).isEqualTo(8);
        assertThat(FrameDescriptor.TYPE_DATA).isEqualTo((short)1);
        assertThat(FrameDescriptor.TYPE_PADDING).isEqualTo((short)2);
        assertThat(FrameDescriptor.TYPE_CLOSE).isEqualTo((short)3);
        assertThat(FrameDescriptor.TYPE_OPEN).isEqualTo((short)4);
        assertThat(FrameDescriptor.TYPE_SKIPPED).isEqualTo((short)5);
        assertThat(FrameDescriptor.LENGTH_OFFSET).isEqualTo(0);
        assertThat(FrameDescriptor.CRC_OFFSET).isEqualTo(4);
        assertThat(FrameDescriptor.SEQUENCE_OFFSET).isEqualTo(8);
        assertThat(FrameDescriptor.TYPE_OFFSET).isEqualTo(16);
        assertThat(FrameDescriptor.FLAGS_OFFSET).isEqualTo(18);
        assertThat(FrameDescriptor.RESERVED_OFFSET).isEqualTo(20);
        assertThat(FrameDescriptor.HEADER_LENGTH).isEqualTo(24);
    }

    @Test
    void shouldComputeFrameLengthsAndCrcRange()
    {
        assertThat(FrameDescriptor.frameLength(0)).isEqualTo(24);
        assertThat(FrameDescriptor.frameLength(100)).isEqualTo(124);
        assertThat(FrameDescriptor.alignedLength(24)).isEqualTo(24);
        assertThat(FrameDescriptor.alignedLength(25)).isEqualTo(32);
        assertThat(FrameDescriptor.alignedLength(31)).isEqualTo(32);
        assertThat(FrameDescriptor.alignedLength(32)).isEqualTo(32);
        assertThat(FrameDescriptor.payloadOffset(64)).isEqualTo(88);
        assertThat(FrameDescriptor.crcEnd(FrameDescriptor.TYPE_DATA, 124)).isEqualTo(124);
        assertThat(FrameDescriptor.crcEnd(FrameDescriptor.TYPE_PADDING, 4000)).isEqualTo(24);
    }

    @Test
    void shouldPinFileNameConstants()
    {
        assertThat(SegmentFileNames.SEGMENT_SUFFIX).isEqualTo(".seg");
        assertThat(SegmentFileNames.TEMP_SUFFIX).isEqualTo(".seg.tmp");
        assertThat(SegmentFileNames.LOCK_FILE_NAME).isEqualTo("ringwal.lock");
        assertThat(SegmentFileNames.DIGITS).isEqualTo(20);
    }

    @Test
    void shouldFormatAndParseSegmentFileNames()
    {
        assertThat(SegmentFileNames.segmentFileName(0)).isEqualTo("00000000000000000000.seg");
        assertThat(SegmentFileNames.segmentFileName(1234)).isEqualTo("00000000000000001234.seg");
        assertThat(SegmentFileNames.segmentFileName(Long.MAX_VALUE)).isEqualTo("09223372036854775807.seg");
        for (final long base : new long[] {0, 1, 9, 10, 2729, 1L << 40, Long.MAX_VALUE - 1, Long.MAX_VALUE})
        {
            final String name = SegmentFileNames.segmentFileName(base);
            assertThat(name).hasSize(24);
            assertThat(SegmentFileNames.isSegmentFileName(name)).isTrue();
            assertThat(SegmentFileNames.isTempFileName(name)).isFalse();
            assertThat(SegmentFileNames.baseSequence(Path.of("some", "dir", name))).isEqualTo(base);
        }
    }

    @Test
    void shouldRejectBadSegmentFileNames()
    {
        assertThatThrownBy(() -> SegmentFileNames.segmentFileName(-1))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("baseSequence=-1");
        for (final String bad : new String[] {
            "0000000000000000000.seg", "000000000000000000000.seg", "0000000000000000000a.seg",
            "00000000000000000000.sef", "00000000000000000000.seg.tmp", "-0000000000000000001.seg",
            "ringwal.lock", "", ".seg", "00000000000000000000seg", " 0000000000000000000.seg"})
        {
            assertThat(SegmentFileNames.isSegmentFileName(bad)).as(bad).isFalse();
            assertThatThrownBy(() -> SegmentFileNames.baseSequence(Path.of("x", bad.isEmpty() ? "empty" : bad)))
                .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a segment file name");
        }
        assertThatThrownBy(() -> SegmentFileNames.baseSequence(Path.of("99999999999999999999.seg")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of range");
        assertThat(SegmentFileNames.isTempFileName("prepared-0-123.seg.tmp")).isTrue();
        assertThat(SegmentFileNames.isTempFileName("00000000000000000000.seg")).isFalse();
    }

    @Test
    void shouldSortFileNamesInSequenceOrder()
    {
        final long[] bases = {0, 5, 9, 10, 99, 100, 65_536, 1_000_000_007L, 1L << 50, Long.MAX_VALUE};
        final List<String> names = new ArrayList<>();
        for (int i = bases.length - 1; i >= 0; i--)
        {
            names.add(SegmentFileNames.segmentFileName(bases[i]));
        }
        Collections.shuffle(names, new java.util.Random(1));
        Collections.sort(names);
        for (int i = 0; i < bases.length; i++)
        {
            assertThat(SegmentFileNames.baseSequence(Path.of(names.get(i)))).isEqualTo(bases[i]);
        }
    }

    @Test
    void shouldMatchKnownCrc32cVector()
    {
        final CRC32C crc = new CRC32C();
        crc.update("123456789".getBytes(StandardCharsets.US_ASCII));
        assertThat(crc.getValue()).isEqualTo(0xE3069283L);
    }

    @Test
    void shouldComputeDataFrameCrcOverLengthBytesThenSequenceToEnd()
    {
        final ByteBuffer segment = ByteBuffer.allocateDirect(256).order(ByteOrder.LITTLE_ENDIAN);
        final int frameOffset = 64;
        final int length = 24 + 9;
        segment.putInt(frameOffset, length);
        segment.putInt(frameOffset + 4, 0xCAFEBABE); // the CRC field itself is not covered
        segment.putLong(frameOffset + 8, 77L);
        segment.putShort(frameOffset + 16, FrameDescriptor.TYPE_DATA);
        final byte[] payload = "123456789".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < payload.length; i++)
        {
            segment.put(frameOffset + 24 + i, payload[i]);
        }

        final CRC32C expected = new CRC32C();
        expected.update(new byte[] {33, 0, 0, 0});
        final byte[] rest = new byte[length - 8];
        segment.duplicate().position(frameOffset + 8).get(rest);
        expected.update(rest);

        final int crc = new FrameChecksum().compute(segment.duplicate(), frameOffset, length, FrameDescriptor.TYPE_DATA);
        assertThat(crc).isEqualTo((int)expected.getValue());

        segment.putInt(frameOffset + 4, 0);
        assertThat(new FrameChecksum().compute(segment.duplicate(), frameOffset, length, FrameDescriptor.TYPE_DATA))
            .as("the CRC field is excluded").isEqualTo(crc);
        segment.put(frameOffset + 24 + 8, (byte)'X');
        assertThat(new FrameChecksum().compute(segment.duplicate(), frameOffset, length, FrameDescriptor.TYPE_DATA))
            .as("the last payload byte is covered").isNotEqualTo(crc);
    }

    @Test
    void shouldComputePaddingFrameCrcOverHeaderOnly()
    {
        final ByteBuffer segment = ByteBuffer.allocateDirect(1024).order(ByteOrder.LITTLE_ENDIAN);
        final int frameOffset = 64;
        final int length = 1024 - 64;
        segment.putInt(frameOffset, length);
        segment.putLong(frameOffset + 8, 5L);
        segment.putShort(frameOffset + 16, FrameDescriptor.TYPE_PADDING);
        final FrameChecksum checksum = new FrameChecksum();
        final int crc = checksum.compute(segment.duplicate(), frameOffset, length, FrameDescriptor.TYPE_PADDING);

        final CRC32C expected = new CRC32C();
        final ByteBuffer lengthBytes = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, length);
        expected.update(lengthBytes.array());
        final byte[] header = new byte[16];
        segment.duplicate().position(frameOffset + 8).get(header);
        expected.update(header);
        assertThat(crc).isEqualTo((int)expected.getValue());

        for (int i = frameOffset + 24; i < 1024; i += 37)
        {
            segment.put(i, (byte)0x5A);
        }
        assertThat(checksum.compute(segment.duplicate(), frameOffset, length, FrameDescriptor.TYPE_PADDING))
            .as("bytes after 24 are not covered").isEqualTo(crc);
        segment.put(frameOffset + 23, (byte)1);
        assertThat(checksum.compute(segment.duplicate(), frameOffset, length, FrameDescriptor.TYPE_PADDING))
            .as("byte 23 is covered").isNotEqualTo(crc);
    }
}
