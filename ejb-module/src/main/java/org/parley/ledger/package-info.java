/**
 * The double-entry ledger: accounts, append-only transfers, and the check that proves them. Only {@code Ledger}
 * moves money; owned accounts are never overdrawn (conditional update + check constraint) and system accounts are
 * derived from the journal rather than updated, so no transfer contends on a platform-wide row.
 */
package org.parley.ledger;
