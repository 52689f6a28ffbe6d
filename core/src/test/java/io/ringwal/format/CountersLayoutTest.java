package io.ringwal.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/**
 * Pins the counters file layout (docs/FORMAT.md, "The counters file", layout version 1) to literal values. A change
 * here is a layout change: a new layout version, not an edit of this test. New counters are appended only.
 */
class CountersLayoutTest
{
    @Test
    void shouldPinTheCountersFileLayoutVersionOne()
    {
        assertThat(CountersDescriptor.FILE_NAME).isEqualTo("ringwal.counters");
        assertThat(CountersDescriptor.TEMP_FILE_NAME).isEqualTo("ringwal.counters.tmp");
        assertThat(CountersDescriptor.BYTE_ORDER).isEqualTo(ByteOrder.LITTLE_ENDIAN);
        assertThat(CountersDescriptor.MAGIC).isEqualTo(0x31544E554F435752L);
        final byte[] magic = new byte[8];
        for (int i = 0; i < 8; i++)
        {
            magic[i] = (byte)(CountersDescriptor.MAGIC >>> (8 * i));
        }
        assertThat(new String(magic, StandardCharsets.US_ASCII)).isEqualTo("RWCOUNT1");
        assertThat(CountersDescriptor.CURRENT_VERSION).isEqualTo(1);
        assertThat(CountersDescriptor.FILE_LENGTH).isEqualTo(4096);
        assertThat(CountersDescriptor.MAGIC_OFFSET).isEqualTo(0);
        assertThat(CountersDescriptor.VERSION_OFFSET).isEqualTo(8);
        assertThat(CountersDescriptor.FILE_LENGTH_OFFSET).isEqualTo(12);
        assertThat(CountersDescriptor.PID_OFFSET).isEqualTo(16);
        assertThat(CountersDescriptor.PROCESS_START_OFFSET).isEqualTo(24);
        assertThat(CountersDescriptor.START_OFFSET).isEqualTo(32);
        assertThat(CountersDescriptor.HEARTBEAT_OFFSET).isEqualTo(40);
        assertThat(CountersDescriptor.STATE_OFFSET).isEqualTo(48);
        assertThat(CountersDescriptor.RING_SIZE_OFFSET).isEqualTo(52);
        assertThat(CountersDescriptor.COUNTER_COUNT_OFFSET).isEqualTo(56);
        assertThat(CountersDescriptor.COUNTERS_OFFSET).isEqualTo(64);
        assertThat(CountersDescriptor.MAX_COUNTERS).isEqualTo(48);
        assertThat(CountersDescriptor.FAILURE_LENGTH_OFFSET).isEqualTo(448);
        assertThat(CountersDescriptor.FAILURE_REASON_OFFSET).isEqualTo(452);
        assertThat(CountersDescriptor.MAX_FAILURE_REASON_LENGTH).isEqualTo(1020);
        assertThat(CountersDescriptor.FAILURE_REASON_OFFSET + CountersDescriptor.MAX_FAILURE_REASON_LENGTH)
            .isLessThanOrEqualTo(CountersDescriptor.FILE_LENGTH);
        assertThat(CountersDescriptor.STATE_RUNNING).isEqualTo(1);
        assertThat(CountersDescriptor.STATE_CLOSED).isEqualTo(2);
        assertThat(CountersDescriptor.STATE_FAILED).isEqualTo(3);
        assertThat(CountersDescriptor.STATE_DETACHED).isEqualTo(4);
    }

    @Test
    void shouldPinTheCounterSlots()
    {
        final String[] labels = {"records", "bytes", "batches", "written_sequence", "durable_sequence", "forces",
            "force_time", "forced_bytes", "rotations", "rotation_time", "allocator_waits", "allocator_wait_time",
            "ring_fill", "publish_ring_full", "try_publish_ring_full", "failures", "allocation_failures"};
        assertThat(CounterId.count()).isEqualTo(labels.length).isLessThanOrEqualTo(CountersDescriptor.MAX_COUNTERS);
        for (int i = 0; i < labels.length; i++)
        {
            assertThat(CounterId.ofIndex(i).label()).as("slot %d", i).isEqualTo(labels[i]);
            assertThat(CountersDescriptor.counterOffset(i)).isEqualTo(64 + 8 * i);
        }
        assertThat(CounterId.ofIndex(labels.length)).isNull();
    }
}
