package yardstick.magics.llm.local;

import java.io.IOException;
import java.io.InputStream;

/**
 * Yardstick's own small language model, pre-trained from scratch on the project's documentation and templates (see
 * {@code magics/data/local-model/README.md} for the command that reproduces it). It ships in this jar as float16.
 */
public final class BundledModel {
    /** The model name that means this model. */
    public static final String NAME = "local";
    public static final String RESOURCE = "yardstick/magics/llm/local/yardstick-tiny.ysw";

    private BundledModel() {}

    public static InputStream open() throws IOException {
        InputStream in = BundledModel.class.getClassLoader().getResourceAsStream(RESOURCE);
        if (in == null) throw new IOException(RESOURCE + " is not on the class path");
        return in;
    }
}
