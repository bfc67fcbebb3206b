package org.parley.ws.live;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LiveConfiguratorTest {

    @Test
    void thePublicUrlsOriginIsWhatABrowserSendsForPagesServedThere() {
        assertEquals(Optional.of("https://parley.example.in"), LiveConfigurator.originOf("https://Parley.Example.in/"));
        assertEquals(Optional.of("http://127.0.0.1:8180"), LiveConfigurator.originOf("http://127.0.0.1:8180/api/v1"));
        assertEquals(Optional.of("http://localhost:8080"), LiveConfigurator.originOf(" http://localhost:8080 "));
        assertEquals(Optional.of("https://parley.example.in"), LiveConfigurator.originOf("https://parley.example.in:443/"), "no default port");
        assertEquals(Optional.of("http://parley.example.in"), LiveConfigurator.originOf("http://parley.example.in:80"));
    }

    @Test
    void aPublicUrlThatIsNoAbsoluteUrlAllowsNoOrigin() {
        assertEquals(Optional.empty(), LiveConfigurator.originOf("parley.example.in"));
        assertEquals(Optional.empty(), LiveConfigurator.originOf("http://bad host/"));
        assertEquals(Optional.empty(), LiveConfigurator.originOf(""));
    }
}
