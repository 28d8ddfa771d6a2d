"""A trainer without a model, for the command-job tests: logs a falling loss for --steps steps to the run MLflow's
environment names, over MLflow's REST API, in batches; keeps what the tracker did not take and sends it again, so a
tracker that restarts loses nothing. Writes its environment to env.json in the working folder."""
import argparse, json, os, subprocess, sys, time, urllib.request

p = argparse.ArgumentParser()
p.add_argument("--steps", type=int, default=50)
p.add_argument("--batch", type=int, default=10)
p.add_argument("--pause", type=float, default=0.0)
p.add_argument("--exit", type=int, default=0)
p.add_argument("--child", action="store_true", help="start a long sleep child and write its pid to child.pid")
p.add_argument("--artifact", help="a file to upload into the run's artifacts")
a = p.parse_args()

json.dump({k: v for k, v in os.environ.items() if k.startswith(("MLFLOW_", "YARDSTICK_", "CUDA_"))}, open("env.json", "w"))
uri, run = os.environ.get("MLFLOW_TRACKING_URI"), os.environ.get("MLFLOW_RUN_ID")
if a.child:
    open("child.pid", "w").write(str(subprocess.Popen(["sleep", "600"]).pid))


def post(path, body):
    req = urllib.request.Request(uri + "/api/2.0/mlflow/" + path, json.dumps(body).encode(), {"Content-Type": "application/json"})
    urllib.request.urlopen(req, timeout=5).read()


def send(pending):
    while pending:
        try:
            post("runs/log-batch", {"run_id": run, "metrics": pending[:1000]})
            del pending[:1000]
        except OSError as e:
            print("tracker unreachable, keeping", len(pending), "points:", e, flush=True)
            return False
    return True


pending = []
if uri:
    post("runs/log-batch", {"run_id": run, "params": [{"key": "total_steps", "value": str(a.steps)}]})
for step in range(1, a.steps + 1):
    if uri:
        pending.append({"key": "loss", "value": 3.0 / step, "timestamp": int(time.time() * 1000), "step": step})
    if step % a.batch == 0 or step == a.steps:
        print("step", step, "loss", 3.0 / step, flush=True)
        if uri:
            send(pending)
        time.sleep(a.pause)
deadline = time.time() + 60
while uri and pending and time.time() < deadline:
    time.sleep(0.2)
    send(pending)
if pending:
    print("lost", len(pending), "points", file=sys.stderr)
    sys.exit(4)
if a.artifact and uri:
    info = json.load(urllib.request.urlopen(uri + "/api/2.0/mlflow/runs/get?run_id=" + run))["run"]["info"]
    path = info["artifact_uri"].split(":", 1)[1].lstrip("/") + "/" + os.path.basename(a.artifact)
    req = urllib.request.Request(uri + "/api/2.0/mlflow-artifacts/artifacts/" + path, open(a.artifact, "rb").read(), method="PUT")
    urllib.request.urlopen(req).read()
if a.exit:
    print("failing on purpose with exit", a.exit, file=sys.stderr)
sys.exit(a.exit)
