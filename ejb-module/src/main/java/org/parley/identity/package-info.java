/**
 * Accounts, passwords, tokens and who may sign in. Emails are unique by a database index; passwords are bcrypt
 * hashes; every token is recorded by its id and honoured only while unrevoked and its account active.
 */
package org.parley.identity;
