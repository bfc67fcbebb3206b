/** Care: remedies (follow-up plans), their check-ins, feedback and daily reminders. */
package org.parley.care;
