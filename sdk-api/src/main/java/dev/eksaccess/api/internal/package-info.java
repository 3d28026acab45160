/**
 * Planner, validation, guards and evaluation behind the public API. Not API: may change at any
 * time.
 */
@NullMarked
package dev.eksaccess.api.internal;

import org.jspecify.annotations.NullMarked;
