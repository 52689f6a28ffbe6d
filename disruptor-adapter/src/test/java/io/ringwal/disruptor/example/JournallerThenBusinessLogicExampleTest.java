package io.ringwal.disruptor.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.ringwal.disruptor.example.JournallerThenBusinessLogicExample.Gate;
import io.ringwal.disruptor.example.JournallerThenBusinessLogicExample.Result;
import io.ringwal.journal.JournalReader;

class JournallerThenBusinessLogicExampleTest
{
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Gate.class)
    void shouldShowBusinessLogicOnlyDurableEventsAndJournalEveryOne(final Gate gate) throws Exception
    {
        final int events = 50_000;
        final Result result = JournallerThenBusinessLogicExample.run(dir, events, gate);

        assertThat(result.processed()).isEqualTo(events);
        assertThat(result.notDurableWhenSeen()).isZero();
        assertThat(result.durableSequence()).isEqualTo(events - 1);
        long notional = 0;
        for (long id = 0; id < events; id++)
        {
            notional += (100 + id % 7) * (1 + id % 3);
        }
        assertThat(result.notional()).isEqualTo(notional);

        final long[] count = {0};
        try (JournalReader reader = JournalReader.open(dir, 0))
        {
            while (reader.poll((sequence, buffer, offset, length) ->
            {
                assertThat(length).isEqualTo(JournallerThenBusinessLogicExample.OrderSerializer.LENGTH);
                assertThat(buffer.getLong(offset)).isEqualTo(sequence);
                assertThat(buffer.getLong(offset + 8)).isEqualTo(100 + sequence % 7);
                count[0]++;
            }, 10_000) > 0)
            {
                // drain
            }
        }
        assertThat(count[0]).isEqualTo(events);
    }

    @Test
    void shouldLiveInTheTestClassesSoThatTheAdapterJarDoesNotShipIt() throws Exception
    {
        final Path location = Path.of(JournallerThenBusinessLogicExample.class.getProtectionDomain().getCodeSource()
            .getLocation().toURI());

        assertThat(location.getFileName().toString()).isEqualTo("test-classes");
        assertThat(Path.of(System.getProperty("user.dir"), "target", "classes", "io", "ringwal", "disruptor",
            "example")).doesNotExist();
    }

    @Test
    void shouldRunFromMain() throws Exception
    {
        JournallerThenBusinessLogicExample.main(new String[] {dir.toString(), "1000", "durable"});
        try (JournalReader reader = JournalReader.open(dir, 0))
        {
            int total = 0;
            int n;
            while ((n = reader.poll((sequence, buffer, offset, length) -> { }, 10_000)) > 0)
            {
                total += n;
            }
            assertThat(total).isEqualTo(1000);
        }
    }
}
