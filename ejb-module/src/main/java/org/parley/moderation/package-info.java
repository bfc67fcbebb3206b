/**
 * Moderation: reports by people who took part, the admins' queue, and actions with real effects (WARN, SUSPEND with
 * its automatic lifting, UNSUSPEND, HIDE_MESSAGE), each in the transaction of its audit entry.
 */
package org.parley.moderation;
