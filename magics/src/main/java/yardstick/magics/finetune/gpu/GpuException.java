package yardstick.magics.finetune.gpu;

/** A GPU request that cannot be met, or GPU bookkeeping that cannot be read or written; the message says which. */
public final class GpuException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GpuException(String message) {
        super(message);
    }

    public GpuException(String message, Throwable cause) {
        super(message, cause);
    }
}
