/** Implementation details of {@code dev.eksaccess.rbac}; not API. */
@NullMarked
package dev.eksaccess.rbac.internal;

import org.jspecify.annotations.NullMarked;
