package io.ringwal.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The new contenders' per-record paths allocate nothing once warm: the reused group commit's writer
 * ({@code onEvent}, framing, CRC, write and force) and Aeron's {@code publish} and {@code completedTicket}, measured
 * with the JVM's per-thread allocation counter.
 */
class HotPathAllocationTest
{
    private static final int SIZE = 64;
    private static final int WARMUP = 20_000;
    private static final int MEASURED = 20_000;

    @TempDir
    Path dir;

    @Test
    void shouldAllocateNothingPerRecordWhenTheReusedGroupCommitWriterFramesWritesAndForces() throws Exception
    {
        final GroupCommitReusedContender contender = new GroupCommitReusedContender();
        final Workload workload = new Workload(1, SIZE, 1_000, 0, 0, WARMUP + MEASURED);
        contender.open(dir, workload);
        try
        {
            final DisruptorBaseline.Slot slot = new DisruptorBaseline.Slot();
            slot.data = new byte[SIZE];
            slot.length = SIZE;
            final Payloads payloads = new Payloads(0, SIZE);
            for (int i = 0; i < WARMUP; i++)
            {
                payloads.fill(i, slot.data);
                contender.onEvent(slot, i, (i & 1023) == 1023);
            }

            final long before = allocatedBytes();
            for (int i = WARMUP; i < WARMUP + MEASURED; i++)
            {
                payloads.fill(i, slot.data);
                contender.onEvent(slot, i, (i & 1023) == 1023);
            }
            final long allocated = allocatedBytes() - before;

            assertThat(allocated).as("bytes allocated by %d records", MEASURED).isLessThan(1024);
        }
        finally
        {
            contender.close();
        }
    }

    @Test
    void shouldAllocateNothingPerRecordWhenPublishingToAeronAndPollingTheRecordedPosition() throws Exception
    {
        final AeronArchiveContender contender = new AeronArchiveContender("aeron-archive", 0);
        final Workload workload = new Workload(1, SIZE, 1_000, 0, 0, WARMUP + MEASURED);
        contender.open(dir, workload);
        try
        {
            final byte[] payload = new byte[SIZE];
            final Payloads payloads = new Payloads(0, SIZE);
            long ticket = 0;
            for (int i = 0; i < WARMUP; i++)
            {
                payloads.fill(i, payload);
                ticket = contender.publish(0, payload);
                contender.completedTicket(0);
            }

            final long before = allocatedBytes();
            for (int i = WARMUP; i < WARMUP + MEASURED; i++)
            {
                payloads.fill(i, payload);
                ticket = contender.publish(0, payload);
                contender.completedTicket(0);
            }
            final long allocated = allocatedBytes() - before;

            assertThat(ticket).isPositive();
            assertThat(allocated).as("bytes allocated by %d records", MEASURED).isLessThan(1024);
            contender.awaitAll();
        }
        finally
        {
            contender.close();
        }
    }

    private static long allocatedBytes()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        return threads.getThreadAllocatedBytes(Thread.currentThread().getId());
    }
}
