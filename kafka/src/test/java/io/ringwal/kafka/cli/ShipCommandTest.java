package io.ringwal.kafka.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.journal.ReaderPosition;
import io.ringwal.kafka.testing.JournalLoad;
import io.ringwal.kafka.testing.KafkaBroker;
import io.ringwal.kafka.testing.TopicVerifier;
import io.ringwal.testing.ChildJvm;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

class ShipCommandTest
{
    @TempDir
    Path temp;

    private Path dir;

    private final StringWriter err = new StringWriter();

    @org.junit.jupiter.api.BeforeEach
    void journalDirectory()
    {
        dir = temp.resolve("journal");
    }

    @Test
    void shouldShipUpToUntilAndExitZeroPrintingWhereItStarted() throws Exception
    {
        final KafkaBroker broker = KafkaBroker.shared();
        broker.createTopic("command", 1);
        writeJournal(500);
        assertThat(run(dir.toString(), "--bootstrap-servers", broker.bootstrapServers(), "--topic", "command",
            "--until", "500", "--name", "cmd")).as(err.toString()).isZero();
        assertThat(err.toString())
            .contains("ringwal ship: shipping from sequence 0")
            .contains("500 records")
            .contains("next sequence 500")
            .contains("stopped: --until reached");
        assertThat(ReaderPosition.read(ReaderPosition.file(dir, "cmd")).nextSequence()).isEqualTo(500);
        try (TopicVerifier verifier = new TopicVerifier(broker.bootstrapServers(), "command", dir, 0))
        {
            verifier.verifyUpTo(500, java.time.Duration.ofSeconds(30));
        }
    }

    @Test
    void shouldCommitWhatItSentAndPrintTheSummaryWhenStoppedBySigterm() throws Exception
    {
        final KafkaBroker broker = KafkaBroker.shared();
        broker.createTopic("sigterm", 1);
        writeJournal(2_000);
        try (ChildJvm shipper = ChildJvm.start(ShipCommand.class, List.of(), dir.toString(),
            "--bootstrap-servers", broker.bootstrapServers(), "--topic", "sigterm", "--progress-interval", "0"))
        {
            shipper.awaitLine("ringwal ship: shipping from sequence 0", 60, TimeUnit.SECONDS);
            Thread.sleep(1_000);
            // SIGTERM through the handle: Process.destroy() would also close our end of the child's output
            shipper.process().toHandle().destroy();
            assertThat(shipper.awaitExit(60, TimeUnit.SECONDS)).isEqualTo(143);
            final java.util.regex.Matcher summary = java.util.regex.Pattern.compile(
                "ringwal ship: (\\d+) records .* next sequence (\\d+), .*stopped: signal").matcher(shipper.output());
            assertThat(summary.find()).as(shipper.output()).isTrue();
            final long next = Long.parseLong(summary.group(2));
            assertThat(Long.parseLong(summary.group(1))).isEqualTo(next);
            // what the summary says was shipped is in the position file and in the topic, once
            assertThat(ReaderPosition.read(ReaderPosition.file(dir, "sigterm")).nextSequence()).isEqualTo(next);
            try (TopicVerifier verifier = new TopicVerifier(broker.bootstrapServers(), "sigterm", dir, 0))
            {
                verifier.verifyUpTo(next, java.time.Duration.ofSeconds(30));
            }
        }
    }

    @Test
    void shouldExitOneNamingTheBrokerWhenNothingListens() throws Exception
    {
        writeJournal(10);
        final int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            port = socket.getLocalPort();
        }
        final long start = System.nanoTime();
        assertThat(run(dir.toString(), "--bootstrap-servers", "127.0.0.1:" + port, "--topic", "t",
            "--connect-timeout", "2")).isEqualTo(1);
        assertThat(err.toString()).contains("cannot reach Kafka at 127.0.0.1:" + port);
        assertThat(System.nanoTime() - start).isLessThan(30_000_000_000L);
    }

    @Test
    void shouldExitOneNamingTheTopicWhenItDoesNotExist() throws Exception
    {
        final KafkaBroker broker = KafkaBroker.shared();
        writeJournal(10);
        assertThat(run(dir.toString(), "--bootstrap-servers", broker.bootstrapServers(), "--topic", "missing"))
            .isEqualTo(1);
        assertThat(err.toString()).contains("topic missing does not exist on " + broker.bootstrapServers());
    }

    @Test
    void shouldExitTwoWhenArgumentsAreBad() throws Exception
    {
        assertThat(run(temp.resolve("nope").toString(), "--bootstrap-servers", "127.0.0.1:1", "--topic", "t"))
            .isEqualTo(2);
        assertThat(err.toString()).contains("no such directory");
        Files.createDirectories(temp.resolve("empty"));
        assertThat(run(temp.resolve("empty").toString(), "--bootstrap-servers", "127.0.0.1:1", "--topic", "t"))
            .isEqualTo(2);
        assertThat(err.toString()).contains("is not a journal directory");
        writeJournal(1);
        assertThat(run(dir.toString(), "--topic", "t")).isEqualTo(2);
        assertThat(err.toString()).contains("--bootstrap-servers");
        assertThat(run(dir.toString(), "--bootstrap-servers", "127.0.0.1:1", "--topic", "bad topic")).isEqualTo(2);
        assertThat(err.toString()).contains("not a valid Kafka topic name");
        assertThat(run(dir.toString(), "--bootstrap-servers", "127.0.0.1:1", "--topic", "t", "-X", "acks=1"))
            .isEqualTo(2);
        assertThat(err.toString()).contains("acks is set by the shipper");
        assertThat(run(dir.toString(), "--bootstrap-servers", "127.0.0.1:1", "--topic", "t", "--from", "-1"))
            .isEqualTo(2);
    }

    private void writeJournal(final int records) throws InterruptedException
    {
        try (JournalLoad load = JournalLoad.start(dir, 1, records, 0, 20))
        {
            load.finish();
        }
    }

    private int run(final String... args)
    {
        final CommandLine commandLine = ShipCommand.commandLine();
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }
}
