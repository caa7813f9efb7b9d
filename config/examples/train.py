#!/usr/bin/env python3
"""An example training run for the `train` task type (config/tasks.yaml): install as /srv/models/train.py on the GPU
workers, with PyTorch importable by /usr/bin/python3 (or point the type's command at a venv's python and add the venv
to read_only_binds).

Caravan runs it in a GPU slot: CUDA_VISIBLE_DEVICES names the slot's GPU alone, and in the sandbox only that GPU's
/dev/nvidia<N> and the control nodes exist, so `cuda` below is that GPU. The sandbox has no network: data and weights
must be on the host, under a read_only_binds path. Its working folder (/box) is writable; what it writes to --out
comes back in the task's result (metrics.json here), the rest is removed after the run.

Not run in this repository's tests: no GPU machine was available when it was written.
"""
import argparse
import json
import os
import time

import torch
from torch import nn


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--lr", type=float, default=0.001)
    parser.add_argument("--out", default="out")
    args = parser.parse_args()

    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    print(f"CUDA_VISIBLE_DEVICES={os.environ.get('CUDA_VISIBLE_DEVICES', '')} device={device}"
          f" gpus_seen={torch.cuda.device_count()}", flush=True)

    torch.manual_seed(0)
    # a synthetic regression task: y = x @ w + noise
    inputs = torch.randn(8192, 64, device=device)
    weights = torch.randn(64, 1, device=device)
    targets = inputs @ weights + 0.1 * torch.randn(8192, 1, device=device)

    model = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 1)).to(device)
    optimiser = torch.optim.Adam(model.parameters(), lr=args.lr)
    loss_fn = nn.MSELoss()

    started = time.monotonic()
    history = []
    for epoch in range(1, args.epochs + 1):
        for batch in torch.split(torch.randperm(inputs.shape[0], device=device), 256):
            optimiser.zero_grad()
            loss = loss_fn(model(inputs[batch]), targets[batch])
            loss.backward()
            optimiser.step()
        with torch.no_grad():
            epoch_loss = loss_fn(model(inputs), targets).item()
        history.append(epoch_loss)
        print(f"epoch {epoch}/{args.epochs} loss {epoch_loss:.5f}", flush=True)

    torch.save(model.state_dict(), "checkpoint.pt")   # in /box: removed after the run, not sent back
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "metrics.json"), "w") as metrics:
        json.dump({"epochs": args.epochs, "lr": args.lr, "final_loss": history[-1], "loss": history,
                   "device": str(device), "seconds": round(time.monotonic() - started, 3)}, metrics)


if __name__ == "__main__":
    main()
