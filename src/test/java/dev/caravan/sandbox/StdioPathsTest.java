package dev.caravan.sandbox;

import static dev.caravan.sandbox.SharedEngine.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.caravan.contract.ExecuteResult;
import dev.caravan.contract.Status;
import dev.caravan.contract.TestResult;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A program may open its own standard streams by any of their standard paths, in every language: many judges teach
 * {@code readFileSync('/dev/stdin')} for JavaScript and {@code open('/dev/stdin')} for Python. Each program reads
 * "40 2" through the stdin path, writes the sum through the stdout path and a word through the stderr path.
 */
class StdioPathsTest {

    /** The three names of fds 0, 1 and 2. */
    enum Paths {
        DEV("/dev/stdin", "/dev/stdout", "/dev/stderr"),
        DEV_FD("/dev/fd/0", "/dev/fd/1", "/dev/fd/2"),
        PROC_SELF_FD("/proc/self/fd/0", "/proc/self/fd/1", "/proc/self/fd/2");

        final String in;
        final String out;
        final String err;

        Paths(String in, String out, String err) {
            this.in = in;
            this.out = out;
            this.err = err;
        }
    }

    static Stream<Arguments> programs() {
        return Stream.of(Paths.values()).flatMap(p -> Stream.of(
                Arguments.of("python", p, """
                        a, b = map(int, open("%s").read().split())
                        with open("%s", "w") as out:
                            out.write(f"{a + b}\\n")
                        with open("%s", "w") as err:
                            err.write("err\\n")
                        """.formatted(p.in, p.out, p.err)),
                Arguments.of("javascript", p, """
                        const fs = require('fs');
                        const [a, b] = fs.readFileSync('%s', 'utf8').trim().split(' ').map(Number);
                        fs.writeFileSync('%s', (a + b) + '\\n');
                        fs.writeFileSync('%s', 'err\\n');
                        """.formatted(p.in, p.out, p.err)),
                Arguments.of("c", p, """
                        #include <stdio.h>
                        int main(void) {
                            long a, b;
                            FILE *in = fopen("%s", "r"), *out = fopen("%s", "w"), *err = fopen("%s", "w");
                            if (!in || !out || !err) { perror("fopen"); return 1; }
                            if (fscanf(in, "%%ld %%ld", &a, &b) != 2) return 2;
                            fprintf(out, "%%ld\\n", a + b);
                            fprintf(err, "err\\n");
                            return fclose(out) || fclose(err);
                        }
                        """.formatted(p.in, p.out, p.err)),
                Arguments.of("cpp", p, """
                        #include <fstream>
                        int main() {
                            std::ifstream in("%s");
                            std::ofstream out("%s"), err("%s");
                            long a, b;
                            if (!(in >> a >> b) || !out || !err) return 1;
                            out << a + b << '\\n';
                            err << "err\\n";
                        }
                        """.formatted(p.in, p.out, p.err)),
                Arguments.of("java", p, """
                        import java.io.*;
                        import java.nio.file.*;
                        public class Main {
                            public static void main(String[] args) throws IOException {
                                String[] ab = Files.readString(Path.of("%s")).trim().split(" ");
                                try (PrintStream out = new PrintStream(new FileOutputStream("%s"));
                                     PrintStream err = new PrintStream(new FileOutputStream("%s"))) {
                                    out.println(Long.parseLong(ab[0]) + Long.parseLong(ab[1]));
                                    err.println("err");
                                }
                            }
                        }
                        """.formatted(p.in, p.out, p.err))));
    }

    @ParameterizedTest(name = "{0} through {1}")
    @MethodSource("programs")
    void standardStreamsOpenByPath(String language, Paths paths, String code) {
        ExecuteResult result = SharedEngine.run(language, code, expect("40 2\n", "42\n"));
        assertEquals(Status.ACCEPTED, result.status(), result::toString);
        TestResult test = result.tests().get(0);
        assertEquals("err\n", test.stderr(), result::toString);
    }

    /** The exact request of the report: reading all of stdin by path is how many judges teach JavaScript input. */
    @Test
    void javascriptReadFileSyncOfDevStdinIsAccepted() {
        ExecuteResult result = SharedEngine.run("javascript",
                "const s=require('fs').readFileSync('/dev/stdin','utf8').trim().split(' ').map(Number);console.log(s[0]+s[1])",
                expect("40 2\n", "42\n"));
        assertEquals(Status.ACCEPTED, result.status(), result::toString);
    }
}
