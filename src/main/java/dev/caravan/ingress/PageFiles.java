package dev.caravan.ingress;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Serves the operator's page: the static files under {@code page/} in the jar, at {@code /} (index.html) and
 * {@code /page/…}. Only plain file names of known types are served (no "..", no folders walked), each read once.
 * The files themselves hold no data and need no key; the JSON they fetch does.
 */
public final class PageFiles {

    private static final String FOLDER = "page/";
    private static final Pattern SAFE_NAME = Pattern.compile("(?!.*\\.\\.)[A-Za-z0-9_-][A-Za-z0-9_.-]*(/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*\\.[a-z]+");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "txt", "text/plain; charset=utf-8");

    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    /** {@code GET /}: the page. */
    public void index(Exchange exchange) {
        serve(exchange, "index.html");
    }

    /** {@code GET /page/{file}}: a script, style sheet or licence of the page; 404 JSON for anything else. */
    public void file(Exchange exchange) {
        String path = exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class);
        String name = path == null ? "" : path.replaceFirst("^/?(page/)?", "");
        serve(exchange, name);
    }

    private void serve(Exchange exchange, String name) {
        HttpExchanges.requireMethod(exchange, "GET");
        String type = SAFE_NAME.matcher(name).matches() ? TYPES.get(name.substring(name.lastIndexOf('.') + 1)) : null;
        byte[] content = type == null ? null : cache.computeIfAbsent(name, PageFiles::load);
        if (content == null) {
            throw new ApiException(404, "no page file '" + name + "'");
        }
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        message.setHeader(Exchange.CONTENT_TYPE, type);
        message.setHeader("Cache-Control", "no-cache");
        message.setBody(content);
    }

    /** The file's bytes, or null when the jar has no such file (not remembered, so the cache holds only real files). */
    private static byte[] load(String name) {
        try (InputStream in = PageFiles.class.getClassLoader().getResourceAsStream(FOLDER + name)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
