package yardstick.kernel.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluatorStartTest {
    @Test
    void aStartedEvaluatorHasItsImportsAndLeavesNoSnippetOfItsWarmUp() {
        EvaluatorStart start = EvaluatorStart.prepare("", List.of("java.awt.Point"), List.of()).open();
        try (JavaEvaluator e = start.get()) {
            assertTrue(start.started());
            Outcome o = e.evaluate("new Point(1, 2).x + List.of(3).get(0)", JavaEvaluator.Location.CELL);
            assertTrue(o.ok(), () -> String.valueOf(o.error()));
            assertEquals(4, o.value());
            assertEquals(List.of(), e.variables(), "the warm-up leaves no variable behind");
        }
    }

    @Test
    void anImportThatDoesNotResolveFailsTheStartWithWhatWentWrong() {
        EvaluatorStart start = EvaluatorStart.prepare("", List.of("no.such.Thing"), List.of()).open();
        IllegalStateException e = assertThrows(IllegalStateException.class, start::get);
        assertTrue(e.getMessage().startsWith("JShell failed to start:"), e.getMessage());
        assertTrue(e.getMessage().contains("startup imports failed"), e.getMessage());
        assertFalse(start.started());
    }
}
