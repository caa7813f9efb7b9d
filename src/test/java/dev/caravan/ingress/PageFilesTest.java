package dev.caravan.ingress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PageFilesTest {

    private final PageFiles files = new PageFiles();

    private static Exchange get(String path) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader(Exchange.HTTP_METHOD, "GET");
        exchange.getMessage().setHeader(Exchange.HTTP_PATH, path);
        return exchange;
    }

    @Test
    void thePageAndItsScriptsAreServedWithTheirTypes() {
        Exchange index = get("");
        files.index(index);
        assertEquals("text/html; charset=utf-8", index.getMessage().getHeader(Exchange.CONTENT_TYPE));
        assertTrue(new String(index.getMessage().getBody(byte[].class), StandardCharsets.UTF_8).contains("<title>Caravan</title>"));

        Exchange plot = get("/page/vendor/uplot-1.6.32.min.js");
        files.file(plot);
        assertEquals("text/javascript; charset=utf-8", plot.getMessage().getHeader(Exchange.CONTENT_TYPE));
        assertEquals(200, plot.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/page/../application.properties", "/page/vendor/../../logback.xml", "/page/nothing.js",
            "/page/../openapi.json", "/page/routes", "/page/"})
    void nothingElseInTheJarIsServed(String path) {
        ApiException refused = assertThrows(ApiException.class, () -> files.file(get(path)));
        assertEquals(404, refused.httpStatus());
    }
}
