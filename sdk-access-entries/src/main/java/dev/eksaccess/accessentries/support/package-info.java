/**
 * What the EKS-facing modules share, public for backend implementers ({@link
 * dev.eksaccess.api.support.BackendSupport}): translating EKS errors into eks-access exceptions
 * ({@link dev.eksaccess.accessentries.support.EksErrors}). Applications do not need it.
 */
@NullMarked
@BackendSupport
package dev.eksaccess.accessentries.support;

import dev.eksaccess.api.support.BackendSupport;
import org.jspecify.annotations.NullMarked;
