/**
 * Wallets: deposits through the payment gateway (credited once, whichever of confirmation, webhook or janitor comes
 * first), balance and history read from the ledger, and admins' audited adjustments.
 */
package org.parley.wallet;
