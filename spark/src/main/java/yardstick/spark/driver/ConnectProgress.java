package yardstick.spark.driver;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.connect.proto.ExecutePlanResponse;
import org.sparkproject.io.grpc.CallOptions;
import org.sparkproject.io.grpc.Channel;
import org.sparkproject.io.grpc.ClientCall;
import org.sparkproject.io.grpc.ClientInterceptor;
import org.sparkproject.io.grpc.ForwardingClientCall;
import org.sparkproject.io.grpc.ForwardingClientCallListener;
import org.sparkproject.io.grpc.Metadata;
import org.sparkproject.io.grpc.MethodDescriptor;

/**
 * A Spark Connect job's progress for the notebook's bar: the server streams each running plan's stages (tasks done
 * of tasks) with its results; this reads them off the client's calls, as the JVM client has no progress handler of its
 * own. One request's stages add up across the plans it runs, as a classic driver's job group does.
 */
final class ConnectProgress implements ClientInterceptor {
    private final Map<Long, long[]> stages = new ConcurrentHashMap<>();
    private volatile Events events;

    /** Reports to {@code to} from now on (null: to nobody), starting from no stages. */
    void follow(Events to) {
        stages.clear();
        events = to;
    }

    @Override
    public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
            @Override
            public void start(Listener<A> listener, Metadata headers) {
                super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                    @Override
                    public void onMessage(A message) {
                        if (message instanceof ExecutePlanResponse r && r.hasExecutionProgress()) report(r.getExecutionProgress());
                        super.onMessage(message);
                    }
                }, headers);
            }
        };
    }

    private void report(ExecutePlanResponse.ExecutionProgress p) {
        Events to = events;
        if (to == null) return;
        for (var s : p.getStagesList()) stages.put(s.getStageId(), new long[] {s.getNumCompletedTasks(), s.getNumTasks()});
        long done = 0, total = 0;
        for (long[] s : stages.values()) {
            done += s[0];
            total += s[1];
        }
        if (total > 0) to.progress(done, total);
    }
}
