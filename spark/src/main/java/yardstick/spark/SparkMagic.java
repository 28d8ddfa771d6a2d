package yardstick.spark;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import yardstick.kernel.magic.Args;
import yardstick.kernel.magic.Magic;
import yardstick.kernel.magic.MagicCall;
import yardstick.kernel.magic.MagicException;

/** {@code %spark connect MASTER | status | stop}: the notebook's Spark driver. */
public final class SparkMagic implements Magic {
    private static final Args.Spec CONNECT = Args.Spec.of(Set.of("--java"), Set.of());

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public String usage() {
        return "%spark connect local[*]|spark://HOST:7077|sc://HOST:15002 [--java JDK_BIN_JAVA] | %spark status | %spark stop";
    }

    @Override
    public String help() {
        return "Connects the notebook to Spark: a driver starts in a JVM of its own beside the kernel (--java picks "
                + "its JDK; default the kernel's), or, for sc://, a Spark Connect client that sends Yardstick's jars to "
                + "the server's session. Then %%prompt, %rag index and %%eval take --engine spark to run "
                + "over Parquet, Delta, CSV or JSONL data on the cluster. 'status' shows the connection, 'stop' ends it.";
    }

    @Override
    public Object run(MagicCall call) throws Exception {
        if (call.isCell()) throw new MagicException("%spark is a line magic");
        List<String> words = call.words();
        if (words.isEmpty()) throw new MagicException("missing subcommand: connect, status or stop");
        try {
            switch (words.get(0)) {
                case "connect" -> {
                    Args a = Args.parse(words.subList(1, words.size()), CONNECT);
                    if (a.positionals().size() != 1) throw new MagicException("connect needs one master URL: local[*], spark://HOST:7077 or sc://HOST:15002");
                    String java = a.option("--java", null);
                    SparkDriver d = Spark.connect(a.positionals().get(0), java == null ? null : Path.of(java));
                    System.out.println(describe(d));
                }
                case "status" -> System.out.println(Spark.connected() ? describe(Spark.driver()) : "Not connected to Spark.");
                case "stop" -> {
                    Spark.stop();
                    System.out.println("Spark driver stopped.");
                }
                default -> throw new MagicException("unknown subcommand '" + words.get(0) + "': use connect, status or stop");
            }
            return null;
        } catch (SparkException e) {
            throw new MagicException(e.getMessage(), e);
        }
    }

    private static String describe(SparkDriver d) {
        JsonNode i = d.info();
        String via = i.path("kind").asText().equals("connect") ? "Spark Connect client" : "driver";
        return "Spark " + i.path("spark").asText() + " at " + d.master() + " (" + via + " on Java " + i.path("java").asText()
                + ", " + i.path("parallelism").asInt() + (i.path("parallelism").asInt() == 1 ? " task slot)" : " task slots)");
    }
}
