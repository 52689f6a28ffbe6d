package io.ringwal.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.journal.ForcePolicy;

class SettingsTest
{
    @TempDir
    Path tmp;

    @Test
    void shouldParseSizesWithBinaryUnits()
    {
        assertThat(Settings.parseSize("s", "65536")).isEqualTo(65536);
        assertThat(Settings.parseSize("s", "64KiB")).isEqualTo(64 * 1024);
        assertThat(Settings.parseSize("s", "64 mb")).isEqualTo(64L << 20);
        assertThat(Settings.parseSize("s", "10GiB")).isEqualTo(10L << 30);
    }

    @Test
    void shouldNameTheAttributeWhenASizeIsBad()
    {
        assertThatThrownBy(() -> Settings.parseSize("maxTotalSize", "ten gigs"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxTotalSize='ten gigs'");
        assertThatThrownBy(() -> Settings.parseIntSize("segmentSize", "2GiB"))
            .hasMessageContaining("segmentSize='2GiB' is larger than 1 GiB");
    }

    @Test
    void shouldParseDurations()
    {
        assertThat(Settings.parseDurationNanos("d", "250ms")).isEqualTo(TimeUnit.MILLISECONDS.toNanos(250));
        assertThat(Settings.parseDurationNanos("d", "7d")).isEqualTo(TimeUnit.DAYS.toNanos(7));
        assertThatThrownBy(() -> Settings.parseDurationNanos("maxAge", "7 weeks"))
            .hasMessageContaining("maxAge='7 weeks' is not a duration");
    }

    @Test
    void shouldParseForcePoliciesWithTheCoreParser()
    {
        assertThat(Settings.parseForcePolicy("forcePolicy", "bounded:10ms:1048576").toString())
            .isEqualTo("bounded:10ms:1048576");
        assertThat(Settings.parseForcePolicy("forcePolicy", "never")).isSameAs(ForcePolicy.never());
        assertThatThrownBy(() -> Settings.parseForcePolicy("forcePolicy", "sometimes"))
            .hasMessageStartingWith("forcePolicy: force policy 'sometimes' is not one of");
    }

    @Test
    void shouldRefuseDurableModeWhenTheForcePolicyNeverForces()
    {
        assertThatThrownBy(() -> LogJournalConfig.builder(tmp).forcePolicy("never").durable(true).build())
            .hasMessageContaining("durable=true needs a force policy that forces");
    }

    @Test
    void shouldDefaultTheSlotSizeTo256CappedAtTheLineSizeAndRefuseOneLargerThanTheLine()
    {
        assertThat(LogJournalConfig.builder(tmp).build().slotSize()).isEqualTo(256);
        assertThat(LogJournalConfig.builder(tmp).maxLineSize("100").build().slotSize()).isEqualTo(100);
        assertThat(LogJournalConfig.builder(tmp).slotSize("1KiB").build().slotSize()).isEqualTo(1024);
        assertThatThrownBy(() -> LogJournalConfig.builder(tmp).maxLineSize("1KiB").slotSize("2KiB").build())
            .hasMessageContaining("slotSize=2048 must be from 1 byte to maxLineSize=1024");
        assertThatThrownBy(() -> LogJournalConfig.builder(tmp).slotSize("big").build())
            .hasMessageContaining("slotSize");
    }

    @Test
    void shouldRefuseARingSizeThatIsNotAPowerOfTwo()
    {
        assertThatThrownBy(() -> LogJournalConfig.builder(tmp).ringSize(1000).build())
            .hasMessageContaining("ringSize=1000 must be a power of two");
        assertThatThrownBy(() -> LogJournalConfig.builder(tmp).waitStrategy("lazy").build())
            .hasMessageContaining("waitStrategy='lazy' is not one of");
        assertThatThrownBy(() -> LogJournalConfig.builder(tmp).ringFull("block").build())
            .hasMessageContaining("ringFull='block' is not one of: wait, drop");
    }

    @Test
    void shouldDeleteTheOldestSegmentsWhenTheJournalExceedsItsTotalSize() throws Exception
    {
        final Path dir = tmp.resolve("journal");
        final LogJournalConfig config = LogJournalConfig.builder(dir).segmentSize("64KiB").maxLineSize("1KiB")
            .ringSize(64).forcePolicy("never").maxTotalSize("256KiB").retentionInterval("1h").build();
        final LogJournal journal = LogJournals.acquire("test", config, (message, cause) -> { });
        try
        {
            final byte[] line = new byte[1000];
            for (int i = 0; i < 2000; i++)
            {
                assertThat(journal.append((buffer, arg) ->
                {
                    buffer.putBytes(0, arg);
                    return arg.length;
                }, line)).isEqualTo(LogJournal.APPENDED);
            }
            while (journal.writtenLines() < 2000)
            {
                Thread.onSpinWait();
            }
            assertThat(journal.runRetention()).isNotEmpty();
            long total = 0;
            try (var files = Files.list(dir))
            {
                for (final Path file : (Iterable<Path>)files.filter(f -> f.toString().endsWith(".seg"))::iterator)
                {
                    total += Files.size(file);
                }
            }
            assertThat(total).isLessThanOrEqualTo(256 * 1024);
        }
        finally
        {
            LogJournals.release(journal, null);
        }
    }
}
