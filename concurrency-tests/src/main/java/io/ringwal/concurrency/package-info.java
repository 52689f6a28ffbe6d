/**
 * jcstress tests of the memory-ordering protocols the journal relies on: a frame committed by a release store of
 * its length, and the durable watermark published after a force.
 */
package io.ringwal.concurrency;
