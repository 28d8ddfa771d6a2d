#!/usr/bin/env python3
"""LoRA fine-tune of a Yardstick byte-level GPT on prompt/response pairs.

    python3 lora_finetune.py --base BASE.ysw --data pairs.jsonl [--max-steps 200] [--lr 2e-3] [--rank 8]
        [--alpha 16] [--batch 16] [--out out] [--seed 0] [--log-every 10] [--targets qkv,proj,fc,out]
        [--warmup N] [--device auto|cpu|cuda]

Reads the base model from Yardstick's YSW1 weights file and mirrors the Java GptModel operation for operation
(pre-norm blocks, LayerNorm eps 1e-5, causal attention with qkv packed [3d, d], exact-erf GELU MLP 4x wide, learned
positions, output tied to the token embedding). The base stays frozen; low-rank adapters (B A, scaled by alpha/rank)
train beside the chosen linear maps with AdamW under a linear warmup and a cosine decay to a tenth of the rate.

Each pair is trained as the local provider prompts: the prompt's UTF-8 bytes exactly as given, then the response's
bytes and a blank line ("\\n\\n", where the local sampler stops). The loss counts the response bytes only.

Logs to an MLflow tracker over its REST API when MLFLOW_TRACKING_URI is set (MLFLOW_RUN_ID names the run; without
it a run is created in MLFLOW_EXPERIMENT_ID and ended here). Every metric is also appended to OUT/metrics.jsonl;
metrics the tracker did not take are kept and sent again later, so an unreachable tracker never stops training.

Writes OUT/adapter.ysw (the LoRA tensors), OUT/merged.ysw (the base with the adapters merged in, loadable by Java as
local:PATH), OUT/probe.json (a probe input and its logits, for cross-checking an implementation) and
OUT/metrics.jsonl, and uploads adapter.ysw and merged.ysw as the run's artifacts.

Exit status: 0 on success, 1 for bad data or weights (the file and line named), 2 for bad arguments.
Standard library plus torch only (1.13 or 2.x, CPU or CUDA).
"""

import argparse
import array
import base64
import hashlib
import json
import math
import os
import shutil
import signal
import ssl
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

PROG = "lora_finetune"
MAGIC = b"YSW1"
LAYER_NORM_EPS = 1e-5
ALL_TARGETS = ("qkv", "proj", "fc", "out")
END = b"\n\n"  # the local sampler stops at a blank line
PAD = -100


class UserError(Exception):
    """Bad input (data or weights): reported on one line, exit status 1."""


def fail(message, status=1):
    sys.stdout.flush()
    print(f"{PROG}: error: {message}", file=sys.stderr, flush=True)
    sys.exit(status)


