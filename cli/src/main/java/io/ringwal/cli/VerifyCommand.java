package io.ringwal.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.ringwal.journal.SegmentChain;
import io.ringwal.tool.JournalVerifier;
import io.ringwal.tool.VerifyReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ringwal verify DIR}: checks a journal with {@link JournalVerifier} and prints what it found. Read-only.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
        "Check a journal without changing anything.",
        "Checks every segment header, the segment chain, and every frame's length, sequence and CRC32C (the " +
            "checks recovery makes on open). Prints segments, records, first and last sequence, bytes, and the " +
            "torn tail of the last segment if any (recovery would cut it; not damage).",
        "Checks every seek index file (*.seg.idx) as a reader does before using it (layout, CRC, its segment's " +
            "identity) and each entry against the frames: it must name where a frame starts, with that frame's " +
            "sequence. An index whose segment is gone is reported too. A wrong index is a warning, not damage " +
            "(readers then walk the frames); verify never deletes it."
    },
    footer = {
        "",
        "Examples:",
        "  ./ringwal verify ringwal-data/load-20250101-120000",
        "  ./ringwal verify /var/lib/app/journal && echo intact",
        "  ./ringwal verify /var/lib/app/journal --json         one JSON object",
        "",
        "Exit codes: 0 intact (a torn tail and seek index warnings are printed but allowed), 1 damaged (the " +
            "first damage is printed with its file and byte offset) or a file could not be read, 2 bad arguments: " +
            "DIR missing, not a directory, or without segment files."
    })
