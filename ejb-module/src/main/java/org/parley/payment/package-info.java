/**
 * The payment gateway (Razorpay): its HTTP client with a mock mode, signature checks, webhooks applied once per
 * event id, and the janitor that resolves deposits and payouts whose outcome is unknown.
 */
package org.parley.payment;
