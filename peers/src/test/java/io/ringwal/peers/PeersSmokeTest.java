package io.ringwal.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs every contender for a tiny workload in a forked JVM, exactly as the driver does (its own JVM flags,
 * result line on standard output), and checks that it ran and that read-back counted its records.
 */
class PeersSmokeTest
{
    @TempDir
    static Path dir;

    @BeforeAll
    static void childClasspath() throws Exception
    {
        final String classes = System.getProperty("peers.classes.dir");
        final String file = System.getProperty("peers.classpath.file");
        if (classes != null && file != null && Files.exists(Path.of(file)))
        {
            System.setProperty(PeersMain.CHILD_CLASSPATH_PROPERTY,
                classes + File.pathSeparator + Files.readString(Path.of(file)).trim());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ringwal-never", "ringwal-bounded", "ringwal-every-batch", "ringwal-every-batch-direct",
        "chronicle", "chronicle-sync1000", "aeron-archive", "aeron-archive-sync2", "log4j-mmap", "log4j-raf",
        "naive-mmap", "group-commit", "group-commit-reused", "plain-copy"})
    void shouldRunAndReadBackEachContenderWhenTwoProducersPublishAFewThousandRecords(final String contender)
        throws Exception
    {
        final Workload workload = new Workload(2, 64, 5_000, 0, 0, 2_000);

        final RunResult result = PeersMain.fork(contender, workload, dir.resolve(contender), "256m", null);

        assertThat(result.verdict()).as(result.toString()).doesNotStartWith("FAILED");
        assertThat(result.contender()).isEqualTo(contender);
        assertThat(result.published()).isEqualTo(4000);
        assertThat(result.syncedMbPerSec()).isPositive();
        assertThat(result.diskBytesWritten() < 0).isEqualTo(Double.isNaN(result.diskPerPayload()));
        if (contender.startsWith("log4j"))
        {
            // Log4j is a peer under test, not ours: it may lose or reorder records (that is a finding, reported
            // by the driver), but read-back must have found its file and counted lines.
            assertThat(result.read()).isPositive();
        }
        else
        {
            assertThat(result.verdict()).as(result.problem()).isEqualTo("ok");
            assertThat(result.ok()).isTrue();
            assertThat(result.read()).isEqualTo(4000);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ringwal-every-batch", "chronicle-sync1000", "naive-mmap", "group-commit-reused",
        "aeron-archive-sync2"})
    void shouldRecordCallAndCompletionLatencyWhenPacedAtAnOfferedRate(final String contender) throws Exception
    {
        final Workload workload = new Workload(1, 1024, 300, 100, 10_000, 0);
        final Path hgrm = dir.resolve("hgrm-" + contender);

        final RunResult result = PeersMain.fork(contender, workload, dir.resolve(contender + "-lat"),
            "256m", hgrm.toString());

        assertThat(result.verdict()).as(result.toString()).isEqualTo("ok");
        assertThat(result.call().count()).isPositive();
        assertThat(result.complete().count()).isPositive();
        assertThat(result.complete().p99us()).isPositive();
        assertThat(Path.of(hgrm + "-completion.hgrm")).exists();
        assertThat(SvgPlot.parse(Path.of(hgrm + "-call.hgrm"))).isNotEmpty();
    }
}
