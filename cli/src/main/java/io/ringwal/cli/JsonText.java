package io.ringwal.cli;

import java.util.Locale;

/**
 * JSON string literals for the commands' {@code --json} output (one object per line, written by hand: the
 * operators' tools depend on no JSON library). Public for the other modules' commands ({@code load}).
 */
public final class JsonText
{
    private JsonText()
    {
    }

    /**
     * A JSON string literal.
     *
     * @param text the text, or null.
     * @return the quoted, escaped text, or {@code null} for null.
     */
    public static String quote(final String text)
    {
        if (text == null)
        {
            return "null";
        }
        final StringBuilder sb = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c == '"' || c == '\\')
            {
                sb.append('\\').append(c);
            }
            else if (c < 0x20)
            {
                sb.append(String.format(Locale.ROOT, "\\u%04x", (int)c));
            }
            else
            {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
