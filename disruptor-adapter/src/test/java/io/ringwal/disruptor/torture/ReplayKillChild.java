package io.ringwal.disruptor.torture;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.agrona.MutableDirectBuffer;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.LiteTimeoutBlockingWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import com.lmax.disruptor.util.DaemonThreadFactory;

import io.ringwal.disruptor.JournalDeserializer;
import io.ringwal.disruptor.JournalSerializer;
import io.ringwal.disruptor.JournallingEventHandler;
import io.ringwal.journal.ForcePolicy;
import io.ringwal.journal.JournalConfig;

/**
 * A trading-style process for {@link JournalReplayProcessKillTest}: producers publish trades into a Disruptor, a
 * {@link JournallingEventHandler} journals them, and a deterministic business logic (a ledger: per producer a
 * count, a sum and an order-sensitive hash of the trade values) applies them behind it and snapshots itself to a
 * file every {@link #SNAPSHOT_EVERY} trades (written, forced, atomically renamed). On start it restores the
 * snapshot, replays the journal after it ({@link JournallingEventHandler#replay}) and lets each producer go on
 * from the first trade the journal does not hold, up to its share of the input.
 *
 * <p>With {@link ProducerType#SINGLE} one producer publishes under {@code every-batch}, the ledger behind the
 * journaller; with {@link ProducerType#MULTI} two producers publish under a bounded policy, the ledger behind the
 * journaller's durable barrier. The ledger checks that every trade carries the next journal sequence and the next
 * id of its producer (no gap, no duplicate) and stops the process otherwise.
 *
 * <p>Prints {@code REPLAYED count FROM lastApplied} once the replay was applied, then {@code STATE ...} when all
 * the input was applied (and exits 0), or {@code ERROR ...} (and exits 3).
 */
public final class ReplayKillChild
{
    /** Trades applied between snapshots. */
    static final int SNAPSHOT_EVERY = 1000;
    private static final int TRADE_LENGTH = Integer.BYTES + Long.BYTES;

    private ReplayKillChild()
    {
    }

    /** The ring's event. */
    static final class Trade
    {
        int producer;
        long id;
    }

    /** The deterministic value of a trade: what the ledger sums and hashes. */
    static long value(final int producer, final long id)
    {
        long x = producer * 0x9E3779B97F4A7C15L + id;
        x = (x ^ (x >>> 33)) * 0xFF51AFD7ED558CCDL;
        return x ^ (x >>> 29);
    }

    /** The business logic's state: what a snapshot holds. */
    static final class Ledger
    {
        long lastApplied = -1;
        final long[] nextId;
        final long[] sum;
        final long[] hash;

        Ledger(final int producers)
        {
            nextId = new long[producers];
            sum = new long[producers];
            hash = new long[producers];
        }

        /** Applies a trade; null if fine, else what is wrong. */
        String apply(final long journalSequence, final int producer, final long id)
        {
            if (journalSequence != lastApplied + 1)
            {
                return "journal sequence " + journalSequence + " after " + lastApplied;
            }
            if (producer < 0 || producer >= nextId.length || id != nextId[producer])
            {
                return "trade " + producer + "/" + id + " at journal sequence " + journalSequence + " where " +
                    (producer < 0 || producer >= nextId.length ? "no such producer" : "id " + nextId[producer]) +
                    " was due";
            }
            final long value = value(producer, id);
            sum[producer] += value;
            hash[producer] = hash[producer] * 31 + value;
            nextId[producer] = id + 1;
            lastApplied = journalSequence;
            return null;
        }

