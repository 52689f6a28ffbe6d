package io.ringwal.kafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.kafka.cli.ShipCommand;
import io.ringwal.kafka.testing.JournalLoad;
import io.ringwal.kafka.testing.KafkaBroker;
import io.ringwal.kafka.testing.TopicVerifier;
import io.ringwal.testing.ChildJvm;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills {@code ringwal ship} (a child JVM, SIGKILL) at random moments while several producers write the journal
 * and checks after each kill that the topic holds every sequence it holds exactly once, in order, byte-identical;
 * at the end one more shipper ships the rest and the whole journal is in the topic once.
 */
class ShipperKillTest
{
    private static KafkaBroker broker;

    @TempDir
    Path dir;

    private String topic;

    @BeforeAll
    static void startBroker()
    {
        broker = KafkaBroker.shared();
    }

    @Test
    void shouldHoldEverySequenceExactlyOnceAfterEachOfTenKillsOfTheShipper() throws Exception
    {
        killAndCheck("kill-10", 10, 1);
    }

    @Test
    @Tag("slow")
    void shouldHoldEverySequenceExactlyOnceAfterEachOfAHundredKillsOfTheShipper() throws Exception
    {
        killAndCheck("kill-100", 100, 2);
    }

    private void killAndCheck(final String topicName, final int kills, final long seed) throws Exception
    {
        topic = topicName;
        broker.createTopic(topic, 1);
        final SplittableRandom random = new SplittableRandom(seed);
        final List<Long> nextAfterKill = new ArrayList<>();
        final long total;
        final long start = System.nanoTime();
        try (JournalLoad load = JournalLoad.start(dir, 3, Long.MAX_VALUE, 1_500, 200);
             TopicVerifier verifier = new TopicVerifier(broker.bootstrapServers(), topic, dir, 0))
        {
            long previous = 0;
            for (int kill = 0; kill < kills; kill++)
            {
                try (ChildJvm shipper = ship())
                {
                    if (kill % 2 == 1)
                    {
                        // mid-stream: some time after it resumed
                        shipper.awaitLine("ringwal ship: shipping from", 60, TimeUnit.SECONDS);
                        Thread.sleep(random.nextInt(0, 2_000));
                    }
                    else
                    {
                        // anywhere from "JVM starting" through "connecting, fencing, finding the resume point"
                        Thread.sleep(random.nextInt(0, 3_000));
                    }
                    shipper.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                }
                final long next = verifier.verifyCommitted();
                assertThat(next).as("after kill %d", kill + 1).isGreaterThanOrEqualTo(previous);
                nextAfterKill.add(next);
                previous = next;
            }
            load.stop();
            total = load.finish();
            try (ChildJvm shipper = ship("--until", Long.toString(total)))
            {
                assertThat(shipper.awaitExit(120, TimeUnit.SECONDS)).as(shipper.output()).isZero();
            }
            verifier.verifyUpTo(total, Duration.ofSeconds(60));
        }
        final long progressing = nextAfterKill.stream().distinct().count();
        System.out.printf("%d kills in %.1f s; %d records shipped; the topic grew between kills %d times; " +
            "committed prefix after each kill: %s%n", kills, (System.nanoTime() - start) / 1e9, total,
            progressing - 1, nextAfterKill);
        assertThat(progressing).as("kills that left shipped records behind").isGreaterThanOrEqualTo(kills / 3);
    }

    private ChildJvm ship(final String... extra)
    {
        final List<String> args = new ArrayList<>(List.of(dir.toString(),
            "--bootstrap-servers", broker.bootstrapServers(), "--topic", topic, "--max-transaction-ms", "20", "--progress-interval", "0"));
        args.addAll(List.of(extra));
        return ChildJvm.start(ShipCommand.class, List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"),
            args.toArray(String[]::new));
    }
}
