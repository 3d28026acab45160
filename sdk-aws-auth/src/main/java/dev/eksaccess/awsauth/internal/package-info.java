/** The aws-auth parser and resolver behind the public API. Not API. */
@NullMarked
package dev.eksaccess.awsauth.internal;

import org.jspecify.annotations.NullMarked;
