"""Keras model files written with numpy and h5py only, and their outputs from a numpy forward pass.

The test oracle for `unroll predict` (src/tf/weights/files.test.ts): an independent writer of the
files Keras writes (.keras archives in Keras 3's saving_lib layout, Keras 2 full-model .h5,
.weights.h5 next to a config.json, TF.js model.json with shards, some weights quantized), and an
independent implementation of the layers (Keras 3 semantics: keras/src/layers/rnn/*.py and
keras/src/backend/numpy/rnn.py), and of the rules where the Keras that wrote a file meant
something else (src/core/versions.ts): Keras 2's hard_sigmoid; merge masks (AND in Keras 2, none
in Keras 3.0-3.3, OR in 3.4+); an RNN called with initial_state (masked in Keras 2, not in
Keras 3); Bidirectional's masked steps (the previous output in Keras 2.0-2.3, zeros since).

    /usr/bin/python3 keras_files.py OUT_DIR      # writes the files and OUT_DIR/cases.json

cases.json: [{"name", "model", "weights"?, "inputs": "<file>", "outputs": [[...], ...]}]
"""
import json
import os
import sys
import zipfile

import h5py
import numpy as np

RNG = np.random.default_rng(20261201)


# ---------------------------------------------------------------- numpy layers (Keras 3 semantics)

def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def hard_sigmoid_k2(x):
    return np.clip(0.2 * x + 0.5, 0.0, 1.0)


def hard_sigmoid_k3(x):
    return np.clip(x + 3.0, 0.0, 6.0) / 6.0


ACT = {
    "tanh": np.tanh, "sigmoid": sigmoid, "linear": lambda x: x, "relu": lambda x: np.maximum(x, 0),
    "softmax": lambda x: np.exp(x - x.max(-1, keepdims=True)) / np.exp(x - x.max(-1, keepdims=True)).sum(-1, keepdims=True),
}


def act(name, keras2):
    if name == "hard_sigmoid":
        return hard_sigmoid_k2 if keras2 else hard_sigmoid_k3
    return ACT[name]


def cell_step(kind, cfg, w, x, states, keras2):
    """One step of a Keras cell: returns (output, new_states)."""
    u = cfg["units"]
    f_act = act(cfg.get("activation", "tanh"), keras2)
    if kind == "SimpleRNN":
        k, rk, b = w
        h = f_act(x @ k + b + states[0] @ rk)
        return h, [h]
    r_act = act(cfg.get("recurrent_activation", "sigmoid"), keras2)
    if kind == "LSTM":
        k, rk, b = w
        h, c = states
        z = x @ k + h @ rk + b
        i, f, cc, o = z[:, :u], z[:, u:2 * u], z[:, 2 * u:3 * u], z[:, 3 * u:]
        i, f, o = r_act(i), r_act(f), r_act(o)
        c = f * c + i * f_act(cc)
        h = o * f_act(c)
        return h, [h, c]
    # GRU (implementation 2): gates z, r, h
    k, rk, b = w
    h = states[0]
    if cfg.get("reset_after", True):
        mx = x @ k + b[0]
        mi = h @ rk + b[1]
        z = r_act(mx[:, :u] + mi[:, :u])
        r = r_act(mx[:, u:2 * u] + mi[:, u:2 * u])
        hh = f_act(mx[:, 2 * u:] + r * mi[:, 2 * u:])
    else:
        mx = x @ k + b
        z = r_act(mx[:, :u] + h @ rk[:, :u])
        r = r_act(mx[:, u:2 * u] + h @ rk[:, u:2 * u])
        hh = f_act(mx[:, 2 * u:] + (r * h) @ rk[:, 2 * u:])
    h = z * h + (1 - z) * hh
    return h, [h]


def rnn(kind, cfg, w, x, mask, initial, keras2, zero_output_for_mask=False):
    """keras/src/backend/numpy/rnn.py (unroll=False): returns (output, states)."""
    b, t, _ = x.shape
    u = cfg["units"]
    n_states = 2 if kind == "LSTM" else 1
    states = [s.copy() for s in initial] if initial is not None else [np.zeros((b, u)) for _ in range(n_states)]
    steps = range(t - 1, -1, -1) if cfg.get("go_backwards") else range(t)
    outs = []
    for s in steps:
        out, new = cell_step(kind, cfg, w, x[:, s, :], states, keras2)
        if mask is not None:
            m = mask[:, s][:, None]
            if zero_output_for_mask:
                out = np.where(m, out, 0.0)
            else:
                out = np.where(m, out, states[0])
            new = [np.where(m, ns, os) for ns, os in zip(new, states)]
        states = new
        outs.append(out)
    seq = np.stack(outs, axis=1)  # processing order (reversed for go_backwards), as Keras returns it
    y = seq if cfg.get("return_sequences") else outs[-1]
    return y, states


# ---------------------------------------------------------------- weights and configs

def rnd(*shape, scale=0.5):
    return (RNG.standard_normal(shape) * scale).astype(np.float32)


GATES = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}
CELL = {"SimpleRNN": "simple_rnn_cell", "LSTM": "lstm_cell", "GRU": "gru_cell"}


