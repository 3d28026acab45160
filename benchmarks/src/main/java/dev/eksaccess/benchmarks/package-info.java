/** JMH benchmarks; not published. */
@NullMarked
package dev.eksaccess.benchmarks;

import org.jspecify.annotations.NullMarked;
