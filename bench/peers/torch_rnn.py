"""PyTorch CPU peer for the training benchmarks (bench/train.bench.ts runs it in the same run).

Reads a JSON job on stdin:
  {"repeats": 3, "models": [{"name", "cell": "lstm"|"gru"|"rnn", "vocab", "emb", "units", "classes",
    "mask", "warmup", "batches": [{"x": [...], "shape": [B, T], "lengths": [...], "y": [...]}]}]}
and trains, for each model, the same network as the Keras/TF.js one:
  Embedding(vocab, emb) -> bidirectional cell(units), final states of both directions concatenated
  -> Linear(2 units, classes) -> softmax cross-entropy, Adam(1e-3, eps 1e-7),
on exactly the batches given. A masked model with padded batches packs them
(pack_padded_sequence), which is what Keras's mask computes for right padding: each direction
reads only the real steps. PyTorch's GRU is Keras's reset_after=True form.

Each repeat builds a fresh model and times every optimizer step (zero_grad, forward, loss,
backward, step); the first `warmup` steps are dropped; a repeat's value is the median step.
Each model runs with 1 thread and with every core the process may use (or the job's "threads" list).
Prints one JSON object: {"torch": version, "cores": n, "results": [{"name", "threads", "repeats": [...]}]}.
"""
import json
import os
import statistics
import sys
import time

import torch
from torch import nn


class Net(nn.Module):
    def __init__(self, cell, vocab, emb, units, classes):
        super().__init__()
        self.embedding = nn.Embedding(vocab, emb)
        rnn = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}[cell]
        self.rnn = rnn(emb, units, batch_first=True, bidirectional=True)
        self.cell = cell
        self.dense = nn.Linear(2 * units, classes)

    def forward(self, x, lengths, pack):
        e = self.embedding(x)
        if pack:
            e = nn.utils.rnn.pack_padded_sequence(e, lengths, batch_first=True, enforce_sorted=False)
        _, state = self.rnn(e)
        h = state[0] if self.cell == "lstm" else state  # (2, B, units): forward, backward
        return self.dense(torch.cat([h[0], h[1]], dim=1))


def run_model(m, repeats):
    batches = []
    for b in m["batches"]:
        x = torch.tensor(b["x"], dtype=torch.long).reshape(b["shape"])
        lengths = torch.tensor(b["lengths"], dtype=torch.long)
        pack = bool(m["mask"]) and int(lengths.min()) < x.shape[1]
        batches.append((x, lengths, pack, torch.tensor(b["y"], dtype=torch.long)))
    out = []
    for r in range(repeats):
        torch.manual_seed(r)
        net = Net(m["cell"], m["vocab"], m["emb"], m["units"], m["classes"])
        opt = torch.optim.Adam(net.parameters(), lr=1e-3, eps=1e-7)
        loss_fn = nn.CrossEntropyLoss()
        times = []
        for x, lengths, pack, y in batches:
            t0 = time.perf_counter()
            opt.zero_grad()
            loss = loss_fn(net(x, lengths, pack), y)
            loss.backward()
            opt.step()
            loss.item()
            times.append((time.perf_counter() - t0) * 1000)
        measured = times[m["warmup"]:]
        out.append(statistics.median(measured))
    return out


def main():
    job = json.load(sys.stdin)
    # One thread and every core this process may use (Debian's torch starts with one thread here;
    # with two, OpenMP's waiting makes it several times slower whenever other work shares the cores).
    cores = len(os.sched_getaffinity(0))
    counts = job.get("threads") or sorted({1, cores})
    results = []
    for m in job["models"]:
        for t in counts:
            torch.set_num_threads(t)
            results.append({"name": m["name"], "threads": t, "repeats": run_model(m, job["repeats"])})
    print(json.dumps({"torch": torch.__version__, "cores": cores, "results": results}))


if __name__ == "__main__":
    main()
