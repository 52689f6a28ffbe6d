/**
 * Runnable examples of the Disruptor adapter.
 */
package io.ringwal.disruptor.example;
