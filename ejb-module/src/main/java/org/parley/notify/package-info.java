/** Notifications: the outbox (in-app now; email, SMS, WhatsApp through dispatchers) and the reminders that fill it. */
package org.parley.notify;
