/**
 * Live metered sessions: start (first period charged), per-period billing swept from the database by a timer (each
 * (session, period) charged once, SKIP LOCKED across nodes), grace and ends, settlement of escrow, chat with
 * per-session sequence numbers, reviews and refunds. Frames reach sockets only after commit (LiveEvents).
 */
package org.parley.live;
