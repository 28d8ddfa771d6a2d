package yardstick.kernel.display;

/**
 * Renders values of some types as MIME bundles. Implementations are found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/yardstick.kernel.display.Renderer}); the first whose {@link #supports} accepts a value
 * renders it, plugins before the built-in ones.
 */
public interface Renderer {
    boolean supports(Object value);

    MimeBundle render(Object value) throws Exception;
}
