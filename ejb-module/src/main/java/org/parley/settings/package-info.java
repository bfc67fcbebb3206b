/**
 * Runtime platform settings (fees, limits, billing and queue timings): one row per key in the database,
 * validated as a whole, changed only by admins, every change audited.
 */
package org.parley.settings;
