package yardstick.magics.llm.local;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.function.Consumer;
import yardstick.magics.llm.LlmException;

/**
 * Generates text from a byte-level {@link GptModel}: feeds the prompt's UTF-8 bytes, then samples one byte at a time,
 * passing on text as soon as the bytes form whole characters. A prompt longer than the context keeps its end; when
 * the context fills up, generation continues from its second half.
 */
public final class Sampler {
    private final GptModel model;

    public record Result(String text, int promptTokens, int completionTokens) {}

    public Sampler(GptModel model) {
        this.model = model;
    }

    public Result generate(String prompt, int maxTokens, double temperature, int topK, Random random,
            Consumer<String> onToken) throws InterruptedException {
        int ctx = model.config().context();
        byte[] p = prompt.getBytes(StandardCharsets.UTF_8);
        if (p.length == 0) p = new byte[] {'\n'};
        int keep = Math.min(p.length, Math.max(1, ctx - Math.min(maxTokens, ctx / 2)));
        byte[] window = new byte[ctx];
        int len = 0;
        GptModel.Generation g = model.start();
        float[] logits = null;
        for (int i = p.length - keep; i < p.length; i++) {
            window[len++] = p[i];
            logits = g.feed(p[i] & 0xff);
        }
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        ByteBuffer pending = ByteBuffer.allocate(8);
        CharBuffer chars = CharBuffer.allocate(8);
        StringBuilder out = new StringBuilder();
        int made = 0;
        while (made < maxTokens) {
            if (Thread.interrupted()) throw new InterruptedException();
            int b = GptModel.sample(logits, temperature, topK, random);
            made++;
            pending.put((byte) b);
            pending.flip();
            chars.clear();
            dec.decode(pending, chars, false);
            pending.compact();
            if (pending.position() >= 4) pending.clear(); // a broken sequence: drop it
            chars.flip();
            if (chars.hasRemaining()) {
                String s = chars.toString();
                out.append(s);
                if (onToken != null) onToken.accept(s);
            }
            if (out.length() > 1 && out.charAt(out.length() - 1) == '\n' && out.charAt(out.length() - 2) == '\n') break;
            if (len == ctx) {
                // Context full: restart from its second half so generation can go on.
                int half = ctx / 2;
                System.arraycopy(window, ctx - half, window, 0, half);
                g = model.start();
                for (int i = 0; i < half; i++) g.feed(window[i] & 0xff);
                len = half;
            }
            window[len++] = (byte) b;
            logits = g.feed(b);
        }
        if (made == 0) throw LlmException.fatal("max tokens must be at least 1");
        return new Result(out.toString(), keep, made);
    }
}
