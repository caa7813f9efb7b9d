package dev.caravan.contract;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;

/**
 * One file of a multi-file program: its name in the job directory, its content and how the content is encoded
 * ({@code utf8}, the default when null, {@code base64} or {@code hex}: the three encodings of Piston's
 * {@code files[].encoding}, engineer-man/piston {@code api/src/job.js}). The ingress checks names and decodes every
 * file once before a job is queued, so a worker's {@link #bytes()} does not fail on a queued job.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SourceFile(String name, String content, String encoding) {

    public static final String UTF8 = "utf8";
    public static final String BASE64 = "base64";
    public static final String HEX = "hex";

    /** True for text files: no encoding, or {@code utf8}. */
    @JsonIgnore
    public boolean isText() {
        return encoding == null || UTF8.equals(encoding);
    }

    /**
     * The file's bytes.
     *
     * @throws IllegalArgumentException when the content is not valid in its encoding, or the encoding is unknown
     */
    public byte[] bytes() {
        if (isText()) {
            return content.getBytes(StandardCharsets.UTF_8);
        }
        return switch (encoding) {
            case BASE64 -> Base64.getMimeDecoder().decode(content);
            case HEX -> HexFormat.of().parseHex(content);
            default -> throw new IllegalArgumentException("unknown encoding '" + encoding + "'");
        };
    }
}
