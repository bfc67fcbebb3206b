/**
 * The catalog of fixed-price services delivered as written reports, and their orders: paid from the wallet into
 * ORDER_ESCROW (a coupon's discount from PROMOTIONS), assigned, worked on, delivered as report files, completed by the
 * user or by themselves, settled like a session; cancelled with exact refunds; deadlines watched.
 */
package org.parley.order;
