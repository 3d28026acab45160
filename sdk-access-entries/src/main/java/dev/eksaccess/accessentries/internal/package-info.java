/** Implementation details of {@code dev.eksaccess.accessentries}; not API. */
@NullMarked
package dev.eksaccess.accessentries.internal;

import org.jspecify.annotations.NullMarked;
