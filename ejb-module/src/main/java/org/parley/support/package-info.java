/**
 * The support desk: tickets with gapless human numbers and service levels (breaches flagged once by a sweep from the
 * database), public messages and staff-only notes numbered before they are relayed to {@code /ws/support}, the ticket
 * status machine in one place, and satisfaction ratings.
 */
package org.parley.support;
