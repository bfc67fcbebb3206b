package org.parley.common.db;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceUnit;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.hibernate.SessionFactory;

import javax.sql.DataSource;
import java.util.logging.Logger;

/**
 * Brings the schema up to date with Flyway when Parley is deployed, before anything else touches the
 * database, then has Hibernate validate its mappings against the migrated schema (a mismatch fails the
 * deployment). Migrations run in the datasource's default schema: no schema name is hard-coded anywhere.
 */
@Singleton
@Startup
@TransactionManagement(TransactionManagementType.BEAN)
public class DatabaseMigrator {

    private static final Logger LOG = Logger.getLogger(DatabaseMigrator.class.getName());

    @Resource(lookup = "java:jboss/datasources/ParleyDS")
    private DataSource dataSource;

    @PersistenceUnit(unitName = "parley")
    private EntityManagerFactory emf;

    @PostConstruct
    void migrate() {
        Flyway flyway = Flyway.configure(getClass().getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                // JBeret creates its job-repository tables in the same schema when the server boots, so the
                // schema is rarely empty on first deployment: start the history below V1 so V1 still runs.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load();
        MigrateResult result = flyway.migrate();
        LOG.info(() -> "Database schema at version " + flyway.info().current().getVersion()
                + " (" + result.migrationsExecuted + " migration(s) applied now)");
        emf.unwrap(SessionFactory.class).getSchemaManager().validateMappedObjects();
    }
}
