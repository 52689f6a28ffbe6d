package io.ringwal.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict little JSON parser for the tests (objects, arrays, strings with escapes, numbers, true/false/null), so
 * that the CLI's JSON is checked by parsing it rather than by matching text.
 */
public final class MiniJson
{
    private final String text;
    private int pos;

    private MiniJson(final String text)
    {
        this.text = text;
    }

    public static Object parse(final String text)
    {
        final MiniJson parser = new MiniJson(text);
        final Object value = parser.value();
        parser.skipSpace();
        if (parser.pos != text.length())
        {
            throw new IllegalArgumentException("trailing text at " + parser.pos + ": " + text.substring(parser.pos));
        }
        return value;
    }

    private Object value()
    {
        skipSpace();
        final char ch = peek();
        switch (ch)
        {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return string();
            case 't':
                expect("true");
                return Boolean.TRUE;
            case 'f':
                expect("false");
                return Boolean.FALSE;
            case 'n':
                expect("null");
                return null;
            default:
                return number();
        }
    }

    private Map<String, Object> object()
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        pos++;
        skipSpace();
        if (peek() == '}')
        {
            pos++;
            return map;
        }
        while (true)
        {
            skipSpace();
            final String key = string();
            skipSpace();
            expect(":");
            if (map.put(key, value()) != null)
            {
                throw new IllegalArgumentException("duplicate key " + key);
            }
            skipSpace();
            if (peek() == ',')
            {
                pos++;
                continue;
            }
            expect("}");
            return map;
        }
    }

    private List<Object> array()
    {
        final List<Object> list = new ArrayList<>();
        pos++;
        skipSpace();
        if (peek() == ']')
        {
            pos++;
            return list;
        }
        while (true)
        {
            list.add(value());
            skipSpace();
            if (peek() == ',')
            {
                pos++;
                continue;
            }
            expect("]");
            return list;
        }
    }

    private String string()
    {
        expect("\"");
        final StringBuilder sb = new StringBuilder();
        while (true)
        {
            final char ch = text.charAt(pos++);
            if (ch == '"')
            {
                return sb.toString();
            }
            if (ch < 0x20)
            {
                throw new IllegalArgumentException("control character in string at " + pos);
            }
            if (ch != '\\')
            {
                sb.append(ch);
                continue;
            }
            final char esc = text.charAt(pos++);
            switch (esc)
            {
                case '"':
                case '\\':
                case '/':
                    sb.append(esc);
                    break;
                case 'n':
                    sb.append('\n');
                    break;
                case 't':
                    sb.append('\t');
                    break;
                case 'r':
                    sb.append('\r');
                    break;
                case 'b':
                    sb.append('\b');
                    break;
                case 'f':
                    sb.append('\f');
                    break;
                case 'u':
                    sb.append((char)Integer.parseInt(text.substring(pos, pos + 4), 16));
                    pos += 4;
                    break;
                default:
                    throw new IllegalArgumentException("bad escape at " + pos);
            }
        }
    }

    private Double number()
    {
        final int start = pos;
        while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0)
        {
            pos++;
        }
        if (start == pos)
        {
            throw new IllegalArgumentException("unexpected '" + peek() + "' at " + pos);
        }
        return Double.valueOf(text.substring(start, pos));
    }

    private void expect(final String token)
    {
        if (!text.startsWith(token, pos))
        {
            throw new IllegalArgumentException("expected " + token + " at " + pos);
        }
        pos += token.length();
    }

    private char peek()
    {
        if (pos >= text.length())
        {
            throw new IllegalArgumentException("unexpected end");
        }
        return text.charAt(pos);
    }

    private void skipSpace()
    {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos)))
        {
            pos++;
        }
    }
}