def rnn_weights(kind, cfg, i):
    u, g = cfg["units"], GATES[kind]
    bias = rnd(2, g * u) if kind == "GRU" and cfg.get("reset_after", True) else rnd(g * u)
    return [rnd(i, g * u), rnd(u, g * u), bias]


def init(cls, **cfg):
    return {"module": "keras.initializers", "class_name": cls, "config": cfg, "registered_name": None}


POLICY = {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": None}


def rnn_config3(kind, name, cfg):
    c = {"name": name, "trainable": True, "dtype": POLICY, "return_sequences": cfg.get("return_sequences", False),
         "return_state": cfg.get("return_state", False), "go_backwards": cfg.get("go_backwards", False), "stateful": False,
         "unroll": False, "zero_output_for_mask": cfg.get("zero_output_for_mask", False), "units": cfg["units"],
         "activation": cfg.get("activation", "tanh")}
    if kind != "SimpleRNN":
        c["recurrent_activation"] = cfg.get("recurrent_activation", "sigmoid")
    c.update({"use_bias": True, "kernel_initializer": init("GlorotUniform", seed=None),
              "recurrent_initializer": init("Orthogonal", seed=None, gain=1.0), "bias_initializer": init("Zeros")})
    if kind == "LSTM":
        c["unit_forget_bias"] = True
    for k in ("kernel_regularizer", "recurrent_regularizer", "bias_regularizer", "activity_regularizer", "kernel_constraint",
              "recurrent_constraint", "bias_constraint"):
        c[k] = None
    c.update({"dropout": 0.0, "recurrent_dropout": 0.0})
    if kind == "GRU":
        c["reset_after"] = cfg.get("reset_after", True)
    if kind != "SimpleRNN":
        c["seed"] = None
    return c


def kt(layer, shape, idx=0, dtype="float32"):
    return {"class_name": "__keras_tensor__", "config": {"shape": shape, "dtype": dtype, "keras_history": [layer, 0, idx]}}


def layer3(cls, name, config, args, kwargs=None, build=None):
    d = {"module": "keras.layers", "class_name": cls, "config": config, "registered_name": None}
    if build is not None:
        d["build_config"] = build
    d["name"] = name
    d["inbound_nodes"] = [{"args": args, "kwargs": kwargs or {}}] if args is not None else []
    return d


def input3(name, shape, dtype="float32"):
    return layer3("InputLayer", name, {"batch_shape": shape, "dtype": dtype, "sparse": False, "ragged": False, "name": name, "optional": False}, None)


def embedding3(name, vocab, dim, mask_zero):
    return {"name": name, "trainable": True, "dtype": POLICY, "input_dim": vocab, "output_dim": dim,
            "embeddings_initializer": init("RandomUniform", seed=None, minval=-0.05, maxval=0.05), "embeddings_regularizer": None,
            "activity_regularizer": None, "embeddings_constraint": None, "mask_zero": mask_zero, "quantization_config": None}


def dense3(name, units, activation):
    return {"name": name, "trainable": True, "dtype": POLICY, "units": units, "activation": activation, "use_bias": True,
            "kernel_initializer": init("GlorotUniform", seed=None), "bias_initializer": init("Zeros"), "kernel_regularizer": None,
            "bias_regularizer": None, "kernel_constraint": None, "bias_constraint": None, "quantization_config": None}


def functional3(name, layers, inputs, outputs):
    return {"module": "keras.src.models.functional", "class_name": "Functional", "registered_name": "Functional",
            "config": {"name": name, "trainable": True, "layers": layers, "input_layers": inputs, "output_layers": outputs},
            "build_config": {"input_shape": None}}


def to_snake(name):
    import re
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def write_weights3(path, model_name, layer_entries):
    """Keras 3 H5IOStore layout. layer_entries: (class_name, name, {group_path: (nested name, [arrays])}) in model.layers order."""
    with h5py.File(path, "w") as f:
        f.create_group("vars").attrs["name"] = model_name
        layers = f.create_group("layers")
        used = {}
        for cls, name, groups in layer_entries:
            stem = to_snake(cls)
            key = stem if stem not in used else f"{stem}_{used[stem] + 1}"
            used[stem] = used.get(stem, -1) + 1
            g = layers.create_group(key)
            g.create_group("vars").attrs["name"] = name
            for sub, (sub_name, arrays) in groups.items():
                at = g
                if sub:
                    for part in sub.split("/"):
                        at = at.require_group(part)
                    if "vars" not in at:
                        at.create_group("vars").attrs["name"] = sub_name
                v = at["vars"]
                for i, a in enumerate(arrays):
                    v.create_dataset(str(i), data=a)


def write_keras(path, config, model_name, layer_entries, version="3.6.0"):
    h5 = path + ".h5.tmp"
    write_weights3(h5, model_name, layer_entries)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("metadata.json", json.dumps({"keras_version": version, "date_saved": "2026-12-01@12:00:00"}))
        z.writestr("config.json", json.dumps(config))
        z.write(h5, "model.weights.h5")
    os.remove(h5)


def rnn_groups(kind, inner_name, w, prefix=""):
    """The nested groups of a recurrent layer: '<prefix>cell' holds kernel, recurrent_kernel, bias."""
    out = {}
    if prefix:
        out[prefix.rstrip("/")] = (inner_name, [])
    out[prefix + "cell"] = (CELL[kind], w)
    return out


# ---------------------------------------------------------------- the cases

CASES = []


def case(name, model, inputs, outputs, weights=None, out_dir=".", keras3_outputs=None):
    ipath = os.path.join(out_dir, f"{name}.inputs.json")
    with open(ipath, "w") as f:
        json.dump({"inputs": [np.asarray(x).tolist() for x in inputs]}, f)
    CASES.append({"name": name, "model": model, **({"weights": weights} if weights else {}), "inputs": os.path.basename(ipath),
                  "outputs": [np.asarray(y, dtype=np.float64).tolist() for y in outputs],
                  **({"keras3_outputs": [np.asarray(y, dtype=np.float64).tolist() for y in keras3_outputs]} if keras3_outputs else {})})


def padded_ids(batch, t, vocab, lengths, left=()):
    x = RNG.integers(1, vocab, size=(batch, t))
    for b, n in enumerate(lengths):
        if b in left:
            x[b, : t - n] = 0
        else:
            x[b, n:] = 0
    return x


def lstm_mask(out):
    """Embedding(mask_zero) → LSTM(return_sequences) → LSTM → Dense(softmax); right and left padding."""
    vocab, dim, t = 12, 5, 7
    c1 = {"units": 6, "return_sequences": True}
    c2 = {"units": 4}
    emb = rnd(vocab, dim)
    w1, w2 = rnn_weights("LSTM", c1, dim), rnn_weights("LSTM", c2, 6)
    dk, db = rnd(4, 3), rnd(3)
    x = padded_ids(3, t, vocab, [7, 4, 5], left=(2,))
    mask = x != 0
    e = emb[x]
    h1, _ = rnn("LSTM", c1, w1, e, mask, None, False)
    h2, _ = rnn("LSTM", c2, w2, h1, mask, None, False)
    y = ACT["softmax"](h2 @ dk + db)
    cfg = functional3("lstm_mask", [
        input3("ids", [None, None], "int32"),
        layer3("Embedding", "embedding", embedding3("embedding", vocab, dim, True), [kt("ids", [None, None], dtype="int32")], {}, {"input_shape": [None, None]}),
        layer3("LSTM", "lstm", rnn_config3("LSTM", "lstm", c1), [kt("embedding", [None, None, dim])], {"training": False, "mask": None}, {"input_shape": [None, None, dim]}),
        layer3("LSTM", "lstm_1", rnn_config3("LSTM", "lstm_1", c2), [kt("lstm", [None, None, 6])], {"training": False, "mask": None}, {"input_shape": [None, None, 6]}),
        layer3("Dense", "dense", dense3("dense", 3, "softmax"), [kt("lstm_1", [None, 4])], {}, {"input_shape": [None, 4]}),
    ], ["ids", 0, 0], ["dense", 0, 0])
    write_keras(os.path.join(out, "lstm_mask.keras"), cfg, "lstm_mask", [
        ("InputLayer", "ids", {}), ("Embedding", "embedding", {"": (None, [emb])}),
        ("LSTM", "lstm", rnn_groups("LSTM", "lstm", w1)), ("LSTM", "lstm_1", rnn_groups("LSTM", "lstm_1", w2)),
        ("Dense", "dense", {"": (None, [dk, db])}),
    ])
    case("lstm_mask", "lstm_mask.keras", [x], [y], out_dir=out)


def gru_initial_state(out, version="3.6.0", name="gru_initial_state"):
    """Embedding(mask_zero) → GRU(reset_after=True, return_sequences, initial_state from an Input) → TimeDistributed(Dense).

    Keras 3 calls the GRU without a mask (a call with initial_state has two tensor arguments, and
    Layer.__call__ fills `mask` only for one); Keras 2 (here tf.keras 2.15, which writes .keras
    archives too) passes the embedding's mask."""
    vocab, dim, t, u = 9, 4, 6, 5
    c = {"units": u, "return_sequences": True, "reset_after": True}
    emb = rnd(vocab, dim)
    w = rnn_weights("GRU", c, dim)
    dk, db = rnd(u, 2), rnd(2)
    x = padded_ids(2, t, vocab, [6, 3])
    h0 = rnd(2, u)
    keras2 = version.startswith("2.")
    seq, _ = rnn("GRU", c, w, emb[x], (x != 0) if keras2 else None, [h0], False)
    y = seq @ dk + db
    cfg = functional3("gru_state", [
        input3("tokens", [None, None], "int32"), input3("h0", [None, u]),
        layer3("Embedding", "embedding", embedding3("embedding", vocab, dim, True), [kt("tokens", [None, None], dtype="int32")], {}, {"input_shape": [None, None]}),
        layer3("GRU", "gru", rnn_config3("GRU", "gru", c), [kt("embedding", [None, None, dim])], {"initial_state": [kt("h0", [None, u])]},
               {"shapes_dict": {"sequences_shape": [None, None, dim], "initial_state_shape": [None, u]}}),
        layer3("TimeDistributed", "time_distributed", {"name": "time_distributed", "trainable": True, "dtype": POLICY,
               "layer": {"module": "keras.layers", "class_name": "Dense", "config": dense3("dense", 2, "linear"), "registered_name": None, "build_config": {"input_shape": [None, u]}}},
               [kt("gru", [None, None, u])], {"mask": None}, {"input_shape": [None, None, u]}),
    ], [["tokens", 0, 0], ["h0", 0, 0]], ["time_distributed", 0, 0])
    write_keras(os.path.join(out, f"{name}.keras"), cfg, "gru_state", [
        ("InputLayer", "tokens", {}), ("InputLayer", "h0", {}), ("Embedding", "embedding", {"": (None, [emb])}),
        ("GRU", "gru", rnn_groups("GRU", "gru", w)), ("TimeDistributed", "time_distributed", {"layer": ("dense", [dk, db])}),
    ], version=version)
    case(name, f"{name}.keras", [x, h0], [y], out_dir=out)


def bidi_cfg3(kind, name, cfg, merge):
    inner = {**cfg, "zero_output_for_mask": cfg.get("return_sequences", False)}
    fwd = rnn_config3(kind, f"forward_{name}", inner)
    bwd = rnn_config3(kind, f"backward_{name}", {**inner, "go_backwards": True})
    return {"name": "bidirectional", "trainable": True, "dtype": POLICY, "merge_mode": merge,
            "layer": {"module": "keras.layers", "class_name": kind, "config": fwd, "registered_name": None},
            "backward_layer": {"module": "keras.layers", "class_name": kind, "config": bwd, "registered_name": None}}


def bidi(kind, cfg, wf, wb, x, mask, initial, merge, zeros=True):
    """keras/src/layers/rnn/bidirectional.py call(): backward output flipped back; zero output at masked
    steps (tf.keras and Keras 3; `zeros=False`: Keras 2.0-2.3, which kept the previous output)."""
    seqs = cfg.get("return_sequences", False) and zeros
    fs = initial[: len(initial) // 2] if initial else None
    bs = initial[len(initial) // 2:] if initial else None
    y, st_f = rnn(kind, cfg, wf, x, mask, fs, False, zero_output_for_mask=seqs)
    yb, st_b = rnn(kind, {**cfg, "go_backwards": True}, wb, x, mask, bs, False, zero_output_for_mask=seqs)
    if cfg.get("return_sequences", False):
        yb = yb[:, ::-1, :]
    merged = {"concat": lambda: [np.concatenate([y, yb], -1)], "sum": lambda: [y + yb], "mul": lambda: [y * yb],
              "ave": lambda: [(y + yb) / 2], None: lambda: [y, yb]}[merge]()
    if cfg.get("return_state"):
        return merged + st_f + st_b
    return merged


def bidirectional_cases(out):
    """Bidirectional over LSTM, GRU and SimpleRNN in every merge mode, with masks; states in and out."""
    vocab, dim, t = 10, 4, 6
    setups = [
        ("LSTM", "concat", {"units": 3, "return_sequences": True}, False),
        ("GRU", "sum", {"units": 3, "reset_after": True}, False),
        ("SimpleRNN", "mul", {"units": 3, "return_sequences": True}, False),
        ("GRU", "ave", {"units": 4, "return_sequences": True, "reset_after": False}, False),
        ("LSTM", None, {"units": 3, "return_sequences": True}, False),
        ("LSTM", "concat", {"units": 3, "return_state": True}, True),
        ("GRU", "concat", {"units": 2, "return_sequences": True, "return_state": True}, True),
    ]
    for n, (kind, merge, c, with_state) in enumerate(setups):
        name = f"bidi_{kind.lower()}_{merge or 'none'}{'_states' if with_state else ''}"
        emb = rnd(vocab, dim)
        wf, wb = rnn_weights(kind, c, dim), rnn_weights(kind, c, dim)
        x = padded_ids(3, t, vocab, [6, 2, 4])
        u = c["units"]
        n_st = 2 if kind == "LSTM" else 1
        initial = [rnd(3, u) for _ in range(2 * n_st)] if with_state else None
        # Keras 3: a call with initial_state gets no mask.
        ys = bidi(kind, c, wf, wb, emb[x], None if with_state else x != 0, initial, merge)
        inner = "lstm" if kind == "LSTM" else "gru" if kind == "GRU" else "simple_rnn"
        state_inputs = [f"state_{k}" for k in range(2 * n_st)] if with_state else []
        layers = [input3("ids", [None, None], "int32")] + [input3(s, [None, u]) for s in state_inputs]
        layers.append(layer3("Embedding", "embedding", embedding3("embedding", vocab, dim, True), [kt("ids", [None, None], dtype="int32")], {}, {"input_shape": [None, None]}))
        kwargs = {"initial_state": [kt(s, [None, u]) for s in state_inputs]} if with_state else {"mask": None}
        build = {"shapes_dict": {"sequences_shape": [None, None, dim], "initial_state_shape": [[None, u]] * len(state_inputs)}} if with_state else {"input_shape": [None, None, dim]}
        layers.append(layer3("Bidirectional", "bidirectional", bidi_cfg3(kind, inner, c, merge), [kt("embedding", [None, None, dim])], kwargs, build))
        n_main = 2 if merge is None else 1
        n_out = n_main + (2 * n_st if c.get("return_state") else 0)
        cfg = functional3(name, layers, [["ids", 0, 0]] + [[s, 0, 0] for s in state_inputs], [["bidirectional", 0, k] for k in range(n_out)])
        entries = [("InputLayer", "ids", {})] + [("InputLayer", s, {}) for s in state_inputs] + [
            ("Embedding", "embedding", {"": (None, [emb])}),
            ("Bidirectional", "bidirectional", {**rnn_groups(kind, f"forward_{inner}", wf, "forward_layer/"), **rnn_groups(kind, f"backward_{inner}", wb, "backward_layer/")}),
        ]
        write_keras(os.path.join(out, f"{name}.keras"), cfg, name, entries)
        case(name, f"{name}.keras", [x] + (initial or []), ys, out_dir=out)


# ---- Keras 2 files

def rnn_config2(kind, name, cfg):
    c = {"name": name, "trainable": True, "dtype": "float32", "return_sequences": cfg.get("return_sequences", False),
         "return_state": False, "go_backwards": False, "stateful": False, "unroll": False, "time_major": False,
         "units": cfg["units"], "activation": cfg.get("activation", "tanh")}
    if kind != "SimpleRNN":
        c["recurrent_activation"] = cfg.get("recurrent_activation", "sigmoid")
    c.update({"use_bias": True, "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}},
              "recurrent_initializer": {"class_name": "Orthogonal", "config": {"gain": 1.0, "seed": None}},
              "bias_initializer": {"class_name": "Zeros", "config": {}}, "kernel_regularizer": None, "recurrent_regularizer": None,
              "bias_regularizer": None, "activity_regularizer": None, "kernel_constraint": None, "recurrent_constraint": None,
              "bias_constraint": None, "dropout": 0.0, "recurrent_dropout": 0.0})
    if kind == "GRU":
        c.update({"implementation": 1, "reset_after": cfg.get("reset_after", False)})
    return c


def write_h5_2(path, config, layers, version=b"2.2.4"):
    """A Keras 2 full-model .h5: model_config, and model_weights/<layer>/<weight name> in weight_names order.
    layers: {layer name: ([weight names], [arrays])} in model.layers order."""
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = version
        f.attrs["backend"] = b"tensorflow"
        f.attrs["model_config"] = json.dumps(config).encode("utf8")
        mw = f.create_group("model_weights")
        mw.attrs["layer_names"] = np.array([n.encode() for n in layers])
        mw.attrs["backend"] = b"tensorflow"
        mw.attrs["keras_version"] = version
        for name, (names, arrays) in layers.items():
            g = mw.create_group(name)
            g.attrs["weight_names"] = np.array([n.encode() for n in names])
            for n, a in zip(names, arrays):
                g.create_dataset(n, data=a)


def keras2_gru_h5(out):
    """Keras 2.2.4 full-model .h5: Masking → GRU(reset_after=False, hard_sigmoid gates) → SimpleRNN → Dense."""
    t, i = 5, 3
    cg = {"units": 4, "return_sequences": True, "reset_after": False, "recurrent_activation": "hard_sigmoid"}
    cs = {"units": 3}
    wg, ws = rnn_weights("GRU", cg, i), rnn_weights("SimpleRNN", cs, 4)
    dk, db = rnd(3, 2), rnd(2)
    x = rnd(3, t, i, scale=1.5)
    x[1, 3:, :] = 0.0  # padding that Masking(0.0) masks
    x[2, 4:, :] = 0.0
    mask = np.any(x != 0.0, axis=-1)
    s1, _ = rnn("GRU", cg, wg, x, mask, None, True)
    s2, _ = rnn("SimpleRNN", cs, ws, s1, mask, None, True)
    y = s2 @ dk + db

    def l2(cls, name, cfg, inbound):
        return {"name": name, "class_name": cls, "config": cfg, "inbound_nodes": [[[inbound, 0, 0, {}]]] if inbound else []}
    config = {"class_name": "Model", "config": {"name": "model_1", "layers": [
        l2("InputLayer", "input_1", {"batch_input_shape": [None, t, i], "dtype": "float32", "sparse": False, "name": "input_1"}, None),
        l2("Masking", "masking_1", {"name": "masking_1", "trainable": True, "mask_value": 0.0}, "input_1"),
        l2("GRU", "gru_1", rnn_config2("GRU", "gru_1", cg), "masking_1"),
        l2("SimpleRNN", "simple_rnn_1", rnn_config2("SimpleRNN", "simple_rnn_1", cs), "gru_1"),
        l2("Dense", "dense_1", {"name": "dense_1", "trainable": True, "units": 2, "activation": "linear", "use_bias": True,
                                 "kernel_initializer": {"class_name": "VarianceScaling", "config": {"scale": 1.0, "mode": "fan_avg", "distribution": "uniform", "seed": None}},
                                 "bias_initializer": {"class_name": "Zeros", "config": {}}, "kernel_regularizer": None, "bias_regularizer": None,
                                 "activity_regularizer": None, "kernel_constraint": None, "bias_constraint": None}, "simple_rnn_1"),
    ], "input_layers": [["input_1", 0, 0]], "output_layers": [["dense_1", 0, 0]]}}
    arrays = {"input_1": [], "masking_1": [], "gru_1": wg, "simple_rnn_1": ws, "dense_1": [dk, db]}
    wn = {"gru_1": ["kernel", "recurrent_kernel", "bias"], "simple_rnn_1": ["kernel", "recurrent_kernel", "bias"], "dense_1": ["kernel", "bias"]}
    write_h5_2(os.path.join(out, "keras2_gru.h5"), config, {n: ([f"{n}/{w}:0" for w in wn.get(n, [])], a) for n, a in arrays.items()})
    case("keras2_gru", "keras2_gru.h5", [x], [y], out_dir=out)


def weights_only(out):
    """A Keras 3 .weights.h5 next to its config.json (save_weights / config written separately)."""
    t, i = 4, 2
    c = {"units": 3}
    w = rnn_weights("SimpleRNN", c, i)
    dk, db = rnd(3, 1), rnd(1)
    x = rnd(2, t, i)
    h, _ = rnn("SimpleRNN", c, w, x, None, None, False)
    y = sigmoid(h @ dk + db)
    cfg = functional3("weights_only", [
        input3("x", [None, t, i]),
        layer3("SimpleRNN", "rnn", rnn_config3("SimpleRNN", "rnn", c), [kt("x", [None, t, i])], {"training": False, "mask": None}, {"input_shape": [None, t, i]}),
        layer3("Dense", "out", dense3("out", 1, "sigmoid"), [kt("rnn", [None, 3])], {}, {"input_shape": [None, 3]}),
    ], ["x", 0, 0], ["out", 0, 0])
    os.makedirs(os.path.join(out, "weights_only"), exist_ok=True)
    with open(os.path.join(out, "weights_only", "config.json"), "w") as f:
        json.dump(cfg, f)
    write_weights3(os.path.join(out, "weights_only", "model.weights.h5"), "weights_only", [
        ("InputLayer", "x", {}), ("SimpleRNN", "rnn", rnn_groups("SimpleRNN", "rnn", w)), ("Dense", "out", {"": (None, [dk, db])})])
    case("weights_only", "weights_only/config.json", [x], [y], weights="weights_only/model.weights.h5", out_dir=out)


def tfjs_model(out):
    """TF.js converter output: Keras 2 topology, weights in two shards, one quantized to uint8 and one to float16."""
    t, i = 5, 3
    c = {"units": 4, "return_sequences": False}
    w = rnn_weights("LSTM", c, i)
    dk, db = rnd(4, 2), rnd(2)
    # uint8 affine quantization of the Dense kernel, float16 of the recurrent kernel (values the model then uses).
    lo, hi = float(dk.min()), float(dk.max())
    scale = (hi - lo) / 255.0
    q = np.round((dk - lo) / scale).astype(np.uint8)
    dk_used = (q.astype(np.float32) * np.float32(scale) + np.float32(lo)).astype(np.float32)
    rk16 = w[1].astype(np.float16)
    w_used = [w[0], rk16.astype(np.float32), w[2]]
    x = rnd(2, t, i)
    h, _ = rnn("LSTM", c, w_used, x, None, None, False)
    y = ACT["softmax"](h @ dk_used + db)
    topo = {"class_name": "Model", "config": {"name": "model", "layers": [
        {"name": "input_1", "class_name": "InputLayer", "config": {"batch_input_shape": [None, t, i], "dtype": "float32", "sparse": False, "name": "input_1"}, "inbound_nodes": []},
        {"name": "lstm", "class_name": "LSTM", "config": rnn_config2("LSTM", "lstm", c), "inbound_nodes": [[["input_1", 0, 0, {}]]]},
        {"name": "dense", "class_name": "Dense", "config": {"name": "dense", "trainable": True, "units": 2, "activation": "softmax", "use_bias": True,
                                                            "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}}, "bias_initializer": {"class_name": "Zeros", "config": {}},
                                                            "kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None, "kernel_constraint": None, "bias_constraint": None},
         "inbound_nodes": [[["lstm", 0, 0, {}]]]},
    ], "input_layers": [["input_1", 0, 0]], "output_layers": [["dense", 0, 0]]}, "keras_version": "2.4.0", "backend": "tensorflow"}
    entries = [
        ({"name": "lstm/lstm_cell/kernel", "shape": list(w[0].shape), "dtype": "float32"}, w[0].tobytes()),
        ({"name": "lstm/lstm_cell/recurrent_kernel", "shape": list(w[1].shape), "dtype": "float32", "quantization": {"dtype": "float16", "original_dtype": "float32"}}, rk16.tobytes()),
        ({"name": "lstm/lstm_cell/bias", "shape": list(w[2].shape), "dtype": "float32"}, w[2].tobytes()),
        ({"name": "dense/kernel", "shape": list(dk.shape), "dtype": "float32", "quantization": {"dtype": "uint8", "min": lo, "scale": scale, "original_dtype": "float32"}}, q.tobytes()),
        ({"name": "dense/bias", "shape": list(db.shape), "dtype": "float32"}, db.tobytes()),
    ]
    blob = b"".join(b for _, b in entries)
    half = len(blob) // 2
    d = os.path.join(out, "tfjs")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "group1-shard1of2.bin"), "wb") as f:
        f.write(blob[:half])
    with open(os.path.join(d, "group1-shard2of2.bin"), "wb") as f:
        f.write(blob[half:])
    with open(os.path.join(d, "model.json"), "w") as f:
        json.dump({"format": "layers-model", "generatedBy": "keras v2.4.0", "convertedBy": "TensorFlow.js Converter v4.22.0",
                   "modelTopology": {"keras_version": "2.4.0", "backend": "tensorflow", "model_config": topo},
                   "weightsManifest": [{"paths": ["group1-shard1of2.bin", "group1-shard2of2.bin"], "weights": [e for e, _ in entries]}]}, f)
    case("tfjs", "tfjs/model.json", [x], [y], out_dir=out)


def merge_masks(out, version, name):
    """Add and Concatenate of two masked sequences (different padding) and of a masked and an
    unmasked one, each read by a SimpleRNN that uses the merged mask:

    Keras 3.4+ (`Merge.compute_mask` after #19685): Add ORs the masks when every input has one,
    else none; Concatenate ORs them, an unmasked input counting as all true. Keras 3.0-3.3: merge
    layers were handed no mask (Layer.__call__ read `_keras_mask` of the list), so none. Keras 2
    (tf-keras `_Merge.compute_mask`, `Concatenate.compute_mask`): the AND of the masks present."""
    vocab, dim, t, u, f = 8, 3, 6, 4, 2
    rule = "and" if version.startswith("2.") else "none" if version.startswith(("3.0.", "3.1.", "3.2.", "3.3.")) else "or"
    ea, eb = rnd(vocab, dim), rnd(vocab, dim)
    cs = {"units": u, "return_sequences": True}
    wa, wb = rnn_weights("SimpleRNN", cs, dim), rnn_weights("SimpleRNN", cs, dim)
    dxk, dxb = rnd(f, u), rnd(u)
    c2 = {"units": 3}
    heads = {k: rnn_weights("SimpleRNN", c2, 2 * u if k.startswith("cat") else u) for k in ("add_ab", "add_ax", "cat_ab", "cat_ax")}
    a = padded_ids(3, t, vocab, [6, 3, 4], left=(2,))
    b = padded_ids(3, t, vocab, [4, 5, 2])
    x = rnd(3, t, f)
    ma, mb = a != 0, b != 0
    sa, _ = rnn("SimpleRNN", cs, wa, ea[a], ma, None, False)
    sb, _ = rnn("SimpleRNN", cs, wb, eb[b], mb, None, False)
    sx = x @ dxk + dxb
    rules = {
        "or": {"add_ab": ma | mb, "add_ax": None, "cat_ab": ma | mb, "cat_ax": None},  # cat_ax: all true
        "none": {"add_ab": None, "add_ax": None, "cat_ab": None, "cat_ax": None},
        "and": {"add_ab": ma & mb, "add_ax": ma, "cat_ab": ma & mb, "cat_ax": ma},
    }
    merged = {"add_ab": sa + sb, "add_ax": sa + sx, "cat_ab": np.concatenate([sa, sb], -1), "cat_ax": np.concatenate([sa, sx], -1)}
    ys = [rnn("SimpleRNN", c2, heads[k], merged[k], rules[rule][k], None, False)[0] for k in heads]
    # What Keras 3.4+ computes from the same weights (the file converted to Keras 3 semantics).
    ys3 = [rnn("SimpleRNN", c2, heads[k], merged[k], rules["or"][k], None, False)[0] for k in heads]

    seq = lambda n, d=u: kt(n, [None, t, d])
    layers = [
        input3("ids_a", [None, t], "int32"), input3("ids_b", [None, t], "int32"), input3("x", [None, t, f]),
        layer3("Embedding", "emb_a", embedding3("emb_a", vocab, dim, True), [kt("ids_a", [None, t], dtype="int32")], {}, {"input_shape": [None, t]}),
        layer3("Embedding", "emb_b", embedding3("emb_b", vocab, dim, True), [kt("ids_b", [None, t], dtype="int32")], {}, {"input_shape": [None, t]}),
        layer3("SimpleRNN", "rnn_a", rnn_config3("SimpleRNN", "rnn_a", cs), [seq("emb_a", dim)], {"training": False, "mask": None}, {"input_shape": [None, t, dim]}),
        layer3("SimpleRNN", "rnn_b", rnn_config3("SimpleRNN", "rnn_b", cs), [seq("emb_b", dim)], {"training": False, "mask": None}, {"input_shape": [None, t, dim]}),
        layer3("Dense", "dense_x", dense3("dense_x", u, "linear"), [kt("x", [None, t, f])], {}, {"input_shape": [None, t, f]}),
    ]
    pairs = {"add_ab": ("rnn_a", "rnn_b"), "add_ax": ("rnn_a", "dense_x"), "cat_ab": ("rnn_a", "rnn_b"), "cat_ax": ("rnn_a", "dense_x")}
    for k, (p, q) in pairs.items():
        cls = "Add" if k.startswith("add") else "Concatenate"
        conf = {"name": k, "trainable": True, "dtype": POLICY, **({"axis": -1} if cls == "Concatenate" else {})}
        layers.append(layer3(cls, k, conf, [[seq(p), seq(q)]], {}, {"input_shape": [[None, t, u], [None, t, u]]}))
    for k in heads:
        d = 2 * u if k.startswith("cat") else u
        layers.append(layer3("SimpleRNN", f"head_{k}", rnn_config3("SimpleRNN", f"head_{k}", c2), [seq(k, d)], {"training": False, "mask": None}, {"input_shape": [None, t, d]}))
    cfg = functional3(name, layers, [["ids_a", 0, 0], ["ids_b", 0, 0], ["x", 0, 0]], [[f"head_{k}", 0, 0] for k in heads])
    entries = [("InputLayer", "ids_a", {}), ("InputLayer", "ids_b", {}), ("InputLayer", "x", {}),
               ("Embedding", "emb_a", {"": (None, [ea])}), ("Embedding", "emb_b", {"": (None, [eb])}),
               ("SimpleRNN", "rnn_a", rnn_groups("SimpleRNN", "rnn_a", wa)), ("SimpleRNN", "rnn_b", rnn_groups("SimpleRNN", "rnn_b", wb)),
               ("Dense", "dense_x", {"": (None, [dxk, dxb])})]
    entries += [("Add" if k.startswith("add") else "Concatenate", k, {}) for k in pairs]
    entries += [("SimpleRNN", f"head_{k}", rnn_groups("SimpleRNN", f"head_{k}", heads[k])) for k in heads]
    write_keras(os.path.join(out, f"{name}.keras"), cfg, name, entries, version=version)
    case(name, f"{name}.keras", [a, b, x], ys, out_dir=out, keras3_outputs=ys3)


def keras2_bidi_h5(out):
    """Keras 2.2.4 full-model .h5: Embedding(mask_zero) → Bidirectional(LSTM(return_sequences)) → the
    sequence. Keras 2.0-2.3 had no zero_output_for_mask: each direction keeps its previous output at
    masked steps (K.rnn: output = states[0] where masked)."""
    vocab, dim, t = 9, 3, 6
    c = {"units": 3, "return_sequences": True}
    emb = rnd(vocab, dim)
    wf, wb = rnn_weights("LSTM", c, dim), rnn_weights("LSTM", c, dim)
    x = padded_ids(3, t, vocab, [6, 2, 4], left=(1,))
    ys = bidi("LSTM", c, wf, wb, emb[x], x != 0, None, "concat", zeros=False)

    def l2(cls, name, cfg, inbound):
        return {"name": name, "class_name": cls, "config": cfg, "inbound_nodes": [[[inbound, 0, 0, {}]]] if inbound else []}
    lstm = rnn_config2("LSTM", "lstm_1", c)
    lstm["unit_forget_bias"] = True
    lstm["implementation"] = 1
    config = {"class_name": "Model", "config": {"name": "model_1", "layers": [
        l2("InputLayer", "input_1", {"batch_input_shape": [None, t], "dtype": "float32", "sparse": False, "name": "input_1"}, None),
        l2("Embedding", "embedding_1", {"name": "embedding_1", "trainable": True, "batch_input_shape": [None, t], "dtype": "float32", "input_dim": vocab,
                                         "output_dim": dim, "embeddings_initializer": {"class_name": "RandomUniform", "config": {"minval": -0.05, "maxval": 0.05, "seed": None}},
                                         "embeddings_regularizer": None, "activity_regularizer": None, "embeddings_constraint": None, "mask_zero": True, "input_length": t}, "input_1"),
        l2("Bidirectional", "bidirectional_1", {"name": "bidirectional_1", "trainable": True, "layer": {"class_name": "LSTM", "config": lstm}, "merge_mode": "concat"}, "embedding_1"),
    ], "input_layers": [["input_1", 0, 0]], "output_layers": [["bidirectional_1", 0, 0]]}}
    write_h5_2(os.path.join(out, "keras2_bidi.h5"), config, {
        "input_1": ([], []), "embedding_1": (["embedding_1/embeddings:0"], [emb]),
        "bidirectional_1": ([f"bidirectional_1/{d}_lstm_1/{v}:0" for d in ("forward", "backward") for v in ("kernel", "recurrent_kernel", "bias")], wf + wb)})
    case("keras2_bidi", "keras2_bidi.h5", [x], ys, out_dir=out)


def main(out):
    os.makedirs(out, exist_ok=True)
    lstm_mask(out)
    gru_initial_state(out)
    gru_initial_state(out, version="2.15.0", name="gru_initial_state_keras2")
    merge_masks(out, "3.6.0", "merge_masks")
    merge_masks(out, "3.3.3", "merge_masks_keras30")
    merge_masks(out, "2.15.0", "merge_masks_keras2")
    keras2_bidi_h5(out)
    bidirectional_cases(out)
    keras2_gru_h5(out)
    weights_only(out)
    tfjs_model(out)
    with open(os.path.join(out, "cases.json"), "w") as f:
        json.dump(CASES, f)


if __name__ == "__main__":
    main(sys.argv[1])
