/** Runnable examples of eks-access; not published. */
@NullMarked
package dev.eksaccess.examples;

import org.jspecify.annotations.NullMarked;