def warn(message):
    print(f"{PROG}: warning: {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------------------------------
# YSW1 weights files

def read_weights(path):
    """The header and tensors (name -> float32 tensor, in file order) of a YSW1 file, and the file's sha256."""
    if sys.byteorder != "little":
        raise UserError("this trainer reads weights on little-endian machines only")
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise UserError(f"cannot read weights {path}: {e.strerror or e}")
    digest = "sha256:" + hashlib.sha256(raw).hexdigest()
    if raw[:4] != MAGIC:
        raise UserError(f"{path} is not a Yardstick weights file (no YSW1 magic)")
    if len(raw) < 8:
        raise UserError(f"{path} is truncated")
    n = int.from_bytes(raw[4:8], "little")
    if n <= 0 or 8 + n > len(raw):
        raise UserError(f"{path} has a corrupt header length ({n})")
    try:
        header = json.loads(raw[8:8 + n].decode("utf-8"))
        specs = header["tensors"]
    except (ValueError, KeyError, TypeError) as e:
        raise UserError(f"{path} has a corrupt header: {e}")
    import torch  # only now: a file that is not weights at all is refused without the wait

    offset = 8 + n
    tensors = {}
    for spec in specs:
        try:
            name, shape, dtype = spec["name"], [int(d) for d in spec["shape"]], spec["dtype"]
        except (KeyError, TypeError, ValueError) as e:
            raise UserError(f"{path}: tensor entry {spec!r} is malformed: {e}")
        if dtype not in ("f32", "f16"):
            raise UserError(f"{path}: tensor '{name}' has dtype '{dtype}', not f32 or f16")
        count = math.prod(shape)
        size = count * (2 if dtype == "f16" else 4)
        if offset + size > len(raw):
            raise UserError(f"{path} is truncated: tensor '{name}' needs {size} bytes at offset {offset}, "
                            f"the file has {len(raw)}")
        buf = bytearray(raw[offset:offset + size])
        t = torch.frombuffer(buf, dtype=torch.float16 if dtype == "f16" else torch.float32) if count else \
            torch.zeros(0)
        tensors[name] = t.float().reshape(shape).clone()
        offset += size
    return header, tensors, digest


def write_weights(path, kind, config, meta, tensors):
    """Writes a YSW1 file in float32 atomically (a reader never sees half a file); tensors: (name, tensor) pairs."""
    header = {"kind": kind, "config": config, "meta": meta,
              "tensors": [{"name": n, "shape": list(t.shape), "dtype": "f32"} for n, t in tensors]}
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(MAGIC)
        f.write(len(h).to_bytes(4, "little"))
        f.write(h)
        for _, t in tensors:
            a = array.array("f", t.detach().float().cpu().reshape(-1).tolist())
            if sys.byteorder != "little":
                a.byteswap()
            f.write(a.tobytes())
    os.replace(tmp, path)


# ---------------------------------------------------------------------------------------------------------------------
# The model

class Config:
    def __init__(self, c, source):
        try:
            self.vocab = int(c.get("vocab", 256))
            self.context, self.dim = int(c["context"]), int(c["dim"])
            self.layers, self.heads = int(c["layers"]), int(c["heads"])
        except (KeyError, TypeError, ValueError, AttributeError) as e:
            raise UserError(f"{source}: config {c!r} is malformed: {e}")
        if min(self.vocab, self.context) < 2 or min(self.dim, self.layers, self.heads) < 1 or self.dim % self.heads:
            raise UserError(f"{source}: config {c!r} is not a valid model shape")
        self.hidden = 4 * self.dim

    def json(self):
        return {"vocab": self.vocab, "context": self.context, "dim": self.dim, "layers": self.layers,
                "heads": self.heads}

    def shapes(self):
        """Every tensor of a model of this shape, in the order the Java trainer writes them."""
        d, h = self.dim, self.hidden
        s = {"tok": [self.vocab, d], "pos": [self.context, d]}
        for l in range(self.layers):
            p = f"l{l}."
            s.update({p + "ln1.g": [d], p + "ln1.b": [d], p + "qkv.w": [3 * d, d], p + "qkv.b": [3 * d],
                      p + "proj.w": [d, d], p + "proj.b": [d], p + "ln2.g": [d], p + "ln2.b": [d],
                      p + "fc.w": [h, d], p + "fc.b": [h], p + "out.w": [d, h], p + "out.b": [d]})
        s.update({"lnf.g": [d], "lnf.b": [d]})
        return s


def load_base(path):
    header, tensors, digest = read_weights(path)
    if header.get("kind") != "gpt":
        raise UserError(f"{path} holds a '{header.get('kind')}', not a language model (kind gpt)")
    config = Config(header.get("config") or {}, path)
    for name, shape in config.shapes().items():
        if name not in tensors:
            raise UserError(f"{path} has no tensor '{name}'")
        if list(tensors[name].shape) != shape:
            raise UserError(f"{path}: tensor '{name}' has shape {list(tensors[name].shape)}, expected {shape}")
    return header, config, tensors, digest


def linear_for(device):
    """F.linear, or on a CPU build whose BLAS is the slow reference one (Debian's python3-torch) the same product as
    a 1x1 convolution, which oneDNN computes about ten times faster there."""
    import torch
    import torch.nn.functional as F

    if device != "cpu" or not torch.backends.mkldnn.is_available() or "BLAS_INFO=generic" not in torch.__config__.show():
        return F.linear

    def conv_linear(x, w, b=None):
        y = F.conv2d(x.reshape(-1, x.shape[-1], 1, 1), w[:, :, None, None], b)
        return y.reshape(*x.shape[:-1], w.shape[0])

    return conv_linear


def build_model(config, base, targets, rank, alpha, seed, device="cpu", dtype=None):
    import torch
    import torch.nn.functional as F

    dtype = dtype or torch.float32
    lin = linear_for(device) if dtype == torch.float32 else F.linear

    class LoraGpt(torch.nn.Module):
        """GptModel's math over frozen base tensors, plus trainable low-rank adapters on the target linear maps."""

        def __init__(self):
            super().__init__()
            self.c = config
            self.base = {k: v.to(device=device, dtype=dtype) for k, v in base.items()}
            self.scale = alpha / rank
            self.lora = torch.nn.ParameterDict()
            g = torch.Generator().manual_seed(seed)
            for l in range(config.layers):
                for t in targets:
                    w = self.base[f"l{l}.{t}.w"]
                    out_f, in_f = w.shape
                    bound = 1 / math.sqrt(in_f)  # PEFT's kaiming_uniform(a=sqrt(5)) bound for A
                    a = (torch.rand(rank, in_f, generator=g) * 2 - 1) * bound
                    self.lora[f"l{l}_{t}_a"] = torch.nn.Parameter(a.to(device=device, dtype=dtype))
                    self.lora[f"l{l}_{t}_b"] = torch.nn.Parameter(torch.zeros(out_f, rank, device=device, dtype=dtype))
            self.mask = torch.triu(torch.ones(config.context, config.context, dtype=torch.bool, device=device), 1)

        def linear(self, x, l, t, use_lora):
            y = lin(x, self.base[f"l{l}.{t}.w"], self.base[f"l{l}.{t}.b"])
            key = f"l{l}_{t}_a"
            if use_lora and key in self.lora:
                y = y + lin(lin(x, self.lora[key]), self.lora[f"l{l}_{t}_b"]) * self.scale
            return y

        def forward(self, ids, use_lora=True):
            c, w = self.c, self.base
            b, t = ids.shape
            d, h, hd = c.dim, c.heads, c.dim // c.heads
            x = w["tok"][ids] + w["pos"][:t]
            mask = self.mask[:t, :t]
            scale = 1 / math.sqrt(hd)
            for l in range(c.layers):
                p = f"l{l}."
                a = F.layer_norm(x, (d,), w[p + "ln1.g"], w[p + "ln1.b"], LAYER_NORM_EPS)
                qkv = self.linear(a, l, "qkv", use_lora).view(b, t, 3, h, hd).permute(2, 0, 3, 1, 4)
                q, k, v = qkv[0], qkv[1], qkv[2]
                att = (q @ k.transpose(-1, -2)) * scale
                att = att.masked_fill(mask, float("-inf")).softmax(-1)
                o = (att @ v).transpose(1, 2).reshape(b, t, d)
                x = x + self.linear(o, l, "proj", use_lora)
                a = F.layer_norm(x, (d,), w[p + "ln2.g"], w[p + "ln2.b"], LAYER_NORM_EPS)
                f = F.gelu(self.linear(a, l, "fc", use_lora))  # exact (erf) GELU, as GptModel
                x = x + self.linear(f, l, "out", use_lora)
            x = F.layer_norm(x, (d,), w["lnf.g"], w["lnf.b"], LAYER_NORM_EPS)
            return lin(x, w["tok"])

        def adapters(self):
            """The LoRA tensors as CPU float32, named l{layer}.{target}.lora_a [r, in] and .lora_b [out, r]."""
            return [(f"l{l}.{t}.lora_{ab}", self.lora[f"l{l}_{t}_{ab}"].detach().float().cpu())
                    for l in range(self.c.layers) for t in targets for ab in ("a", "b")]

        def load_adapters(self, adapters):
            with torch.no_grad():
                for name, value in adapters:
                    l, t, ab = name.split(".")
                    self.lora[f"{l}_{t}_{ab[-1]}"].copy_(value)
            return self

    return LoraGpt()


# ---------------------------------------------------------------------------------------------------------------------
# Data

def read_pairs(path):
    """The (prompt bytes, response bytes) pairs of a JSONL file; a bad line raises UserError naming it."""
    pairs = []
    try:
        with open(path, "rb") as f:
            lines = f.read().split(b"\n")
    except OSError as e:
        raise UserError(f"cannot read data {path}: {e.strerror or e}")
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        where = f"{path} line {number}"
        try:
            row = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError as e:
            raise UserError(f"{where}: not UTF-8 ({e.reason} at byte {e.start})")
        except ValueError as e:
            raise UserError(f"{where}: not valid JSON ({e})")
        if not isinstance(row, dict):
            raise UserError(f"{where}: expected an object with 'prompt' and 'response', got {type(row).__name__}")
        for field in ("prompt", "response"):
            if field not in row:
                raise UserError(f"{where}: no '{field}' field")
            if not isinstance(row[field], str) or not row[field]:
                raise UserError(f"{where}: '{field}' must be a non-empty string")
        pairs.append((row["prompt"].encode("utf-8"), row["response"].encode("utf-8")))
    if not pairs:
        raise UserError(f"{path} holds no prompt/response pairs")
    return pairs


def sequences(pairs, context):
    """Input ids, targets (PAD where no loss) and the count of pairs cut to fit the context, as padded lists."""
    rows, cut = [], 0
    for prompt, response in pairs:
        r = response + END
        if len(prompt) + len(r) > context + 1:
            cut += 1
            # As the local sampler does, keep the prompt's end; keep at least half the context for it.
            prompt = prompt[-max(context // 2, context + 1 - len(r)):]
            r = r[:context + 1 - len(prompt)]
        seq = list(prompt + r)
        inputs = seq[:-1]
        targets = [b if i + 1 >= len(prompt) else PAD for i, b in enumerate(seq[1:])]
        rows.append((inputs, targets))
    width = max(len(i) for i, _ in rows)
    ids = [i + [0] * (width - len(i)) for i, _ in rows]
    tgt = [t + [PAD] * (width - len(t)) for _, t in rows]
    return ids, tgt, cut


# ---------------------------------------------------------------------------------------------------------------------
# MLflow REST logging

class Tracker:
    """MLflow's REST API from the environment contract: MLFLOW_TRACKING_URI, MLFLOW_RUN_ID, MLFLOW_EXPERIMENT_ID."""

    TIMEOUT = 10

    def __init__(self, uri, run_id, experiment_id):
        self.uri = uri.rstrip("/")
        self.run_id = run_id
        self.experiment_id = experiment_id
        self.created = False
        self.headers = {}
        token = os.environ.get("MLFLOW_TRACKING_TOKEN")
        user, password = os.environ.get("MLFLOW_TRACKING_USERNAME"), os.environ.get("MLFLOW_TRACKING_PASSWORD")
        if token:
            self.headers["Authorization"] = "Bearer " + token
        elif user or password:
            basic = base64.b64encode(f"{user or ''}:{password or ''}".encode("utf-8")).decode("ascii")
            self.headers["Authorization"] = "Basic " + basic
        self.ssl = None
        if os.environ.get("MLFLOW_TRACKING_INSECURE_TLS", "").lower() == "true":
            self.ssl = ssl._create_unverified_context()

    def request(self, method, url, body=None, data=None, content_type="application/json"):
        headers = dict(self.headers)
        if body is not None:
            data = json.dumps(body).encode("utf-8")
        if data is not None:
            headers["Content-Type"] = content_type
        req = urllib.request.Request(url, data=data, method=method, headers=headers)
        with urllib.request.urlopen(req, timeout=self.TIMEOUT, context=self.ssl) as resp:
            text = resp.read()
        return json.loads(text) if text.strip() else {}

    def api(self, method, path, body=None):
        return self.request(method, f"{self.uri}/api/2.0/mlflow/{path}", body)

    def log_batch(self, metrics=(), params=()):
        self.api("POST", "runs/log-batch", {"run_id": self.run_id, "metrics": list(metrics), "params": list(params)})

    def create_run(self):
        body = {"experiment_id": self.experiment_id or "0", "start_time": int(time.time() * 1000),
                "run_name": "lora-finetune",
                "tags": [{"key": "mlflow.source.name", "value": os.path.basename(__file__)},
                         {"key": "mlflow.source.type", "value": "LOCAL"}]}
        info = self.api("POST", "runs/create", body)["run"]["info"]
        self.run_id, self.experiment_id, self.created = info["run_id"], info["experiment_id"], True

    def end_run(self, status):
        self.api("POST", "runs/update", {"run_id": self.run_id, "status": status,
                                         "end_time": int(time.time() * 1000)})

    def upload(self, files):
        """Puts files at the run's artifact root: through the artifact proxy, or by copying to a file: root."""
        info = self.api("GET", "runs/get?run_id=" + urllib.parse.quote(self.run_id))["run"]["info"]
        root = info.get("artifact_uri") or ""
        if root.startswith("mlflow-artifacts:"):
            rest = root[len("mlflow-artifacts:"):]
            if rest.startswith("//"):  # mlflow-artifacts://host:port/path: the path is on this tracker
                slash = rest.find("/", 2)
                rest = "" if slash < 0 else rest[slash:]
            rest = rest.strip("/")
            for f in files:
                path = (rest + "/" if rest else "") + os.path.basename(f)
                url = f"{self.uri}/api/2.0/mlflow-artifacts/artifacts/{urllib.parse.quote(path, safe='/')}"
                with open(f, "rb") as fh:
                    self.request("PUT", url, data=fh.read(), content_type="application/octet-stream")
            return root
        if root.startswith("file:") or root.startswith("/"):
            folder = urllib.request.url2pathname(urllib.parse.urlparse(root).path) if root.startswith("file:") else root
            os.makedirs(folder, exist_ok=True)
            for f in files:
                shutil.copyfile(f, os.path.join(folder, os.path.basename(f)))
            return root
        raise RuntimeError(f"artifact URI '{root}' is neither mlflow-artifacts: nor file:")


def describe(error):
    if isinstance(error, urllib.error.HTTPError):
        try:
            detail = json.loads(error.read().decode("utf-8", "replace")).get("message", "")
        except (ValueError, AttributeError, OSError):
            detail = ""
        return f"HTTP {error.code}" + (f": {detail}" if detail else "")
    if isinstance(error, urllib.error.URLError):
        return str(error.reason)
    return str(error)


def rejected(error):
    """A 4xx answer: sending the same batch again cannot succeed."""
    return isinstance(error, urllib.error.HTTPError) and 400 <= error.code < 500 and error.code not in (408, 429)


class MetricLog:
    """Every metric goes to metrics.jsonl at once and to the tracker in batches from a background thread, at most
    a few requests a second; what the tracker did not take stays queued and is retried with backoff."""

    MIN_INTERVAL, MAX_BACKOFF, BATCH = 0.3, 30.0, 1000

    def __init__(self, tracker, path):
        self.tracker = tracker
        self.file = open(path, "w", encoding="utf-8")
        self.pending, self.params = [], []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.down_since = None
        self.backoff = 1.0
        self.thread = None
        if tracker:
            self.thread = threading.Thread(target=self.loop, name="mlflow-metrics", daemon=True)
            self.thread.start()

    def log_params(self, params):
        with self.lock:
            self.params += [{"key": k, "value": str(v)} for k, v in params.items()]

    def log(self, step, values):
        ts = int(time.time() * 1000)
        rows = [{"key": k, "value": float(v), "timestamp": ts, "step": int(step)} for k, v in values.items()]
        for r in rows:
            self.file.write(json.dumps(r) + "\n")
        self.file.flush()
        if self.tracker:
            with self.lock:
                self.pending += rows

    def loop(self):
        wait = self.MIN_INTERVAL
        while not self.stop.wait(wait):
            wait = self.MIN_INTERVAL if self.send() else self.backoff

    def send(self):
        """One attempt to send what is queued; True when the tracker took it (or nothing was queued)."""
        with self.lock:
            params, metrics = self.params[:100], self.pending[:self.BATCH]
        if not params and not metrics:
            return True
        try:
            if params:
                try:
                    self.tracker.log_batch(params=params)
                except urllib.error.HTTPError as e:
                    if not rejected(e):
                        raise
                    warn(f"the tracker refused the params ({describe(e)}); they are not logged")
                with self.lock:
                    del self.params[:len(params)]
            if metrics:
                try:
                    self.tracker.log_batch(metrics=metrics)
                except urllib.error.HTTPError as e:
                    if not rejected(e):
                        raise
                    warn(f"the tracker refused {len(metrics)} metrics ({describe(e)}); they are in metrics.jsonl")
                with self.lock:
                    del self.pending[:len(metrics)]
        except Exception as e:  # unreachable, 5xx, a reset connection: keep everything and retry later
            if self.down_since is None:
                self.down_since = time.time()
                warn(f"tracker {self.tracker.uri} is unreachable ({describe(e)}); training goes on, metrics are "
                     f"kept and sent when it is back (all are in metrics.jsonl)")
            self.backoff = min(self.MAX_BACKOFF, self.backoff * 2)
            return False
        if self.down_since is not None:
            print(f"{PROG}: tracker is back; sending the metrics kept meanwhile", file=sys.stderr, flush=True)
            self.down_since = None
        self.backoff = 1.0
        return True

    def close(self, attempts=3):
        """Stops the thread and sends what is left, trying a few times; True when nothing is left unsent."""
        self.stop.set()
        if self.thread:
            self.thread.join()
        self.file.close()
        if not self.tracker:
            return True
        for i in range(attempts):
            while self.pending or self.params:
                if not self.send():
                    break
            if not self.pending and not self.params:
                return True
            if i + 1 < attempts:
                time.sleep(1.0 * (i + 1))
        warn(f"{len(self.pending)} metrics could not reach the tracker; all are in metrics.jsonl")
        return False


def tracker_from_env():
    uri = os.environ.get("MLFLOW_TRACKING_URI", "").strip()
    if not uri:
        return None
    if not (uri.startswith("http://") or uri.startswith("https://")):
        warn(f"MLFLOW_TRACKING_URI '{uri}' is not an http(s) tracking server; nothing is logged there")
        return None
    t = Tracker(uri, os.environ.get("MLFLOW_RUN_ID") or None, os.environ.get("MLFLOW_EXPERIMENT_ID") or None)
    if t.run_id is None:
        try:
            t.create_run()
            print(f"{PROG}: created run {t.run_id} in experiment {t.experiment_id}", flush=True)
        except Exception as e:
            warn(f"cannot create a run at {uri} ({describe(e)}); metrics go to metrics.jsonl only")
            return None
    return t


# ---------------------------------------------------------------------------------------------------------------------
# Training

def learning_rate(step, total, peak, warmup):
    """Linear warmup to the peak over `warmup` steps, then a cosine down to a tenth of it at the last step."""
    if step <= warmup:
        return peak * step / max(1, warmup)
    progress = (step - warmup) / max(1, total - warmup)
    return peak * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress)))


