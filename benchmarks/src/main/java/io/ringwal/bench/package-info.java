/**
 * JMH benchmarks, the load generator and the ringwal command.
 */
package io.ringwal.bench;
