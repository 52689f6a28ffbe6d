/**
 * The LMAX Disruptor ring buffer in front of the ringwal writer (see the pipeline issue).
 */
package io.ringwal.disruptor;
