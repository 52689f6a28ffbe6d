package io.ringwal.peers;

/**
 * What reading a contender's output back found.
 *
 * @param expected   records published.
 * @param read       records read back.
 * @param missing    records published but not found (lost).
 * @param mangled    records read back with wrong content, length or frame check, or duplicated.
 * @param outOfOrder records read back out of their producer's order (duplicates or gaps).
 * @param problem    the first problem found, or null.
 */
public record VerifyResult(long expected, long read, long missing, long mangled, long outOfOrder, String problem)
{
    /**
     * Whether every record came back intact and in order.
     *
     * @return true if correct.
     */
    public boolean ok()
    {
        return missing == 0 && mangled == 0 && outOfOrder == 0 && read == expected;
    }

    /**
     * A short verdict for a table: {@code ok}, or what went wrong.
     *
     * @return the verdict.
     */
    public String verdict()
    {
        if (ok())
        {
            return "ok";
        }
        final StringBuilder sb = new StringBuilder();
        if (missing > 0)
        {
            sb.append("LOST ").append(missing).append(' ');
        }
        if (mangled > 0)
        {
            sb.append("MANGLED ").append(mangled).append(' ');
        }
        if (outOfOrder > 0)
        {
            sb.append("OUT-OF-ORDER ").append(outOfOrder).append(' ');
        }
        if (sb.length() == 0)
        {
            sb.append("READ ").append(read).append(" OF ").append(expected);
        }
        return sb.toString().trim();
    }
}
