/**
 * The {@code kube-system/aws-auth} ConfigMap, read exactly as EKS reads it.
 *
 * <pre>{@code
 * AwsAuthDocument doc = AwsAuthDocument.parse(configMap.getData());
 * Optional<MappedIdentity> who =
 *     doc.resolve(Caller.of("arn:aws:sts::111122223333:assumed-role/DevTeamRole/jane"));
 * }</pre>
 */
@NullMarked
package dev.eksaccess.awsauth;

import org.jspecify.annotations.NullMarked;
