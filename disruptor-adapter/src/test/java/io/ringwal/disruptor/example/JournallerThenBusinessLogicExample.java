package io.ringwal.disruptor.example;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

import org.agrona.MutableDirectBuffer;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.LiteTimeoutBlockingWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import com.lmax.disruptor.util.DaemonThreadFactory;

import io.ringwal.disruptor.JournalSerializer;
import io.ringwal.disruptor.JournallingEventHandler;
import io.ringwal.journal.ForcePolicy;
import io.ringwal.journal.JournalConfig;

/**
 * The classic LMAX layout with a ringwal journaller: the journaller first, business logic gated behind it.
 *
 * <pre>
 *   publisher ──▶ ring ──▶ journaller ──▶ business logic
 * </pre>
 *
 * With {@link Gate#JOURNALLER} the business logic runs behind the journaller's processor
 * ({@code handleEventsWith(journaller).then(businessLogic)}): under the every-batch policy an event is forced
 * before business logic sees it. With {@link Gate#DURABLE} the business logic waits on the journaller's durable
 * ring sequence instead, which gives the same guarantee under a bounded policy (group commits every few
 * milliseconds).
 *
 * <p>It lives in the adapter's test sources, so that it is compiled and run by the tests but does not ship in the
 * adapter's jar. Run: {@code mvn -pl disruptor-adapter -am test-compile}, then
 * {@code java --add-opens java.base/jdk.internal.misc=ALL-UNNAMED -cp disruptor-adapter/target/test-classes:...
 * io.ringwal.disruptor.example.JournallerThenBusinessLogicExample [directory] [events] [journaller|durable]}.
 */
public final class JournallerThenBusinessLogicExample
{
    /** What the business logic is gated on. */
    public enum Gate
    {
        /** Behind the journaller's processor sequence. */
        JOURNALLER,
        /** Behind the journaller's durable ring sequence. */
        DURABLE
    }

    /** An order: the mutable, preallocated event of the ring. */
    public static final class OrderEvent
    {
        /** Order id. */
        public long orderId;
        /** Price in ticks. */
        public long price;
        /** Quantity. */
        public int quantity;

        /** Creates an empty event (the ring preallocates them). */
        public OrderEvent()
        {
        }
    }

    /** Writes an order as 20 little-endian bytes. */
    public static final class OrderSerializer implements JournalSerializer<OrderEvent>
    {
        /** Encoded length of an order. */
        public static final int LENGTH = 20;

        /** Creates the serializer. */
        public OrderSerializer()
        {
        }

        @Override
        public int length(final OrderEvent event)
        {
            return LENGTH;
        }

        @Override
        public void write(final OrderEvent event, final MutableDirectBuffer buffer)
        {
            buffer.putLong(0, event.orderId);
            buffer.putLong(8, event.price);
            buffer.putInt(16, event.quantity);
        }
    }

    /**
     * What a run saw.
     *
     * @param events             events published.
     * @param processed          events the business logic processed.
     * @param notDurableWhenSeen events the business logic saw before they were durable (should be 0).
     * @param notional           sum of price times quantity over the processed events.
     * @param durableSequence    the journal's durable sequence after shutdown.
     */
    public record Result(long events, long processed, long notDurableWhenSeen, long notional, long durableSequence)
    {
    }

    private JournallerThenBusinessLogicExample()
    {
    }

    /**
     * Runs the example.
     *
     * @param directory the journal directory.
     * @param events    how many orders to publish.
     * @param gate      what the business logic is gated on.
     * @return what the run saw.
     * @throws Exception if the Disruptor does not shut down in time.
     */
    public static Result run(final Path directory, final int events, final Gate gate) throws Exception
    {
        final ForcePolicy policy = gate == Gate.JOURNALLER ? ForcePolicy.everyBatch() :
            ForcePolicy.bounded(2, TimeUnit.MILLISECONDS, 1024 * 1024);
        final JournalConfig config = JournalConfig.builder().segmentSize(1024 * 1024).forcePolicy(policy).build();
        final Disruptor<OrderEvent> disruptor = new Disruptor<>(OrderEvent::new, 1024,
            DaemonThreadFactory.INSTANCE, ProducerType.SINGLE,
            new LiteTimeoutBlockingWaitStrategy(500, TimeUnit.MICROSECONDS));
        final JournallingEventHandler<OrderEvent> journaller =
            JournallingEventHandler.open(directory, config, new OrderSerializer());
        final long[] seen = new long[3];
        // Disruptor.shutdown waits only for what the consumers it gates on have reached; wait for the business
        // logic itself, which also makes its counts visible to this thread
        final java.util.concurrent.CountDownLatch allSeen = new java.util.concurrent.CountDownLatch(1);
        final EventHandler<OrderEvent> businessLogic = (event, sequence, endOfBatch) ->
        {
            if (journaller.durableSequence() < journaller.journalSequence(sequence))
            {
                seen[1]++;
            }
            seen[0]++;
            seen[2] += event.price * event.quantity;
            if (seen[0] == events)
            {
                allSeen.countDown();
            }
        };
        if (gate == Gate.JOURNALLER)
        {
            disruptor.handleEventsWith(journaller).then(businessLogic);
        }
        else
        {
            final RingBuffer<OrderEvent> ring = disruptor.getRingBuffer();
            disruptor.handleEventsWith(journaller);
            final BatchEventProcessor<OrderEvent> gated = new BatchEventProcessorBuilder()
                .build(ring, journaller.durableBarrier(ring), businessLogic);
            disruptor.handleEventsWith(gated);
        }
        final RingBuffer<OrderEvent> ring = disruptor.start();
        for (int i = 0; i < events; i++)
        {
            ring.publishEvent((event, sequence, id) ->
            {
                event.orderId = id;
                event.price = 100 + id % 7;
                event.quantity = 1 + (int)(id % 3);
            }, (long)i);
        }
        if (events > 0 && !allSeen.await(30, TimeUnit.SECONDS))
        {
            throw new IllegalStateException("business logic saw " + seen[0] + " of " + events + " events in 30 s");
        }
        disruptor.shutdown(30, TimeUnit.SECONDS);
        if (!journaller.awaitClosed(30, TimeUnit.SECONDS))
        {
            throw new IllegalStateException("journaller did not close " + directory + " within 30 s");
        }
        return new Result(events, seen[0], seen[1], seen[2], journaller.durableSequence());
    }

    /**
     * Runs the example from the command line.
     *
     * @param args optional: directory, number of events, gate ({@code journaller} or {@code durable}).
     * @throws Exception if the run fails.
     */
    public static void main(final String[] args) throws Exception
    {
        final Path directory = args.length > 0 ? Paths.get(args[0]) : Files.createTempDirectory("ringwal-example");
        final int events = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        final Gate gate = args.length > 2 ? Gate.valueOf(args[2].toUpperCase(java.util.Locale.ROOT)) :
            Gate.JOURNALLER;
        final long start = System.nanoTime();
        final Result result = run(directory, events, gate);
        final long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.println("journal " + directory + ": " + result + " in " + millis + " ms");
    }
}
