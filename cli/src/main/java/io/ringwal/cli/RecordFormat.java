package io.ringwal.cli;

import java.io.PrintWriter;
import java.util.Base64;
import java.util.Locale;

import org.agrona.DirectBuffer;

import picocli.CommandLine;

/**
 * How {@code dump} and {@code tail} print a record.
 * <ul>
 *     <li>{@code text}: {@code <sequence> <length> <payload>}, printable ASCII as is, other bytes as {@code \xNN}
 *     (backslash as {@code \\});</li>
 *     <li>{@code hex}: a {@code # sequence <n> length <n>} line, then 16 bytes a line: offset, hex, ASCII;</li>
 *     <li>{@code json}: one JSON object a line: {@code {"sequence":n,"length":n,"payload":"<base64>"}};</li>
 *     <li>{@code lines}: the payload alone, as UTF-8 text, exactly as an appender wrote it (for log journals: one
 *     log line per record, its own newline kept; a newline is added only if the record has none).</li>
 * </ul>
 */
enum RecordFormat
{
    /** Sequence, length, escaped payload on one line. */
    TEXT
    {
        @Override
        void print(
            final PrintWriter out, final StringBuilder sb, final long sequence, final DirectBuffer buffer,
            final int offset, final int length)
        {
            sb.setLength(0);
            sb.append(sequence).append(' ').append(length).append(' ');
            for (int i = 0; i < length; i++)
            {
                final int b = buffer.getByte(offset + i) & 0xFF;
                if (b == '\\')
                {
                    sb.append("\\\\");
                }
                else if (b >= 0x20 && b < 0x7F)
                {
                    sb.append((char)b);
                }
                else
                {
                    sb.append("\\x").append(DIGITS[b >>> 4]).append(DIGITS[b & 0xF]);
                }
            }
            out.println(sb);
        }
    },

    /** A header line, then a classic hex dump. */
    HEX
    {
        @Override
        void print(
            final PrintWriter out, final StringBuilder sb, final long sequence, final DirectBuffer buffer,
            final int offset, final int length)
        {
            out.println("# sequence " + sequence + " length " + length);
            for (int line = 0; line < length; line += 16)
            {
                sb.setLength(0);
                sb.append(String.format(Locale.ROOT, "%08x  ", line));
                final int end = Math.min(length, line + 16);
                for (int i = line; i < line + 16; i++)
                {
                    if (i < end)
                    {
                        final int b = buffer.getByte(offset + i) & 0xFF;
                        sb.append(DIGITS[b >>> 4]).append(DIGITS[b & 0xF]).append(' ');
                    }
                    else
                    {
                        sb.append("   ");
                    }
                    if (i == line + 7)
                    {
                        sb.append(' ');
                    }
                }
                sb.append(" |");
                for (int i = line; i < end; i++)
                {
                    final int b = buffer.getByte(offset + i) & 0xFF;
                    sb.append(b >= 0x20 && b < 0x7F ? (char)b : '.');
                }
                sb.append('|');
                out.println(sb);
            }
        }
    },

    /** One JSON object a line, payload in base64. */
    JSON
    {
        @Override
        void print(
            final PrintWriter out, final StringBuilder sb, final long sequence, final DirectBuffer buffer,
            final int offset, final int length)
        {
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            sb.setLength(0);
            sb.append("{\"sequence\":").append(sequence).append(",\"length\":").append(length)
                .append(",\"payload\":\"").append(Base64.getEncoder().encodeToString(bytes)).append("\"}");
            out.println(sb);
        }
    },

    /** The payload as UTF-8 text, as written (log lines). */
    LINES
    {
        @Override
        void print(
            final PrintWriter out, final StringBuilder sb, final long sequence, final DirectBuffer buffer,
            final int offset, final int length)
        {
            final String text = buffer.getStringWithoutLengthUtf8(offset, length);
            out.print(text);
            if (length == 0 || buffer.getByte(offset + length - 1) != '\n')
            {
                out.println();
            }
        }
    };

    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    /**
     * Prints one record.
     *
     * @param out      where to print.
     * @param sb       a scratch builder.
     * @param sequence the record's sequence.
     * @param buffer   the buffer holding the payload.
     * @param offset   where the payload starts.
     * @param length   its length.
     */
    abstract void print(PrintWriter out, StringBuilder sb, long sequence, DirectBuffer buffer, int offset, int length);

    /** picocli converter: {@code text}, {@code hex}, {@code json}, {@code lines}, any case. */
    static final class Converter implements CommandLine.ITypeConverter<RecordFormat>
    {
        @Override
        public RecordFormat convert(final String value)
        {
            for (final RecordFormat format : values())
            {
                if (format.name().equalsIgnoreCase(value.trim()))
                {
                    return format;
                }
            }
            throw new CommandLine.TypeConversionException("'" + value +
                "' is not a format (text, hex, json, lines)");
        }
    }

    @Override
    public String toString()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
