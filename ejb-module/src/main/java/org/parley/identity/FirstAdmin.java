package org.parley.identity;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.parley.audit.AuditLog;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Creates the first admin from {@code PARLEY_ADMIN_EMAIL} / {@code PARLEY_ADMIN_PASSWORD} at start if no account
 * has that email. Nodes starting together on a fresh database take turns (a transaction-scoped advisory lock): the
 * first creates the admin, the others then find it (a lost race on the email's unique index would fail their
 * deployment).
 */
@Singleton
@Startup
@DependsOn("DatabaseMigrator")
public class FirstAdmin {

    private static final Logger LOG = Logger.getLogger(FirstAdmin.class.getName());

    @PersistenceContext(unitName = "parley")
    private EntityManager em;
    @Inject
    private PasswordHasher hasher;
    @Inject
    private AuditLog audit;
    @Inject
    private Clock clock;
    @Inject
    @ConfigProperty(name = "parley.admin.email")
    private Optional<String> email;
    @Inject
    @ConfigProperty(name = "parley.admin.password")
    private Optional<String> password;

    @PostConstruct
    void ensureFirstAdmin() {
        if (email.isEmpty() || password.isEmpty()) {
            LOG.warning("PARLEY_ADMIN_EMAIL / PARLEY_ADMIN_PASSWORD not set: no first admin created."
                    + " Set both and restart to create one.");
            return;
        }
        String normalised = Account.normaliseEmail(email.get());
        em.createNativeQuery("select count(*) from (select pg_advisory_xact_lock(hashtext('parley.first-admin'))) l").getSingleResult();
        long existing = em.createQuery("select count(a) from Account a where lower(a.email) = :e", Long.class)
                .setParameter("e", normalised).getSingleResult();
        if (existing > 0) {
            LOG.info("First admin " + normalised + " already exists");
            return;
        }
        Account admin = new Account(normalised, hasher.hash(password.get()), "Administrator", Role.ADMIN, null, clock.instant());
        em.persist(admin);
        audit.record(null, "ADMIN_BOOTSTRAPPED", "ACCOUNT", admin.id(), Map.of("email", normalised));
        LOG.info("Created the first admin " + normalised + " from PARLEY_ADMIN_EMAIL");
    }
}
