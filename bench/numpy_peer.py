"""The numpy + OpenBLAS peer of `npm run bench`, on one thread.

Reads one JSON command per line on stdin and answers one JSON line on stdout:
  {"cmd": "matmul", "id": "...", "m": M, "k": K, "n": N}              sets up A @ B in float32
  {"cmd": "mlp", "id": "...", "sizes": [784, 100, 10], "x": path, "y": path, "batch": B}
                                                                       sets up a ReLU MLP step
  {"cmd": "run", "id": "..."}                                          runs it once: {"ms": t}
The MLP step is the same maths as the autograd peers, written out by hand: forward, softmax
cross-entropy, backward, SGD update, all in float32.
"""
import json
import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import time  # noqa: E402

import numpy as np  # noqa: E402

rng = np.random.default_rng(0)
jobs = {}


def matmul_job(m, k, n):
    a = rng.standard_normal((m, k), dtype=np.float32)
    b = rng.standard_normal((k, n), dtype=np.float32)
    out = np.empty((m, n), dtype=np.float32)
    return lambda: np.matmul(a, b, out=out)


def mlp_job(sizes, x_path, y_path, batch, lr=0.01):
    x = np.fromfile(x_path, dtype=np.float32).reshape(batch, sizes[0])
    y = np.fromfile(y_path, dtype=np.int32)
    onehot = np.zeros((batch, sizes[-1]), dtype=np.float32)
    onehot[np.arange(batch), y] = 1
    ws = [(rng.standard_normal((i, o), dtype=np.float32) * np.float32(np.sqrt(2.0 / i))) for i, o in zip(sizes, sizes[1:])]
    bs = [np.zeros(o, dtype=np.float32) for o in sizes[1:]]
    lr = np.float32(lr)

    def step():
        acts = [x]
        for i, (w, b) in enumerate(zip(ws, bs)):
            z = acts[-1] @ w + b
            acts.append(np.maximum(z, 0) if i < len(ws) - 1 else z)
        z = acts[-1]
        zmax = z.max(axis=1, keepdims=True)
        e = np.exp(z - zmax)
        s = e.sum(axis=1, keepdims=True)
        loss = float(np.mean(np.log(s[:, 0]) + zmax[:, 0] - (z * onehot).sum(axis=1)))
        dz = (e / s - onehot) / np.float32(batch)
        for i in range(len(ws) - 1, -1, -1):
            a = acts[i]
            dw = a.T @ dz
            db = dz.sum(axis=0)
            if i > 0:
                dz = (dz @ ws[i].T) * (a > 0)
            ws[i] -= lr * dw
            bs[i] -= lr * db
        return loss

    return step


def main():
    for line in sys.stdin:
        cmd = json.loads(line)
        kind = cmd["cmd"]
        if kind == "matmul":
            jobs[cmd["id"]] = matmul_job(cmd["m"], cmd["k"], cmd["n"])
            reply = {"ok": True}
        elif kind == "mlp":
            jobs[cmd["id"]] = mlp_job(cmd["sizes"], cmd["x"], cmd["y"], cmd["batch"])
            reply = {"ok": True}
        elif kind == "run":
            job = jobs[cmd["id"]]
            t = time.perf_counter()
            job()
            reply = {"ms": (time.perf_counter() - t) * 1000}
        elif kind == "info":
            reply = {"numpy": np.__version__, "python": sys.version.split()[0]}
        else:
            reply = {"error": f"unknown command {kind}"}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
