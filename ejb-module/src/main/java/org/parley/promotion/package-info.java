/**
 * Promotions, the platform's marketing spend, all paid from the PROMOTIONS system account: coupons on orders and
 * deposits (their limits held by the database), referral bonuses on a referred user's first paid deposit, and free
 * first minutes of a user's first session.
 */
package org.parley.promotion;
