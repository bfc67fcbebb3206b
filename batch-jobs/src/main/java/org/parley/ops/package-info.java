/**
 * Operations pieces that must live in the EAR's library jar to be found: the readiness check now, the batch
 * job artifacts later.
 */
package org.parley.ops;
