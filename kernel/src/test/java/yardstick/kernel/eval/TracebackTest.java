package yardstick.kernel.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TracebackTest {
    @Test
    void cellFramesComeFirstAndLibraryFramesFoldIntoOneLinePerException() {
        List<String> out = Traceback.render(List.of(
                "java.lang.NumberFormatException: For input string: \"x\"",
                "\tat java.lang.NumberFormatException.forInputString(NumberFormatException.java:67)",
                "\tat java.lang.Integer.parseInt(Integer.java:662)",
                "\tat parse(cell [3] line 1)",
                "\tat (cell [3] line 2)",
                "Caused by: java.io.IOException: gone",
                "\tat java.io.File.read(File.java:1)"));
        assertEquals(List.of(
                Traceback.RED + "java.lang.NumberFormatException: For input string: \"x\"" + Traceback.RESET,
                "\tat " + Traceback.GREEN + "parse(cell [3] line 1)" + Traceback.RESET,
                "\tat " + Traceback.GREEN + "(cell [3] line 2)" + Traceback.RESET,
                Traceback.DIM + "\t... 2 library frames, innermost java.lang.NumberFormatException.forInputString("
                        + "NumberFormatException.java:67)" + Traceback.RESET,
                Traceback.RED + "Caused by: java.io.IOException: gone" + Traceback.RESET,
                Traceback.DIM + "\t... 1 library frame, innermost java.io.File.read(File.java:1)" + Traceback.RESET), out);
    }

    @Test
    void compileErrorsColourThePositionAndTheCaret() {
        List<String> out = Traceback.render(List.of("line 3, column 13: cannot find symbol", "    int c = a + missing;",
                "                ^"));
        assertEquals(List.of(Traceback.CYAN + "line 3, column 13: cannot find symbol" + Traceback.RESET,
                "    int c = a + missing;", Traceback.RED + "                ^" + Traceback.RESET), out);
    }
}
