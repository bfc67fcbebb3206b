/**
 * Pieces every feature shares: the domain exception family and its factories, paging, object-level access
 * checks, canonical JSON, the clock. Nothing here knows about a particular feature.
 */
package org.parley.common;
