/**
 * Expert earnings and payouts. One active payout per expert (a partial unique index); each state change carries its
 * ledger effect in the same transaction; the gateway call happens between two committed steps, idempotently keyed
 * by the payout id, so a crash or timeout never sends or pays twice.
 */
package org.parley.payout;
