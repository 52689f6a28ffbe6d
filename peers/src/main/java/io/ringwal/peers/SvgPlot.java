package io.ringwal.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Writes an HdrHistogram-style latency percentile plot as SVG from {@code .hgrm} files (HdrHistogram's
 * {@code outputPercentileDistribution} text): the percentile axis is logarithmic in {@code 1/(1-p)} (0%, 90%,
 * 99%, 99.9%, ...), the latency axis logarithmic in microseconds; one line per file, named by the file.
 * HdrHistogram itself writes that text but draws no plot (its plotter is a web page), so the docs' plots are drawn
 * here, with no library.
 *
 * <pre>
 * SvgPlot [DIR]     every DIR/plot/CELL-KIND/ (a directory of .hgrm files) becomes DIR/peers-CELL-KIND.svg
 * </pre>
 */
@Command(name = "SvgPlot", description = "Regenerates the latency plots of a report directory from its .hgrm files: every " +
        "DIR/plot/CELL-KIND/ becomes DIR/peers-CELL-KIND.svg.")
public final class SvgPlot implements Callable<Integer>
{
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
        "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"};
    private static final int WIDTH = 900;
    private static final int HEIGHT = 520;
    private static final int LEFT = 80;
    private static final int RIGHT = 230;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;
    private static final double MAX_NINES = 6;

    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", defaultValue = "peers/target/peers-report",
        description = "A report directory with a plot/ directory (default: ${DEFAULT-VALUE}).")
    private Path dir;

    /**
     * Creates the command (picocli fills in its options).
     */
    SvgPlot()
    {
    }

    /**
     * Regenerates the plots of a report directory.
     *
     * @param args see the class comment.
     */
    public static void main(final String[] args)
    {
        System.exit(PeersCommandLine.execute(new SvgPlot(), args));
    }

    @Override
    public Integer call() throws IOException
    {
        if (!Files.isDirectory(dir.resolve("plot")))
        {
            throw new ParameterException(spec.commandLine(), "DIR " + dir + " has no plot/ directory of .hgrm files");
        }
        for (final Path svg : writeAll(dir))
        {
            spec.commandLine().getOut().println("wrote " + svg);
        }
        return 0;
    }

    /**
     * The title of a cell's plot.
     *
     * @param cell the cell.
     * @param kind {@code call} or {@code completion}.
     * @return the title.
     */
    static String title(final String cell, final String kind)
    {
        return cell + ": " + (kind.equals("call") ? "publish call" : "publish → complete (from intended send time)") +
            " latency";
    }

    /**
     * Writes the plot of every directory {@code DIR/plot/CELL-KIND} to {@code DIR/peers-CELL-KIND.svg}.
     *
     * @param dir the report directory.
     * @return the plots written.
     * @throws IOException on failure.
     */
    static List<Path> writeAll(final Path dir) throws IOException
    {
        final List<Path> plotDirs;
        try (Stream<Path> list = Files.list(dir.resolve("plot")))
        {
            plotDirs = list.filter(Files::isDirectory).sorted().toList();
        }
        final List<Path> written = new ArrayList<>();
        for (final Path plotDir : plotDirs)
        {
            final String name = plotDir.getFileName().toString();
            final int dash = name.lastIndexOf('-');
            final Path svg = dir.resolve("peers-" + name + ".svg");
            write(plotDir, svg, title(name.substring(0, Math.max(0, dash)), name.substring(dash + 1)));
            written.add(svg);
        }
        return written;
    }

    /**
     * Writes the plot of every {@code .hgrm} file in a directory.
     *
     * @param dir   the directory.
     * @param svg   the output file.
     * @param title the title.
     * @throws IOException on failure.
     */
    public static void write(final Path dir, final Path svg, final String title) throws IOException
    {
        final List<Path> files;
        try (Stream<Path> list = Files.list(dir))
        {
            files = list.filter(f -> f.toString().endsWith(".hgrm")).sorted().toList();
        }
        final List<String> names = new ArrayList<>();
        final List<double[][]> series = new ArrayList<>();
        double minY = Double.MAX_VALUE;
        double maxY = 0;
        for (final Path f : files)
        {
            final double[][] points = parse(f);
            if (points.length == 0)
            {
                continue;
            }
            names.add(f.getFileName().toString().replace(".hgrm", ""));
            series.add(points);
            for (final double[] p : points)
            {
                minY = Math.min(minY, Math.max(p[1], 0.01));
                maxY = Math.max(maxY, p[1]);
            }
        }
        final double lo = Math.floor(Math.log10(minY == Double.MAX_VALUE ? 0.1 : minY));
        final double hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(maxY, 0.1))));
        final int plotW = WIDTH - LEFT - RIGHT;
        final int plotH = HEIGHT - TOP - BOTTOM;
        final StringBuilder sb = new StringBuilder(64 * 1024);
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" " +
            "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        sb.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"25\" font-size=\"15\" font-weight=\"bold\">%s</text>%n",
            LEFT, escape(title)));
        final String[] xLabels = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%", "99.9999%"};
        for (int i = 0; i <= MAX_NINES; i++)
        {
            final double x = LEFT + plotW * i / MAX_NINES;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n",
                x, TOP, x, TOP + plotH));
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x,
                TOP + plotH + 18, xLabels[i]));
        }
        for (double d = lo; d <= hi; d++)
        {
            final double y = TOP + plotH - plotH * (d - lo) / (hi - lo);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                LEFT, y, LEFT + plotW, y));
            final double v = Math.pow(10, d);
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                LEFT - 6, y + 4, v >= 1 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%s", v)));
        }
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" " +
            "stroke=\"#444\"/>%n", LEFT, TOP, plotW, plotH));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">percentile</text>%n",
            LEFT + plotW / 2, HEIGHT - 15));
        sb.append(String.format(Locale.ROOT, "<text x=\"18\" y=\"%d\" text-anchor=\"middle\" " +
            "transform=\"rotate(-90 18 %d)\">latency (µs, log scale)</text>%n", TOP + plotH / 2, TOP + plotH / 2));
        for (int s = 0; s < series.size(); s++)
        {
            final String colour = COLOURS[s % COLOURS.length];
            sb.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(colour).append("\" points=\"");
            for (final double[] p : series.get(s))
            {
                final double nines = Math.min(MAX_NINES, p[0] >= 1.0 ? MAX_NINES : Math.log10(1 / (1 - p[0])));
                final double x = LEFT + plotW * nines / MAX_NINES;
                final double y = TOP + plotH - plotH * (Math.log10(Math.max(p[1], 0.01)) - lo) / (hi - lo);
                sb.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, Math.min(TOP + plotH, Math.max(TOP, y))));
            }
            sb.append("\"/>\n");
            final int ly = TOP + 10 + 20 * s;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" " +
                "stroke-width=\"3\"/>%n", LEFT + plotW + 12, ly, LEFT + plotW + 36, ly, colour));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", LEFT + plotW + 42, ly + 4,
                escape(names.get(s))));
        }
        sb.append("</svg>\n");
        Files.createDirectories(svg.toAbsolutePath().getParent());
        Files.writeString(svg, sb.toString());
    }

    /**
     * Reads the (percentile, value) points of an .hgrm file.
     *
     * @param file the file.
     * @return the points: {percentile as a fraction, value}.
     * @throws IOException on failure.
     */
    public static double[][] parse(final Path file) throws IOException
    {
        final List<double[]> points = new ArrayList<>();
        for (final String line : Files.readAllLines(file))
        {
            final String[] cols = line.trim().split("\\s+");
            if (cols.length != 4 || line.startsWith("#"))
            {
                continue;
            }
            try
            {
                points.add(new double[] {Double.parseDouble(cols[1]), Double.parseDouble(cols[0])});
            }
            catch (final NumberFormatException ex)
            {
                // a header line
            }
        }
        return points.toArray(new double[0][]);
    }

    private static String escape(final String s)
    {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
