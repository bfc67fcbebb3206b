package org.parley.api;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.auth.LoginConfig;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/**
 * Parley's REST API under {@code /api/v1}. Tokens are verified by MicroProfile JWT; who may call what is decided
 * by {@link org.parley.api.security.AuthorizationFilter} from {@code @PermitAll} / {@code @RolesAllowed}.
 */
@ApplicationPath("/api/v1")
@LoginConfig(authMethod = "MP-JWT", realmName = "parley")
@OpenAPIDefinition(info = @Info(title = "Parley API", version = "1",
        description = "Backend of a paid expert-consultation marketplace"))
@SecurityScheme(securitySchemeName = "jwt", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT")
public class ParleyApplication extends Application {
}
