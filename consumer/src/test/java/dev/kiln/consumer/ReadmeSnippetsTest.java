package dev.kiln.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README shows what the build tests: each code block marked {@code <!-- file: PATH -->} is
 * exactly that file of the consumer project the invoker builds and runs, and the block marked
 * {@code <!-- excerpt: PATH -->} (generated code, with "..." for what it leaves out) is made of
 * lines of that golden file.
 */
class ReadmeSnippetsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern MARKED = Pattern.compile("<!-- (file|excerpt): (\\S+) -->\\n```[a-z]*\\n(.*?)```", Pattern.DOTALL);

    private record Snippet(String kind, String path, String text) {
    }

    private static List<Snippet> snippets() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        List<Snippet> found = new ArrayList<>();
        Matcher m = MARKED.matcher(readme);
        while (m.find()) {
            found.add(new Snippet(m.group(1), m.group(2), m.group(3)));
        }
        return found;
    }

    @Test
    void everyFileSnippetIsTheFileTheBuildCompilesAndRuns() throws IOException {
        List<Snippet> files = snippets().stream().filter(s -> s.kind().equals("file")).toList();
        assertEquals(List.of("consumer/src/it/digits/src/main/java/demo/DigitsMlp.java", "consumer/src/it/digits/src/main/java/demo/FashionCnn.java",
                "consumer/src/it/digits/pom.xml"), files.stream().map(Snippet::path).toList(), "the README's file snippets");
        for (Snippet snippet : files) {
            assertEquals(Files.readString(ROOT.resolve(snippet.path())), snippet.text(), snippet.path() + " differs from its README snippet");
        }
    }

    @Test
    void theGeneratedCodeExcerptIsMadeOfTheGoldensLines() throws IOException {
        List<Snippet> excerpts = snippets().stream().filter(s -> s.kind().equals("excerpt")).toList();
        assertTrue(!excerpts.isEmpty(), "no generated-code excerpt in the README");
        for (Snippet excerpt : excerpts) {
            List<String> golden = Files.readAllLines(ROOT.resolve(excerpt.path())).stream().map(String::strip).toList();
            for (String line : excerpt.text().lines().map(String::strip).toList()) {
                if (!line.isEmpty() && !line.equals("...")) {
                    assertTrue(golden.contains(line), "the README shows '" + line + "', which " + excerpt.path() + " does not have");
                }
            }
        }
    }
}
