package io.ringwal.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class SvgPlotTest
{
    private static final Path DOCS = Path.of(System.getProperty("user.dir")).getParent()
        .resolve("docs/results/2026-11-29-peers-full-loaded");

    @TempDir
    Path dir;

    private static void hgrm(final Path file, final long nanosStep) throws Exception
    {
        final Histogram h = new Histogram(60_000_000_000L, 3);
        for (int i = 1; i <= 100_000; i++)
        {
            h.recordValue(i * nanosStep);
        }
        Files.createDirectories(file.getParent());
        try (PrintStream out = new PrintStream(Files.newOutputStream(file), false, "US-ASCII"))
        {
            h.outputPercentileDistribution(out, 5, 1000.0);
        }
    }

    @Test
    void shouldRegenerateTheCommittedDocsPlotsFromTheCommittedHgrmFilesUnchanged() throws Exception
    {
        try (Stream<Path> walk = Files.walk(DOCS.resolve("plot")))
        {
            for (final Path from : walk.filter(Files::isRegularFile).toList())
            {
                final Path to = dir.resolve(DOCS.relativize(from).toString());
                Files.createDirectories(to.getParent());
                Files.copy(from, to);
            }
        }

        final List<Path> written = SvgPlot.writeAll(dir);

        assertThat(written).isNotEmpty();
        for (final Path svg : written)
        {
            assertThat(Files.readString(svg)).as(svg.toString())
                .isEqualTo(Files.readString(DOCS.resolve(svg.getFileName().toString())));
        }
    }

    @Test
    void shouldDrawOneLinePerHgrmFileOnLogarithmicAxesWithAnEscapedTitle() throws Exception
    {
        final Path plot = dir.resolve("plot/cell-call");
        hgrm(plot.resolve("fast.hgrm"), 10);
        hgrm(plot.resolve("slow.hgrm"), 1_000);
        Files.writeString(plot.resolve("notes.txt"), "not a histogram");
        final Path svg = dir.resolve("out.svg");

        SvgPlot.write(plot, svg, "a <b> & c");

        final Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile());
        final NodeList lines = doc.getElementsByTagName("polyline");
        assertThat(lines.getLength()).isEqualTo(2);
        assertThat(Files.readString(svg)).contains(">a &lt;b&gt; &amp; c<").contains(">fast<").contains(">slow<")
            .contains(">99.9%<").contains(">1,000<");
        final String[] first = ((Element)lines.item(0)).getAttribute("points").trim().split(" ");
        final String[] last = ((Element)lines.item(1)).getAttribute("points").trim().split(" ");
        // the slow line's top percentile (about 100 ms) lies above (smaller y) the fast one's (about 1 ms)
        assertThat(Double.parseDouble(last[last.length - 1].split(",")[1]))
            .isLessThan(Double.parseDouble(first[first.length - 1].split(",")[1]));
    }

    @Test
    void shouldReadThePercentilesAndValuesOfAnHgrmFile() throws Exception
    {
        final Path file = dir.resolve("a.hgrm");
        hgrm(file, 1_000);

        final double[][] points = SvgPlot.parse(file);

        assertThat(points).isNotEmpty();
        assertThat(points[0][0]).isEqualTo(0.0);
        assertThat(points[0][1]).isCloseTo(1.0, within(0.01));
        assertThat(points[points.length - 1][0]).isGreaterThan(0.999);
        assertThat(points[points.length - 1][1]).isBetween(99_000.0, 101_000.0);
    }

    @Test
    void shouldTitleACellsPlotByItsKind()
    {
        assertThat(SvgPlot.title("latency-100k-1KiB", "call")).isEqualTo("latency-100k-1KiB: publish call latency");
        assertThat(SvgPlot.title("latency-100k-1KiB", "completion"))
            .isEqualTo("latency-100k-1KiB: publish → complete (from intended send time) latency");
    }
}
