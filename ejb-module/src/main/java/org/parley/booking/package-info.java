/**
 * Bookings: experts' availability (a weekly schedule in their own time zone, date overrides, one-off slots), the
 * bookable starts on a 15-minute grid, prepaid requests held in BOOKING_HOLD that can never overlap (exclusion
 * constraints), decisions, rescheduling, cancellation under the policy, joining at the booked time into a live session
 * paid from the hold, and the timers (expiry, no-shows, reminders) that keep their state in the database.
 */
package org.parley.booking;