        void writeSnapshot(final Path file)
        {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes))
            {
                out.writeLong(lastApplied);
                out.writeInt(nextId.length);
                for (int p = 0; p < nextId.length; p++)
                {
                    out.writeLong(nextId[p]);
                    out.writeLong(sum[p]);
                    out.writeLong(hash[p]);
                }
                final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
                try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING))
                {
                    channel.write(ByteBuffer.wrap(bytes.toByteArray()));
                    channel.force(true);
                }
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot write snapshot " + file, ex);
            }
        }

        static Ledger readSnapshot(final Path file, final int producers)
        {
            final Ledger ledger = new Ledger(producers);
            try (DataInputStream in = new DataInputStream(Files.newInputStream(file)))
            {
                ledger.lastApplied = in.readLong();
                if (in.readInt() != producers)
                {
                    throw new IllegalStateException("snapshot " + file + " is of another producer count");
                }
                for (int p = 0; p < producers; p++)
                {
                    ledger.nextId[p] = in.readLong();
                    ledger.sum[p] = in.readLong();
                    ledger.hash[p] = in.readLong();
                }
            }
            catch (final NoSuchFileException ex)
            {
                return ledger;
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot read snapshot " + file, ex);
            }
            return ledger;
        }

        @Override
        public String toString()
        {
            return "lastApplied=" + lastApplied + " nextId=" + Arrays.toString(nextId) + " sum=" +
                Arrays.toString(sum) + " hash=" + Arrays.toString(hash);
        }
    }

    /** The snapshot's last applied journal sequence, -1 if there is none yet; safe while the child renames it. */
    static long snapshotLastApplied(final Path file)
    {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file)))
        {
            return in.readLong();
        }
        catch (final NoSuchFileException ex)
        {
            return -1;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    static final class TradeSerializer implements JournalSerializer<Trade>
    {
        @Override
        public int length(final Trade event)
        {
            return TRADE_LENGTH;
        }

        @Override
        public void write(final Trade event, final MutableDirectBuffer buffer)
        {
            buffer.putInt(0, event.producer);
            buffer.putLong(Integer.BYTES, event.id);
        }
    }

    static final JournalDeserializer<Trade> DESERIALIZER = (journalSequence, buffer, offset, length, event) ->
    {
        event.producer = buffer.getInt(offset);
        event.id = buffer.getLong(offset + Integer.BYTES);
    };

    /** The business logic stage: applies, snapshots, counts. */
    static final class LedgerHandler implements EventHandler<Trade>
    {
        final Ledger ledger;
        final Path snapshot;
        final JournallingEventHandler<Trade> journaller;
        volatile long applied;
        volatile String error;

        LedgerHandler(final Ledger ledger, final Path snapshot, final JournallingEventHandler<Trade> journaller)
        {
            this.ledger = ledger;
            this.snapshot = snapshot;
            this.journaller = journaller;
            this.applied = ledger.lastApplied;
        }

        @Override
        public void onEvent(final Trade event, final long sequence, final boolean endOfBatch)
        {
            if (error != null)
            {
                return;
            }
            final String problem = ledger.apply(journaller.journalSequence(sequence), event.producer, event.id);
            if (problem != null)
            {
                error = problem;
                return;
            }
            if ((ledger.lastApplied + 1) % SNAPSHOT_EVERY == 0)
            {
                ledger.writeSnapshot(snapshot);
            }
            applied = ledger.lastApplied;
        }
    }

    /**
     * Restores, replays, publishes the rest of the input and returns the final ledger.
     *
     * @param journal         the journal directory.
     * @param snapshot        the snapshot file.
     * @param type            the producer type (SINGLE: one producer, MULTI: two).
     * @param tradesEach      each producer's share of the input: ids 0 to this minus 1.
     * @param throttled       whether producers pause 1 ms after every 64 trades (so that a kill lands mid-stream).
     * @param replayed        receives the number of replayed trades and the snapshot's sequence, when known.
     * @return the ledger after all the input.
     * @throws Exception if the run fails.
     */
    static Ledger run(final Path journal, final Path snapshot, final ProducerType type, final long tradesEach,
        final boolean throttled, final java.util.function.BiConsumer<Long, Long> replayed) throws Exception
    {
        final int producers = type == ProducerType.SINGLE ? 1 : 2;
        final Ledger ledger = Ledger.readSnapshot(snapshot, producers);
        final long lastApplied = ledger.lastApplied;
        final boolean durableGate = type == ProducerType.MULTI;
        final JournalConfig config = JournalConfig.builder().segmentSize(256 * 1024)
            .forcePolicy(durableGate ? ForcePolicy.bounded(2, TimeUnit.MILLISECONDS, 1 << 20) :
            ForcePolicy.everyBatch()).build();
        final JournallingEventHandler<Trade> journaller =
            JournallingEventHandler.open(journal, config, new TradeSerializer());
        final Disruptor<Trade> disruptor = new Disruptor<>(Trade::new, 1024, DaemonThreadFactory.INSTANCE, type,
            new LiteTimeoutBlockingWaitStrategy(500, TimeUnit.MICROSECONDS));
        final LedgerHandler logic = new LedgerHandler(ledger, snapshot, journaller);
        if (durableGate)
        {
            final RingBuffer<Trade> ring = disruptor.getRingBuffer();
            disruptor.handleEventsWith(journaller);
            final BatchEventProcessor<Trade> gated = new BatchEventProcessorBuilder()
                .build(ring, journaller.durableBarrier(ring), logic);
            disruptor.handleEventsWith(gated);
        }
        else
        {
            disruptor.handleEventsWith(journaller).then(logic);
        }
        final RingBuffer<Trade> ring = disruptor.start();

        final long count = journaller.replay(ring, lastApplied, DESERIALIZER);
        awaitApplied(logic, lastApplied + count);
        replayed.accept(count, lastApplied);
        // the ledger now holds everything the journal holds: each producer goes on from its next id
        final long[] from = ledger.nextId.clone();

        final Thread[] threads = new Thread[producers];
        final Throwable[] failures = new Throwable[producers];
        for (int p = 0; p < producers; p++)
        {
            final int producer = p;
            threads[p] = new Thread(() ->
            {
                try
                {
                    for (long id = from[producer]; id < tradesEach; id++)
                    {
                        journaller.publishEvent(ring, (event, sequence, trade) ->
                        {
                            event.producer = producer;
                            event.id = trade;
                        }, id);
                        if (throttled && id % 64 == 63)
                        {
                            LockSupport.parkNanos(1_000_000);
                        }
                    }
                }
                catch (final Throwable ex)
                {
                    failures[producer] = ex;
                }
            }, "producer-" + p);
        }
        // SINGLE: the one producer thread is started after the replay returned (Thread.start orders the two)
        for (final Thread thread : threads)
        {
            thread.start();
        }
        for (int p = 0; p < producers; p++)
        {
            threads[p].join();
            if (failures[p] != null)
            {
                throw new IllegalStateException("producer " + p + " failed", failures[p]);
            }
        }
        awaitApplied(logic, producers * tradesEach - 1);
        disruptor.shutdown(30, TimeUnit.SECONDS);
        if (!journaller.awaitClosed(30, TimeUnit.SECONDS))
        {
            throw new IllegalStateException("journaller did not close " + journal);
        }
        return ledger;
    }

    private static void awaitApplied(final LedgerHandler logic, final long sequence) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (logic.applied < sequence)
        {
            if (logic.error != null)
            {
                throw new IllegalStateException("ledger: " + logic.error);
            }
            if (logic.journaller.failure() != null)
            {
                throw new IllegalStateException("journaller failed", logic.journaller.failure());
            }
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("ledger applied up to " + logic.applied + ", not " + sequence);
            }
            Thread.sleep(1);
        }
        if (logic.error != null)
        {
            throw new IllegalStateException("ledger: " + logic.error);
        }
    }

    /**
     * Entry point.
     *
     * @param args journal directory, snapshot file, producer type, trades per producer, {@code throttled} or
     *             {@code full}.
     */
    public static void main(final String[] args)
    {
        try
        {
            final Ledger ledger = run(Path.of(args[0]), Path.of(args[1]), ProducerType.valueOf(args[2]),
                Long.parseLong(args[3]), "throttled".equals(args[4]),
                (count, from) -> System.out.println("REPLAYED " + count + " FROM " + from));
            System.out.println("STATE " + ledger);
            System.out.flush();
            System.exit(0);
        }
        catch (final Throwable ex)
        {
            System.out.println("ERROR " + ex);
            ex.printStackTrace(System.out);
            System.out.flush();
            System.exit(3);
        }
    }
}
