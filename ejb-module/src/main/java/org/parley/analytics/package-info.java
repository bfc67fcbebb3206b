/**
 * Figures for operators: real-time counts from the live tables, daily figures per business date whose money is summed
 * from ledger transfers (so they agree with the ledger to the paisa), and revenue by day, week or month.
 */
package org.parley.analytics;
