package org.parley.api.admin;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.parley.api.security.CurrentCaller;
import org.parley.settings.PlatformSettings;

import java.util.Map;

/** Runtime platform settings: all keys with their values; PATCH any subset. */
@Path("/admin/config")
@RolesAllowed("ADMIN")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AdminConfigResource {

    @Inject
    private PlatformSettings settings;
    @Inject
    private CurrentCaller caller;

    @GET
    public Map<String, Long> get() {
        return settings.all();
    }

    @PATCH
    public Map<String, Long> update(Map<String, Long> changes) {
        return settings.update(changes, caller.get());
    }
}
