package dev.caravan.sandbox;

import static dev.caravan.sandbox.SharedEngine.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caravan.contract.ExecuteResult;
import dev.caravan.contract.Limits;
import dev.caravan.contract.Status;
import dev.caravan.contract.TestCase;
import dev.caravan.contract.TestResult;
import dev.caravan.engine.Language;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A+B in every shipped language, and the same verdicts for the same mistakes in each. */
class FiveLanguagesTest {

    private static final TestCase[] A_PLUS_B = {
        expect("1 2\n", "3\n"),
        expect("-5 5\n", "0\n"),
        expect("1000000000 1000000000\n", "2000000000\n"),
    };
    private static final Limits TIGHT = new Limits(1000, 2000, 128, 64);

    /** The programs of one language: a correct A+B, a wrong one, one that crashes, one that does not compile, one that loops. */
    record Programs(String language, String correct, String wrong, String crash, String broken, String loop) {

        @Override
        public String toString() {
            return language;
        }
    }

    static Stream<Programs> languages() {
        return Stream.of(
                new Programs("python",
                        "a, b = map(int, input().split())\nprint(a + b)\n",
                        "a, b = map(int, input().split())\nprint(a - b)\n",
                        "raise ValueError('no')\n",
                        null,
                        "while True:\n    pass\n"),
                new Programs("c",
                        "#include <stdio.h>\nint main(void) { long long a, b; scanf(\"%lld %lld\", &a, &b); printf(\"%lld\\n\", a + b); return 0; }\n",
                        "#include <stdio.h>\nint main(void) { long long a, b; scanf(\"%lld %lld\", &a, &b); printf(\"%lld\\n\", a * b); return 0; }\n",
                        "#include <stdio.h>\nint main(void) { volatile int *p = 0; *p = 1; return 0; }\n",
                        "int main(void) { return undeclared; }\n",
                        "int main(void) { volatile int x = 0; for (;;) x++; }\n"),
                new Programs("cpp",
                        "#include <iostream>\nint main() { long long a, b; std::cin >> a >> b; std::cout << a + b << '\\n'; }\n",
                        "#include <iostream>\nint main() { long long a, b; std::cin >> a >> b; std::cout << a + b + 1 << '\\n'; }\n",
                        "#include <stdexcept>\nint main() { throw std::runtime_error(\"no\"); }\n",
                        "int main() { std::vector<int> v; }\n",
                        "int main() { volatile int x = 0; for (;;) x++; }\n"),
                new Programs("java",
                        "import java.util.Scanner;\npublic class Main { public static void main(String[] a) { Scanner s = new Scanner(System.in);"
                                + " System.out.println(s.nextLong() + s.nextLong()); } }\n",
                        "public class Main { public static void main(String[] a) { System.out.println(42); } }\n",
                        "public class Main { public static void main(String[] a) { throw new IllegalStateException(\"no\"); } }\n",
                        "public class Main { public static void main(String[] a) { int x = \"text\"; } }\n",
                        "public class Main { public static void main(String[] a) { long x = 0; while (true) { x++; } } }\n"),
                new Programs("javascript",
                        "const [a, b] = require('fs').readFileSync(0, 'utf8').trim().split(/\\s+/).map(Number);\nconsole.log(a + b);\n",
                        "console.log('3');\n",
                        "throw new Error('no');\n",
                        null,
                        "for (;;) {}\n"));
    }

    @ParameterizedTest
    @MethodSource("languages")
    void correctProgramIsAcceptedOnEveryTest(Programs programs) {
        ExecuteResult result = SharedEngine.run(programs.language(), programs.correct(), A_PLUS_B);
        assertEquals(Status.ACCEPTED, result.status(), result::toString);
        assertEquals(3, result.tests().size());
        result.tests().forEach(test -> {
            assertEquals(Status.ACCEPTED, test.status());
            assertEquals(0, test.exitCode());
            assertTrue(test.memoryKb() > 0, "peak memory is measured");
        });
        if (result.compile() != null) {
            assertEquals(Status.OK, result.compile().status());
        }
    }

    @ParameterizedTest
    @MethodSource("languages")
    void wrongAnswerIsWrongAnswer(Programs programs) {
        ExecuteResult result = SharedEngine.run(programs.language(), programs.wrong(), A_PLUS_B);
        assertEquals(Status.WRONG_ANSWER, result.status(), result::toString);
    }

    @ParameterizedTest
    @MethodSource("languages")
    void crashIsRuntimeError(Programs programs) {
        ExecuteResult result = SharedEngine.run(programs.language(), programs.crash(), A_PLUS_B[0]);
        assertEquals(Status.RUNTIME_ERROR, result.status(), result::toString);
        TestResult test = result.tests().get(0);
        assertTrue(test.signal() != null || test.exitCode() != 0);
    }

    @ParameterizedTest
    @MethodSource("languages")
    void compileErrorStopsTheJobWithTheCompilerOutput(Programs programs) {
        if (programs.broken() == null) {
            return;   // interpreted: nothing to compile
        }
        ExecuteResult result = SharedEngine.run(programs.language(), programs.broken(), A_PLUS_B);
        assertEquals(Status.COMPILATION_ERROR, result.status(), result::toString);
        assertTrue(result.compile().output().contains("error"), result.compile()::output);
        assertTrue(result.tests().isEmpty(), "no test runs after a failed compile");
    }

    @ParameterizedTest
    @MethodSource("languages")
    void endlessLoopIsTimeLimitExceeded(Programs programs) {
        ExecuteResult result = SharedEngine.run(programs.language(), programs.loop(), TIGHT, A_PLUS_B[0]);
        assertEquals(Status.TIME_LIMIT_EXCEEDED, result.status(), result::toString);
    }

    @Test
    void signalOfACrashIsNamed() {
        ExecuteResult result = SharedEngine.run("c", languages().filter(p -> p.language().equals("c")).findFirst().orElseThrow().crash(),
                A_PLUS_B[0]);
        assertEquals("SIGSEGV", result.tests().get(0).signal());
        assertNull(result.tests().get(0).exitCode());
    }

    @Test
    void everyLanguageReportsTheVersionOfItsRuntime() {
        List<Language> languages = SharedEngine.get().languages();
        assertEquals(List.of("python", "c", "cpp", "java", "javascript"), languages.stream().map(Language::id).toList());
        languages.forEach(language -> assertTrue(language.version().matches("\\d+(\\.\\d+)+.*"), language::toString));
        assertEquals(List.of(false, true, true, true, false), languages.stream().map(Language::compiled).toList());
    }

    @Test
    void javaCompileErrorNamesTheSourceFileNotTheSandboxPath() {
        ExecuteResult result = SharedEngine.run("java", "public class Main { void f() { undefined(); } }", A_PLUS_B[0]);
        assertNotNull(result.compile());
        assertTrue(result.compile().output().startsWith("Main.java:1: error"), result.compile()::output);
    }
}
