package dev.caravan.ingress;

import dev.caravan.engine.Language;
import java.util.List;
import org.apache.camel.Exchange;

/** {@code GET /languages}: the languages jobs may be written in, with their runtime versions. */
public final class LanguagesEndpoint {

    private final List<Language> languages;

    public LanguagesEndpoint(List<Language> languages) {
        this.languages = List.copyOf(languages);
    }

    public void list(Exchange exchange) {
        HttpExchanges.requireMethod(exchange, "GET");
        HttpExchanges.answer(exchange, 200, languages);
    }
}
