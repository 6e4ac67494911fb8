"""The line protocol of the bench's Python peers (numpy_peer.py, torch_peer.py).

Each stdin line is one JSON command, answered by one JSON line on stdout:
  {"cmd": "matmul", "id": "...", "m": M, "k": K, "n": N}   sets up A @ B in float32
  {"cmd": "mlp", "id": "...", "sizes": [...], "x": path, "y": path, "batch": B, ...}
                                                            sets up a training step
  {"cmd": "run", "id": "..."}                               runs it once: {"ms": t}
  {"cmd": "info"}                                           the peer's versions
"""
import json
import sys
import time


def serve(matmul_job, mlp_job, info):
    """Answers commands until stdin closes; `matmul_job(cmd)` and `mlp_job(cmd)` return a callable step."""
    jobs = {}
    for line in sys.stdin:
        cmd = json.loads(line)
        kind = cmd["cmd"]
        if kind in ("matmul", "mlp"):
            jobs[cmd["id"]] = matmul_job(cmd) if kind == "matmul" else mlp_job(cmd)
            reply = {"ok": True}
        elif kind == "run":
            job = jobs[cmd["id"]]
            t = time.perf_counter()
            job()
            reply = {"ms": (time.perf_counter() - t) * 1000}
        elif kind == "info":
            reply = info
        else:
            reply = {"error": f"unknown command {kind}"}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()