def parse_args(argv):
    p = argparse.ArgumentParser(prog=PROG, description="LoRA fine-tune of a Yardstick byte-level GPT on prompt/response "
                                "pairs (JSONL with 'prompt' and 'response'), logging to MLflow when configured.")
    p.add_argument("--base", required=True, help="base weights file (YSW1, kind gpt)")
    p.add_argument("--data", required=True, help="JSONL of {\"prompt\": ..., \"response\": ...}")
    p.add_argument("--max-steps", type=int, default=200)
    p.add_argument("--lr", type=float, default=2e-3, help="peak learning rate")
    p.add_argument("--rank", type=int, default=8)
    p.add_argument("--alpha", type=float, default=16.0)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--out", default="out", help="output folder (default ./out)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--log-every", type=int, default=10)
    p.add_argument("--warmup", type=int, default=None, help="warmup steps (default a tenth of the steps, up to 100)")
    p.add_argument("--targets", default=",".join(ALL_TARGETS),
                   help="linear maps that get adapters, from " + ",".join(ALL_TARGETS))
    p.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
    a = p.parse_args(argv)
    for name in ("max_steps", "rank", "batch", "log_every"):
        if getattr(a, name) < 1:
            p.error(f"--{name.replace('_', '-')} must be at least 1")
    if not (a.lr > 0 and math.isfinite(a.lr)):
        p.error("--lr must be a positive number")
    if not (a.alpha > 0 and math.isfinite(a.alpha)):
        p.error("--alpha must be a positive number")
    if a.warmup is not None and a.warmup < 0:
        p.error("--warmup must not be negative")
    a.targets = [t.strip() for t in a.targets.split(",") if t.strip()]
    unknown = [t for t in a.targets if t not in ALL_TARGETS]
    if unknown or not a.targets:
        p.error(f"--targets must name some of {','.join(ALL_TARGETS)}, not {','.join(unknown) or 'nothing'}")
    a.targets = [t for t in ALL_TARGETS if t in a.targets]
    if a.warmup is None:
        a.warmup = min(100, a.max_steps // 10)
    return a


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    # A cancelled job still sends what it has: SIGTERM unwinds through the finally blocks below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    try:
        pairs = read_pairs(args.data)  # before importing torch, so bad data is named at once
        import torch
        header, config, base, digest = load_base(args.base)
    except ImportError as e:
        fail(f"cannot import PyTorch ({e}): install it for {sys.executable} (Debian: apt-get install python3-torch;"
             f" else pip install torch)")
    except UserError as e:
        fail(str(e))

    if args.device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    elif args.device == "cuda" and not torch.cuda.is_available():
        fail("--device cuda, but torch sees no CUDA device", 2)
    else:
        device = args.device
    torch.manual_seed(args.seed)
    os.makedirs(args.out, exist_ok=True)

    ids, tgt, cut = sequences(pairs, config.context)
    if cut:
        warn(f"{cut} of {len(pairs)} pairs are longer than the model's {config.context}-byte context: "
             f"their prompt's start or response's end is cut")
    inputs = torch.tensor(ids, dtype=torch.long, device=device)
    targets = torch.tensor(tgt, dtype=torch.long, device=device)
    lengths = (targets != PAD).long().cumsum(1).argmax(1) + 1  # each row's last scored position, plus one

    model = build_model(config, base, args.targets, args.rank, args.alpha, args.seed, device)
    trainable = list(model.lora.parameters())
    optimizer = torch.optim.AdamW(trainable, lr=args.lr, betas=(0.9, 0.999), weight_decay=0.0)

    tracker = tracker_from_env()
    log = MetricLog(tracker, os.path.join(args.out, "metrics.jsonl"))
    status = "FAILED"
    try:
        n_params = sum(p.numel() for p in trainable)
        log.log_params({"base": os.path.basename(args.base), "base_digest": digest, "data": os.path.basename(args.data),
                        "pairs": len(pairs), "rank": args.rank, "alpha": args.alpha, "lr": args.lr,
                        "max_steps": args.max_steps, "total_steps": args.max_steps, "batch": args.batch,
                        "warmup": args.warmup, "targets": ",".join(args.targets), "seed": args.seed,
                        "device": device, "trainable_params": n_params, "torch": torch.__version__})
        print(f"{PROG}: {len(pairs)} pairs, {n_params:,} adapter parameters (rank {args.rank}, alpha {args.alpha:g}, "
              f"{','.join(args.targets)}) on {os.path.basename(args.base)}, device {device}", flush=True)

        g = torch.Generator().manual_seed(args.seed)
        order, cursor = torch.randperm(len(pairs), generator=g), 0
        window_loss, window_steps, window_tokens, window_start = 0.0, 0, 0, time.time()
        start, final_loss = time.time(), float("nan")
        model.train()
        for step in range(1, args.max_steps + 1):
            picks, picked = [], 0
            while picked < args.batch:  # epochs, each in a fresh random order
                if cursor == len(order):
                    order, cursor = torch.randperm(len(pairs), generator=g), 0
                take = min(args.batch - picked, len(order) - cursor)
                picks.append(order[cursor:cursor + take])
                cursor, picked = cursor + take, picked + take
            rows = torch.cat(picks).to(device)
            width = int(lengths[rows].max())
            x, y = inputs[rows, :width], targets[rows, :width]
            lr = learning_rate(step, args.max_steps, args.lr, args.warmup)
            for group in optimizer.param_groups:
                group["lr"] = lr
            logits = model(x)
            loss = torch.nn.functional.cross_entropy(logits.reshape(-1, config.vocab), y.reshape(-1),
                                                     ignore_index=PAD)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            loss_value = float(loss.detach())
            if not math.isfinite(loss_value):
                raise RuntimeError(f"the loss is {loss_value} at step {step}: lower --lr")
            window_loss += loss_value
            window_steps += 1
            window_tokens += int(x.numel())
            if step % args.log_every == 0 or step == args.max_steps:
                now = time.time()
                mean = final_loss = window_loss / window_steps
                tps = window_tokens / max(1e-9, now - window_start)
                log.log(step, {"loss": mean, "lr": lr, "tokens_per_s": tps})
                print(f"step {step}/{args.max_steps} loss {mean:.4f} lr {lr:.3g} tokens/s {tps:,.0f} "
                      f"elapsed {now - start:.1f}s", flush=True)
                window_loss, window_steps, window_tokens, window_start = 0.0, 0, 0, now
        elapsed = time.time() - start

        model.eval()
        files = write_results(args, header, config, base, model, digest, final_loss, inputs[:8].cpu(),
                              pairs[0][0][-config.context:])
        print(f"{PROG}: {args.max_steps} steps in {elapsed:.1f}s ({args.max_steps / max(elapsed, 1e-9):.1f} steps/s), "
              f"final loss {final_loss:.4f}; wrote {', '.join(files)}", flush=True)
        status = "FINISHED"
    except UserError as e:
        fail(str(e))
    except RuntimeError as e:  # a diverged loss, a failed merge check, CUDA out of memory
        fail(str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__)
    finally:
        sent = log.close()
        results = [os.path.join(args.out, "adapter.ysw"), os.path.join(args.out, "merged.ysw")]
        if tracker and status == "FINISHED":
            if sent:
                upload(tracker, results)
            else:
                warn(f"the tracker is still unreachable: adapter.ysw and merged.ysw stay in {args.out}, not uploaded")
        if tracker and tracker.created and sent:
            try:
                tracker.end_run(status)
            except Exception as e:
                warn(f"cannot end run {tracker.run_id} ({describe(e)})")
    return 0


def upload(tracker, files, attempts=3):
    for i in range(attempts):
        try:
            where = tracker.upload(files)
            print(f"{PROG}: uploaded {', '.join(os.path.basename(f) for f in files)} to {where}", flush=True)
            return True
        except Exception as e:
            if i + 1 == attempts or rejected(e):
                warn(f"cannot upload the artifacts ({describe(e)}); they stay in {os.path.dirname(files[0])}")
                return False
            time.sleep(1.0 * (i + 1))


def merge(base, adapters, scale):
    """The base tensors with every adapter folded in, W + (alpha/r) B A, computed in float64 and stored as float32."""
    out = dict(base)
    named = dict(adapters)
    for name in named:
        if name.endswith(".lora_a"):
            prefix = name[:-len(".lora_a")]
            a, b = named[name].double(), named[prefix + ".lora_b"].double()
            out[prefix + ".w"] = (base[prefix + ".w"].double() + (b @ a) * scale).float()
    return out


def write_results(args, header, config, base, model, digest, final_loss, rows, probe_text):
    """Writes adapter.ysw, merged.ysw and probe.json; fails unless merged.ysw computes what base plus adapters does."""
    import torch

    adapters = model.adapters()
    info = {"method": "lora", "rank": args.rank, "alpha": args.alpha, "targets": args.targets,
            "base": os.path.basename(args.base), "base_digest": digest, "steps": args.max_steps, "lr": args.lr,
            "data": os.path.basename(args.data), "final_loss": final_loss}
    adapter_path = os.path.join(args.out, "adapter.ysw")
    merged_path = os.path.join(args.out, "merged.ysw")
    write_weights(adapter_path, "lora", config.json(), dict(info, tokenizer="bytes"), adapters)
    meta = dict(header.get("meta") or {})
    meta.update({"tokenizer": "bytes", "finetune": info})
    merged = merge(base, adapters, args.alpha / args.rank)
    write_weights(merged_path, "gpt", config.json(), meta, [(n, merged[n]) for n in config.shapes()])

    # Read back, on the CPU in float32: the merged file against the base with its adapters beside it.
    _, _, reread, _ = load_base(merged_path)
    unmerged = build_model(config, base, args.targets, args.rank, args.alpha, args.seed).load_adapters(adapters)
    folded = build_model(config, reread, args.targets, args.rank, args.alpha, args.seed)
    with torch.no_grad():
        diff = float((unmerged(rows, use_lora=True) - folded(rows, use_lora=False)).abs().max())
    if not diff <= 1e-4:
        raise RuntimeError(f"merged.ysw differs from base plus adapters by {diff:.3g} in the logits")
    # The probe's logits in float64: a reference any float32 implementation should meet to about 1e-4.
    exact = build_model(config, reread, args.targets, args.rank, args.alpha, args.seed, dtype=torch.float64)
    with torch.no_grad():
        logits = exact(torch.tensor([list(probe_text)], dtype=torch.long), use_lora=False)[0, -1]
    probe = {"model": "merged.ysw", "text": probe_text.decode("utf-8", "replace"), "bytes": list(probe_text),
             "position": len(probe_text) - 1, "logits": [float(v) for v in logits], "merge_max_abs_diff": diff}
    probe_path = os.path.join(args.out, "probe.json")
    with open(probe_path + ".tmp", "w", encoding="utf-8") as f:
        json.dump(probe, f)
    os.replace(probe_path + ".tmp", probe_path)
    return [adapter_path, merged_path, probe_path]


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
