/**
 * The audit trail: who did what to which object, when. Append-only (a trigger forbids changes) and hash-chained
 * (each entry covers its predecessor's hash), so tampering shows in {@code AuditLog.verify()}.
 */
package org.parley.audit;
