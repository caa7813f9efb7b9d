package dev.caravan.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real headless Chromium, driven through chromedriver's W3C WebDriver HTTP API (w3.org/TR/webdriver2) with
 * java.net.http: the dozen commands a page test needs, without Selenium's dependency tree or its driver manager
 * reaching for the network. Needs the Debian packages {@code chromium} and {@code chromium-driver}
 * (scripts/install-prerequisites.sh test).
 */
public final class Browser implements AutoCloseable {

    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process driver;
    private final Path profile;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String session;

    private Browser(Process driver, Path profile, String base) {
        this.driver = driver;
        this.profile = profile;
        this.session = base;
    }

    /** Starts chromedriver and a headless Chromium with a fresh profile, at a 1400×1800 window. */
    public static Browser start() throws IOException, InterruptedException {
        int port = FreePorts.next();
        Path profile = Files.createTempDirectory("caravan-chromium-");
        Process driver = new ProcessBuilder("chromedriver", "--port=" + port)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String base = "http://127.0.0.1:" + port;
        Browser starting = new Browser(driver, profile, base);
        try {
            awaitDriver(starting, base);
            ObjectNode options = JSON.createObjectNode();
            options.put("binary", "/usr/bin/chromium");
            ArrayNode args = options.putArray("args");
            for (String arg : List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--no-first-run", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                    "--window-size=1400,1800", "--user-data-dir=" + profile)) {
                args.add(arg);
            }
            ObjectNode capabilities = JSON.createObjectNode();
            capabilities.putObject("capabilities").putObject("alwaysMatch").set("goog:chromeOptions", options);
            JsonNode created = starting.command("POST", base + "/session", capabilities);
            return new Browser(driver, profile, base + "/session/" + created.get("sessionId").asText());
        } catch (RuntimeException | InterruptedException e) {
            starting.close();
            throw e;
        }
    }

    private static void awaitDriver(Browser browser, String base) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                if (browser.command("GET", base + "/status", null).path("ready").asBoolean()) {
                    return;
                }
            } catch (UncheckedIOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("chromedriver did not start: " + notYet.getMessage());
                }
            }
            Thread.sleep(100); // polling a process that gives no other sign of being ready
        }
    }

    private JsonNode command(String method, String url, JsonNode body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode value = JSON.readTree(response.body()).path("value");
            if (response.statusCode() != 200) {
                throw new IllegalStateException("WebDriver " + method + " " + url + ": " + value.path("error").asText()
                        + ": " + value.path("message").asText());
            }
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private JsonNode session(String method, String path, JsonNode body) {
        return command(method, session + path, body);
    }

    public void open(String url) {
        session("POST", "/url", JSON.createObjectNode().put("url", url));
    }

    /** Runs a script in the page (its arguments as {@code arguments[i]}) and gives back its JSON value. */
    public JsonNode script(String script, Object... arguments) {
        ObjectNode body = JSON.createObjectNode().put("script", script);
        body.set("args", JSON.valueToTree(arguments));
        return session("POST", "/execute/sync", body);
    }

    /** The visible text of the first element matching the CSS selector, or null when none matches. */
    public String text(String css) {
        JsonNode text = script("const e = document.querySelector(arguments[0]); return e ? e.innerText : null;", css);
        return text.isNull() ? null : text.asText();
    }

    private String element(String css) {
        return session("POST", "/element", JSON.createObjectNode().put("using", "css selector").put("value", css))
                .get(ELEMENT).asText();
    }

    /** A real click (pointer events), as a user's. */
    public void click(String css) {
        session("POST", "/element/" + element(css) + "/click", JSON.createObjectNode());
    }

    /** Empties the field, then types the text into it as keystrokes. */
    public void type(String css, String text) {
        String id = element(css);
        session("POST", "/element/" + id + "/clear", JSON.createObjectNode());
        session("POST", "/element/" + id + "/value", JSON.createObjectNode().put("text", text));
    }

    /** Saves a PNG of the viewport. */
    public void screenshot(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode(session("GET", "/screenshot", null).asText()));
    }

    @Override
    public void close() {
        try {
            command("DELETE", session, null);
        } catch (RuntimeException alreadyGone) {
            // the driver is stopped below either way
        }
        driver.descendants().forEach(ProcessHandle::destroyForcibly);
        driver.destroyForcibly();
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary profile left behind is harmless
        }
    }
}
