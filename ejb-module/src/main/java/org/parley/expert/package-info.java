/**
 * Experts: the onboarding pipeline (moved only by admins, one legal step at a time, by conditional update),
 * the public profile with per-channel rates, presence (online only when APPROVED, a database check) and the
 * directory of approved experts.
 */
package org.parley.expert;
