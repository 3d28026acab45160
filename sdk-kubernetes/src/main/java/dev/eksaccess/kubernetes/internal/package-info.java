/** What the Kubernetes-backed modules share; not API. */
@NullMarked
package dev.eksaccess.kubernetes.internal;

import org.jspecify.annotations.NullMarked;
