package io.ringwal.journal;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Checks once that Agrona can reach {@code jdk.internal.misc.Unsafe}, so that a JVM started without the flag
 * fails at open with a message that says which flag to add, not with a stack trace from inside Agrona.
 */
public final class AgronaAccess
{
    /** The JVM option Agrona 2.x needs. */
    public static final String REQUIRED_JVM_FLAG = "--add-opens java.base/jdk.internal.misc=ALL-UNNAMED";

    private static volatile boolean verified;

    private AgronaAccess()
    {
    }

    /**
     * Throws a clear {@link IllegalStateException} when Agrona's {@code UnsafeBuffer} cannot be used.
     *
     * @throws IllegalStateException if the JVM lacks {@link #REQUIRED_JVM_FLAG}.
     */
    public static void check()
    {
        if (verified)
        {
            return;
        }
        try
        {
            final UnsafeBuffer probe = new UnsafeBuffer(new byte[Long.BYTES]);
            probe.putLongRelease(0, 1L);
            if (probe.getLongVolatile(0) != 1L)
            {
                throw new IllegalStateException("Agrona UnsafeBuffer self-check failed");
            }
            verified = true;
        }
        catch (final LinkageError | RuntimeException ex)
        {
            throw new IllegalStateException("ringwal needs the JVM option '" + requiredFlag() + "' (Agrona " +
                "2.x reaches jdk.internal.misc.Unsafe); add it to the java command line, to Surefire's argLine, " +
                "or as 'Add-Opens: java.base/jdk.internal.misc' in a runnable jar's manifest. Cause: " + ex, ex);
        }
    }

    /**
     * The flag this JVM needs: {@link #REQUIRED_JVM_FLAG} with Agrona on the class path, or the same opened to
     * Agrona's module ({@code --add-opens java.base/jdk.internal.misc=org.agrona}) with Agrona on the module path.
     *
     * @return the flag.
     */
    public static String requiredFlag()
    {
        final Module agrona = UnsafeBuffer.class.getModule();
        return agrona.isNamed() ? "--add-opens java.base/jdk.internal.misc=" + agrona.getName() : REQUIRED_JVM_FLAG;
    }
}
