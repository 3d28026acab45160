package dev.eksaccess.api.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks API that is public so that backends can share it, not so that applications call it: the
 * rules EKS and Kubernetes apply to names and entries, principal matching, the names and marks
 * eks-access gives the objects it manages, and the translation of EKS and Kubernetes errors. The
 * modules of eks-access use it, and so may a third-party backend; it can change in a minor release,
 * with a CHANGELOG entry. Applications use {@code dev.eksaccess.api} and the backends' own packages
 * instead.
 *
 * <pre>{@code
 * // in a backend: refuse what EKS would refuse, in EKS's words
 * List<InvalidInputException.Problem> problems =
 *     AccessEntryRules.problems(mapping, "access entry " + mapping.principal());
 * }</pre>
 *
 * <p>In the spirit of the AWS SDK's {@code @SdkProtectedApi}. Packages named {@code internal} are a
 * module's own and are never used by another module (an architecture test in each module enforces
 * it); what several modules share lives in a {@code support} package marked with this.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.PACKAGE})
public @interface BackendSupport {}
