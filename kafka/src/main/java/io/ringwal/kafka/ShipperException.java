package io.ringwal.kafka;

/**
 * A shipper cannot go on: the topic is missing, another shipper took over its transactional id, the topic
 * holds records the shipper did not write, or the journal no longer holds the records to ship. Transient
 * trouble (a broker restarting or unreachable) is not reported this way: the shipper retries it.
 */
public class ShipperException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong.
     */
    public ShipperException(final String message)
    {
        super(message);
    }

    /**
     * Creates the exception.
     *
     * @param message what went wrong.
     * @param cause   the underlying failure.
     */
    public ShipperException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
