/**
 * Moving a cluster from aws-auth to EKS Access Entries: {@link
 * dev.eksaccess.migration.Migration#fromAwsAuth} plans it, and each step of the {@link
 * dev.eksaccess.migration.MigrationPlan} is confirmed on its own.
 *
 * <pre>{@code
 * MigrationPlan plan = Migration.fromAwsAuth(awsAuth.document(), entries, RoleResolver.iam(iam));
 * System.out.println(plan);   // entries to create, what blocks the move to API
 * }</pre>
 */
@NullMarked
package dev.eksaccess.migration;

import org.jspecify.annotations.NullMarked;
