/**
 * Nightly settlement: {@link org.parley.settlement.SettlementService} (per expert and day, idempotent by keys) and
 * the Jakarta Batch artifacts of the {@code nightly-settlement} job, whose XML lives in the batch-jobs library jar.
 */
package org.parley.settlement;
