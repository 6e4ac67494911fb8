"""The numpy + OpenBLAS peer of `npm run bench`, on one thread.

Speaks the line protocol of peer_protocol.py. The MLP step is the same maths as the autograd
peers, written out by hand: forward, softmax cross-entropy, backward, SGD update, all in float32.
"""
import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from peer_protocol import serve  # noqa: E402

rng = np.random.default_rng(0)


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


if __name__ == "__main__":
    serve(
        lambda c: matmul_job(c["m"], c["k"], c["n"]),
        lambda c: mlp_job(c["sizes"], c["x"], c["y"], c["batch"]),
        {"numpy": np.__version__, "python": sys.version.split()[0]},
    )