public final class VerifyCommand implements Callable<Integer>, RingwalSubcommand
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The journal directory.")
    private Path dir;

    @Option(names = "--json", description = "Print one JSON object instead of the text report (same exit codes).")
    private boolean json;

    /**
     * Creates the command (picocli fills in its options).
     */
    public VerifyCommand()
    {
    }

    @Override
    public Integer call()
    {
        JournalDirectories.requireJournal(spec.commandLine(), dir);
        final VerifyReport report = JournalVerifier.verify(dir);
        final PrintWriter out = spec.commandLine().getOut();
        if (json)
        {
            out.println(toJson(report));
            out.flush();
            return report.damage() == null ? 0 : RingwalCommand.EXIT_FAILED;
        }
        out.printf(Locale.ROOT, "journal     %s (journal id 0x%016x)%n", dir.toAbsolutePath(), report.journalId());
        final List<Path> segments = report.segmentFiles();
        out.printf(Locale.ROOT, "segments    %d%s, %,d bytes%n", segments.size(), segments.isEmpty() ? "" :
            " (" + name(segments.get(0)) + (segments.size() > 1 ? " .. " + name(segments.get(segments.size() - 1)) :
            "") + ")", report.segmentBytes());
        out.printf(Locale.ROOT, "records     %,d%s%n", report.records(), report.records() > 0 ?
            String.format(Locale.ROOT, ", sequences %d .. %d", report.firstSequence(), report.lastSequence()) : "");
        out.printf(Locale.ROOT, "frame bytes %,d%n", report.frameBytes());
        if (!report.tempFiles().isEmpty())
        {
            out.println("temp files  " + report.tempFiles() + " (segments being prepared; not part of the journal)");
        }
        if (!report.otherFiles().isEmpty())
        {
            out.println("other files " + report.otherFiles() + " (ignored)");
        }
        final List<VerifyReport.SeekIndexWarning> warnings = report.seekIndexWarnings();
        out.printf(Locale.ROOT, "seek index  %d %s checked, %s%n", report.seekIndexesChecked(),
            report.seekIndexesChecked() == 1 ? "file" : "files", warnings.isEmpty() ? "all valid" :
            warnings.size() + (warnings.size() == 1 ? " warning" : " warnings") +
            " (not damage: readers walk the frames instead)");
        for (final VerifyReport.SeekIndexWarning warning : warnings)
        {
            out.println("warning     " + warning);
        }
        final VerifyReport.TornTail torn = report.tornTail();
        out.println("closed      " + (report.closedCleanly() ? "cleanly (ends with a close marker)" :
            "not cleanly: a writer has it open, it crashed, or its last segment is full"));
        out.println("torn tail   " + (torn == null ? "none" : torn.file() + " at byte offset " + torn.offset() +
            " (" + torn.bytes() + " bytes): " + torn.what() + "; recovery cuts it on the next open"));
        final SegmentChain.Damage damage = report.damage();
        if (damage == null)
        {
            out.println("result      INTACT" + (warnings.isEmpty() ? "" : " (with the seek index " +
                (warnings.size() == 1 ? "warning" : "warnings") + " above)"));
            out.flush();
            return 0;
        }
        out.println("result      DAMAGED at " + damage.file() + " byte offset " + damage.offset() + ": " +
            damage.what() + " (counts above cover the journal before it)");
        out.flush();
        return RingwalCommand.EXIT_FAILED;
    }

    private String toJson(final VerifyReport report)
    {
        final StringBuilder sb = new StringBuilder(512);
        final SegmentChain.Damage damage = report.damage();
        sb.append("{\"directory\":").append(JsonText.quote(dir.toAbsolutePath().toString()))
            .append(",\"result\":").append(damage == null ? "\"intact\"" : "\"damaged\"")
            .append(",\"journalId\":").append(JsonText.quote(String.format(Locale.ROOT, "0x%016x",
            report.journalId())))
            .append(",\"segments\":").append(report.segmentFiles().size())
            .append(",\"firstSegment\":").append(report.segmentFiles().isEmpty() ? "null" :
            JsonText.quote(name(report.segmentFiles().get(0))))
            .append(",\"lastSegment\":").append(report.segmentFiles().isEmpty() ? "null" :
            JsonText.quote(name(report.segmentFiles().get(report.segmentFiles().size() - 1))))
            .append(",\"segmentBytes\":").append(report.segmentBytes())
            .append(",\"records\":").append(report.records())
            .append(",\"firstSequence\":").append(report.records() > 0 ? report.firstSequence() : "null")
            .append(",\"lastSequence\":").append(report.records() > 0 ? report.lastSequence() : "null")
            .append(",\"frameBytes\":").append(report.frameBytes());
        appendNames(sb, "tempFiles", report.tempFiles());
        appendNames(sb, "otherFiles", report.otherFiles());
        sb.append(",\"seekIndexesChecked\":").append(report.seekIndexesChecked()).append(",\"seekIndexWarnings\":[");
        final List<VerifyReport.SeekIndexWarning> warnings = report.seekIndexWarnings();
        for (int i = 0; i < warnings.size(); i++)
        {
            final VerifyReport.SeekIndexWarning warning = warnings.get(i);
            sb.append(i == 0 ? "" : ",").append("{\"file\":").append(JsonText.quote(warning.file().toString()))
                .append(",\"entry\":").append(warning.entry())
                .append(",\"indexOffset\":").append(warning.indexOffset())
                .append(",\"problem\":").append(JsonText.quote(warning.what())).append('}');
        }
        sb.append("],\"closedCleanly\":").append(report.closedCleanly());
        final VerifyReport.TornTail torn = report.tornTail();
        sb.append(",\"tornTail\":");
        if (torn == null)
        {
            sb.append("null");
        }
        else
        {
            sb.append("{\"file\":").append(JsonText.quote(torn.file().toString()))
                .append(",\"offset\":").append(torn.offset())
                .append(",\"bytes\":").append(torn.bytes())
                .append(",\"problem\":").append(JsonText.quote(torn.what())).append('}');
        }
        sb.append(",\"damage\":");
        if (damage == null)
        {
            sb.append("null");
        }
        else
        {
            sb.append("{\"file\":").append(JsonText.quote(damage.file().toString()))
                .append(",\"offset\":").append(damage.offset())
                .append(",\"problem\":").append(JsonText.quote(damage.what())).append('}');
        }
        return sb.append('}').toString();
    }

    private static void appendNames(final StringBuilder sb, final String field, final List<Path> files)
    {
        sb.append(",\"").append(field).append("\":[");
        for (int i = 0; i < files.size(); i++)
        {
            sb.append(i == 0 ? "" : ",").append(JsonText.quote(files.get(i).toString()));
        }
        sb.append(']');
    }

    private static String name(final Path path)
    {
        return path.getFileName().toString();
    }
}
