"""The PyTorch peer of `npm run bench`, on the CPU with TORCH_PEER_THREADS intra-op threads (default 1).

Speaks the line protocol of peer_protocol.py; an "mlp" command may add "norm" (null,
"batchnorm" or "layernorm") and "dropout" (p). The training step is what a PyTorch user writes:
nn.Linear layers, each hidden one followed by the normalization layer (if any), ReLU and
Dropout(p) (if p > 0); F.cross_entropy; backward; SGD(lr=0.01).
"""
import os
import sys

threads = int(os.environ.get("TORCH_PEER_THREADS", "1"))
os.environ.setdefault("OMP_NUM_THREADS", str(threads))

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from peer_protocol import serve  # noqa: E402

torch.set_num_threads(threads)
torch.manual_seed(0)


def matmul_job(m, k, n):
    a = torch.randn(m, k)
    b = torch.randn(k, n)
    out = torch.empty(m, n)
    return lambda: torch.matmul(a, b, out=out)


def mlp_job(sizes, x_path, y_path, batch, norm=None, dropout=0.0, lr=0.01):
    x = torch.from_numpy(np.fromfile(x_path, dtype=np.float32).reshape(batch, sizes[0]).copy())
    y = torch.from_numpy(np.fromfile(y_path, dtype=np.int32).astype(np.int64))
    layers = []
    for i, (fan_in, fan_out) in enumerate(zip(sizes, sizes[1:])):
        linear = torch.nn.Linear(fan_in, fan_out)
        torch.nn.init.kaiming_normal_(linear.weight, nonlinearity="relu")
        torch.nn.init.zeros_(linear.bias)
        layers.append(linear)
        if i + 2 < len(sizes):
            if norm == "batchnorm":
                layers.append(torch.nn.BatchNorm1d(fan_out))
            elif norm == "layernorm":
                layers.append(torch.nn.LayerNorm(fan_out))
            layers.append(torch.nn.ReLU())
            if dropout > 0:
                layers.append(torch.nn.Dropout(dropout))
    model = torch.nn.Sequential(*layers).train()
    opt = torch.optim.SGD(model.parameters(), lr=lr)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    return step


if __name__ == "__main__":
    serve(
        lambda c: matmul_job(c["m"], c["k"], c["n"]),
        lambda c: mlp_job(c["sizes"], c["x"], c["y"], c["batch"], c.get("norm"), c.get("dropout", 0.0)),
        {"torch": torch.__version__, "threads": torch.get_num_threads(), "python": sys.version.split()[0]},
    )
