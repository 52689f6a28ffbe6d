package io.ringwal.peers;

import java.nio.file.Path;
import java.util.List;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Chronicle Queue: one appender per producer thread, each writing the record's bytes as one excerpt
 * ({@code writeBytes}). With {@code sync}, the queue is built with {@code SyncMode.SYNC} and each appender calls
 * {@code sync()} after every {@value #SYNC_EVERY} of its records (the plain {@code sync()} alone makes nothing
 * durable on Linux); a record is counted durable when the {@code sync()} after it returns.
 */
public final class ChronicleContender implements Contender
{
    /** Records per appender between two {@code sync()} calls. */
    public static final int SYNC_EVERY = 1000;

    /**
     * The flags Chronicle documents for Java 17 (its "Java 17 support" list), plus the properties that keep its
     * analytics and banners quiet.
     */
    public static final List<String> JVM_FLAGS = List.of(
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
        "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
        "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
        "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED",
        "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "-Dchronicle.analytics.disable=true",
        "-Dchronicle.announcer.disable=true",
        "-Djvm.resource.tracing=false");

    private final String name;
    private final boolean sync;
    private SingleChronicleQueue queue;
    private ExcerptAppender[] appenders;
    private BytesStore<?, ?>[] stores;
    private byte[][] wrapped;
    private long[] counts;
    private volatile long[] synced;

    /**
     * A Chronicle Queue contender.
     *
     * @param name its name.
     * @param sync whether to build with SyncMode.SYNC and sync every {@value #SYNC_EVERY} records.
     */
    public ChronicleContender(final String name, final boolean sync)
    {
        this.name = name;
        this.sync = sync;
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public List<String> jvmFlags()
    {
        return JVM_FLAGS;
    }

    @Override
    public void open(final Path dir, final Workload workload)
    {
        final SingleChronicleQueueBuilder builder = SingleChronicleQueueBuilder.binary(dir);
        if (sync)
        {
            builder.syncMode(SyncMode.SYNC);
        }
        queue = builder.build();
        final int producers = workload.producers();
        appenders = new ExcerptAppender[producers];
        stores = new BytesStore<?, ?>[producers];
        wrapped = new byte[producers][];
        counts = new long[producers * 16];
        synced = new long[producers * 16];
        for (int p = 0; p < producers; p++)
        {
            synced[p * 16] = -1;
        }
    }

    @Override
    public long publish(final int producer, final byte[] payload)
    {
        ExcerptAppender appender = appenders[producer];
        if (appender == null)
        {
            appender = queue.createAppender();
            appenders[producer] = appender;
        }
        if (wrapped[producer] != payload)
        {
            wrapped[producer] = payload;
            stores[producer] = BytesStore.wrap(payload);
        }
        appender.writeBytes(stores[producer]);
        final long ticket = counts[producer * 16]++;
        if (sync && (ticket + 1) % SYNC_EVERY == 0)
        {
            appender.sync();
            synced[producer * 16] = ticket;
        }
        return ticket;
    }

    @Override
    public Completion completion()
    {
        return sync ? Completion.DURABLE : Completion.WRITTEN;
    }

    @Override
    public boolean completesOnReturn()
    {
        return !sync;
    }

    @Override
    public long completedTicket(final int producer)
    {
        return sync ? synced[producer * 16] : counts[producer * 16] - 1;
    }

    @Override
    public void producerDone(final int producer)
    {
        final ExcerptAppender appender = appenders[producer];
        if (appender != null)
        {
            if (sync)
            {
                appender.sync();
                synced[producer * 16] = counts[producer * 16] - 1;
            }
            appender.close();
        }
    }

    @Override
    public void awaitAll()
    {
        // appends are synchronous; producerDone synced each appender's tail.
    }

    @Override
    public void close()
    {
        queue.close();
    }

    @Override
    public VerifyResult readBackAndVerify(final Path dir, final Workload workload, final long[] published)
    {
        final RecordChecker checker = new RecordChecker(workload.recordSize(), published);
        final byte[] scratch = new byte[65536];
        try (SingleChronicleQueue readQueue = SingleChronicleQueueBuilder.binary(dir).readOnly(true).build();
            ExcerptTailer tailer = readQueue.createTailer())
        {
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    final Bytes<?> bytes = dc.wire().bytes();
                    final int length = (int)bytes.readRemaining();
                    bytes.read(scratch, 0, Math.min(length, scratch.length));
                    checker.onRecord(scratch, 0, length);
                }
            }
        }
        catch (final RuntimeException ex)
        {
            checker.mangledFrame("tailer: " + ex);
        }
        return checker.result();
    }
}
