package dev.caravan.ingress;

import dev.caravan.contract.Json;
import dev.caravan.engine.Language;
import java.util.List;
import org.apache.camel.Exchange;

/** {@code GET /languages}: the languages jobs may be written in, with their runtime versions. */
public final class LanguagesEndpoint {

    /** The list never changes while the process runs, so it is written as JSON once. */
    private final byte[] json;

    public LanguagesEndpoint(List<Language> languages) {
        this.json = Json.write(List.copyOf(languages));
    }

    public void list(Exchange exchange) {
        HttpExchanges.requireMethod(exchange, "GET");
        HttpExchanges.answer(exchange, 200, json);
    }
}
