package io.ringwal.kafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.kafka.testing.JournalLoad;
import io.ringwal.kafka.testing.KafkaBroker;
import io.ringwal.kafka.testing.TopicVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stops the broker three times while a shipper ships a journal that several producers are writing (SIGKILL and
 * SIGTERM; down for 2 to 12 s, longer than the producer's max.block.ms) and checks after each restart that the
 * topic holds every sequence it holds exactly once, in order, byte-identical, and that shipping went on.
 */
class BrokerRestartTest
{
    private static KafkaBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker()
    {
        broker = KafkaBroker.shared();
    }

    @Test
    void shouldShipEverySequenceExactlyOnceWhenTheBrokerRestartsThreeTimesMidStream() throws Exception
    {
        final String topic = "broker-restart";
        broker.createTopic(topic, 1);
        final long[] downMillis = {2_000, 12_000, 3_000};
        final boolean[] kill = {true, false, true};
        final List<String> report = new ArrayList<>();
        final long total;
        final KafkaShipper shipper = new KafkaShipper(ShipperConfig.builder(dir, broker.bootstrapServers(), topic)
            .maxTransactionTime(20, TimeUnit.MILLISECONDS)
            .retryBackoff(200, TimeUnit.MILLISECONDS)
            .build());
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread thread = new Thread(() ->
        {
            try
            {
                shipper.run();
            }
            catch (final Throwable ex)
            {
                failure.set(ex);
            }
        }, "shipper");
        try (JournalLoad load = JournalLoad.start(dir, 3, Long.MAX_VALUE, 1_500, 200);
             TopicVerifier verifier = new TopicVerifier(broker.bootstrapServers(), topic, dir, 0))
        {
            thread.start();
            for (int restart = 0; restart < downMillis.length; restart++)
            {
                awaitShipped(shipper, load.published(), failure);
                final long before = shipper.counters().nextSequence();
                broker.stop(kill[restart]);
                Thread.sleep(downMillis[restart]);
                broker.startAgain();
                awaitShipped(shipper, load.published(), failure);
                final long next = verifier.verifyCommitted();
                assertThat(next).isGreaterThan(before);
                report.add(String.format("%s, down %d ms + %d ms start: prefix %d -> %d, %d failures so far",
                    kill[restart] ? "SIGKILL" : "SIGTERM", downMillis[restart], broker.lastStartMillis(), before,
                    next, shipper.counters().failures()));
            }
            load.stop();
            total = load.finish();
            awaitShipped(shipper, total, failure);
            shipper.stop();
            thread.join(30_000);
            verifier.verifyUpTo(total, Duration.ofSeconds(60));
        }
        finally
        {
            shipper.stop();
            thread.join(30_000);
            shipper.close();
        }
        assertThat(failure.get()).isNull();
        System.out.println("broker restarts: " + report + "; " + total + " records; " + shipper.counters());
        assertThat(shipper.counters().failures()).isGreaterThanOrEqualTo(downMillis.length);
        assertThat(shipper.counters().nextSequence()).isEqualTo(total);
    }

    private static void awaitShipped(final KafkaShipper shipper, final long next,
        final AtomicReference<Throwable> failure) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (shipper.counters().nextSequence() < next)
        {
            assertThat(failure.get()).isNull();
            assertThat(System.nanoTime()).as("shipped %d by the deadline: %s", next, shipper.counters())
                .isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
