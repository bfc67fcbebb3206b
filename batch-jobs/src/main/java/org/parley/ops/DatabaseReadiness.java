package org.parley.ops;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Readiness: the database answers and no Flyway migration has failed (a deployment whose migrations fail is
 * not deployed at all, which WildFly's own deployments-status check reports). It lives in an EAR library jar
 * because WildFly's MicroProfile Health only finds checks there when the application is an EAR.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {

    @Resource(lookup = "java:jboss/datasources/ParleyDS")
    private DataSource dataSource;

    @Override
    public HealthCheckResponse call() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from flyway_schema_history where not success")) {
            rs.next();
            return HealthCheckResponse.named("database").status(rs.getLong(1) == 0).build();
        } catch (SQLException e) {
            return HealthCheckResponse.named("database").down().withData("error", e.getMessage()).build();
        }
    }
}
