package yardstick.kernel.output;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** System.in for cells: when its buffer is empty it asks the front end of the reading thread's cell for a line. */
final class RoutingInputStream extends InputStream {
    private byte[] line = new byte[0];
    private int pos;

    @Override
    public synchronized int read() throws IOException {
        if (!fill()) return -1;
        return line[pos++] & 0xFF;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (!fill()) return -1;
        int n = Math.min(len, line.length - pos);
        System.arraycopy(line, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public synchronized int available() {
        return line.length - pos;
    }

    private boolean fill() throws IOException {
        if (pos < line.length) return true;
        OutputRoute route = OutputRoute.current();
        if (route == null) return false;
        route.flush();  // a prompt printed with System.out.print must be visible before the question
        if (!route.sink().inputAllowed()) {
            // Readers such as Scanner turn this exception into "No line found": say why where the person looks.
            System.err.println("System.in: this front end does not accept input (allow_stdin is false)");
            throw new IOException("this front end does not accept input (allow_stdin is false)");
        }
        String text = route.sink().input("", false);
        if (text == null) return false;
        line = (text + "\n").getBytes(StandardCharsets.UTF_8);
        pos = 0;
        return true;
    }
}
