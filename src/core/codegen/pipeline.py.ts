/**
 * The data pipeline of Unroll's training, in Python (numpy only), for the exported training script
 * (python.ts): the same CSV reading and filters (src/data/csvMapping.ts), HTML-entity decoding
 * (htmlEntities.ts), seeded split (split.ts with mulberry32 and deriveSeed from rng.ts/random.ts,
 * bit for bit), TextVectorization and StringLookup with Keras's rules (textVectorization.ts,
 * stringLookup.ts, vocabulary.ts) and per-batch padding (batching.ts). codegen.test.ts runs it
 * against the TypeScript on the same CSV: same vocabulary, same examples in each split.
 *
 * Text, not code: it is pasted into the script as it is.
 */
export const PIPELINE_PY = String.raw`
# --- Unroll's data pipeline (the same steps, in the same order, as in the browser) --------------

def mulberry32(seed):
    """Unroll's seeded generator (src/core/rng.ts): uniform floats in [0, 1)."""
    state = [seed & 0xFFFFFFFF]

    def imul(a, b):
        return (a * b) & 0xFFFFFFFF

    def rng():
        state[0] = (state[0] + 0x6D2B79F5) & 0xFFFFFFFF
        t = state[0]
        t = imul(t ^ (t >> 15), t | 1)
        t ^= (t + imul(t ^ (t >> 7), t | 61)) & 0xFFFFFFFF
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296

    return rng


def derive_seed(seed, *salts):
    """Mixes integer salts into a seed (src/data/random.ts deriveSeed, the murmur3 finaliser)."""
    h = seed & 0xFFFFFFFF
    for salt in salts:
        h = ((h ^ (salt & 0xFFFFFFFF)) * 0x9E3779B1) & 0xFFFFFFFF
        h ^= h >> 16
        h = (h * 0x85EBCA6B) & 0xFFFFFFFF
        h ^= h >> 13
        h = (h * 0xC2B2AE35) & 0xFFFFFFFF
        h ^= h >> 16
    return h & 0xFFFFFFFF


def shuffle_in_place(items, rng):
    """Fisher-Yates from the last element down, as Unroll shuffles."""
    for i in range(len(items) - 1, 0, -1):
        j = math.floor(rng() * (i + 1))
        items[i], items[j] = items[j], items[i]
    return items


def split_sizes(n, fractions):
    train = min(n, math.floor(n * fractions["train"] + 1e-9))
    val = min(n - train, math.floor(n * fractions["val"] + 1e-9))
    return {"train": train, "val": val, "test": n - train - val}


def stratified_sizes(counts, fractions):
    total = split_sizes(sum(counts), fractions)
    sizes = [dict(split_sizes(n, fractions), n=n) for n in counts]
    for part in ("train", "val"):
        missing = total[part] - sum(s[part] for s in sizes)
        order = sorted(range(len(sizes)), key=lambda i: (-(sizes[i]["n"] * fractions[part] - sizes[i][part]), i))
        for i in order:
            if missing <= 0:
                break
            s = sizes[i]
            if s["train"] + s["val"] < s["n"]:
                s[part] += 1
                missing -= 1
    return [{"train": s["train"], "val": s["val"], "test": s["n"] - s["train"] - s["val"]} for s in sizes]


def split_dataset(items, fractions, seed, stratify_by=None):
    """Seeded (optionally stratified) train/val/test split: src/data/split.ts."""
    if stratify_by is None:
        order = shuffle_in_place(list(items), mulberry32(seed))
        s = split_sizes(len(order), fractions)
        return {"train": order[: s["train"]], "val": order[s["train"]: s["train"] + s["val"]], "test": order[s["train"] + s["val"]:]}
    groups = {}
    for item in items:
        groups.setdefault(stratify_by(item), []).append(item)
    members = list(groups.values())
    alloc = stratified_sizes([len(m) for m in members], fractions)
    out = {"train": [], "val": [], "test": []}
    for g, group in enumerate(members):
        order = shuffle_in_place(list(group), mulberry32(derive_seed(seed, g + 1)))
        a = alloc[g]
        out["train"] += order[: a["train"]]
        out["val"] += order[a["train"]: a["train"] + a["val"]]
        out["test"] += order[a["train"] + a["val"]:]
    for k, part in enumerate(("train", "val", "test")):
        shuffle_in_place(out[part], mulberry32(derive_seed(seed, 0, k + 1)))
    return out


STRIP = re.compile(r"[!\"#$%&()*+,\-./:;<=>?@\[\\\]^_\x60{|}~']")
ASCII_WHITESPACE = re.compile(r"[ \t\n\v\f\r]+")


def standardize(text, mode):
    """Keras TextVectorization standardize: lower-cases ASCII only (tf.strings.lower), strips ASCII punctuation."""
    if mode in ("lower", "lower_and_strip_punctuation"):
        text = re.sub(r"[A-Z]+", lambda m: m.group(0).lower(), text)
    if mode in ("strip_punctuation", "lower_and_strip_punctuation"):
        text = STRIP.sub("", text)
    return text


def tokenize(text, mode, split):
    text = standardize(text, mode)
    if split == "whitespace":
        return [t for t in ASCII_WHITESPACE.split(text) if t]
    if split == "character":
        return list(text)
    return [text]


def sort_vocabulary(counts, exclude=(), max_learned=None):
    """Keras IndexLookup order: count descending, ties by token descending (code points)."""
    tokens = sorted((t for t in counts if t not in exclude), key=lambda t: (-counts[t], [-ord(c) for c in t] + [1]))
    return tokens if max_learned is None else tokens[: max(0, max_learned)]


class TextVectorization:
    """TextVectorization(max_tokens, standardize, split, output_sequence_length), output_mode="int": id 0 pads, 1 is [UNK]."""

    def __init__(self, max_tokens=None, standardize="lower_and_strip_punctuation", split="whitespace", output_sequence_length=None):
        self.max_tokens, self.mode, self.split, self.length = max_tokens, standardize, split, output_sequence_length
        self.vocabulary = ["", "[UNK]"]

    def adapt(self, texts):
        counts = {}
        for text in texts:
            for t in tokenize(text, self.mode, self.split):
                counts[t] = counts.get(t, 0) + 1
        learned = sort_vocabulary(counts, ("", "[UNK]"), None if self.max_tokens is None else self.max_tokens - 2)
        self.vocabulary = ["", "[UNK]"] + learned
        self.index = {t: i for i, t in enumerate(self.vocabulary)}
        return self

    def __call__(self, text):
        ids = [self.index.get(t, 1) for t in tokenize(text, self.mode, self.split)]
        if self.length is None:
            return ids
        return ids[: self.length] + [0] * max(0, self.length - len(ids))


def string_lookup(values, vocabulary=None):
    """StringLookup(num_oov_indices=0): a fixed label order, or adapted (most frequent first)."""
    if vocabulary is None:
        counts = {}
        for v in values:
            counts[v] = counts.get(v, 0) + 1
        vocabulary = sort_vocabulary(counts)
    index = {v: i for i, v in enumerate(vocabulary)}
    for v in values:
        if v not in index:
            raise SystemExit(f"label {v!r} is not in the label vocabulary {vocabulary}")
    return list(vocabulary), index


NAMED_ENTITIES = {
    "amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'", "nbsp": "\u00a0", "hellip": "\u2026", "mdash": "\u2014",
    "ndash": "\u2013", "lsquo": "\u2018", "rsquo": "\u2019", "ldquo": "\u201c", "rdquo": "\u201d", "copy": "\u00a9",
    "reg": "\u00ae", "trade": "\u2122", "euro": "\u20ac", "pound": "\u00a3",
}
ENTITY = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")


def decode_entities(text):
    """One pass of HTML character references (&amp; &#39; &#x27; ...), as src/data/htmlEntities.ts."""
    def one(m):
        body = m.group(1)
        if body[0] == "#":
            code = int(body[2:], 16) if body[1] in "xX" else int(body[1:])
            return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else m.group(0)
        return NAMED_ENTITIES.get(body, NAMED_ENTITIES.get(body.lower(), m.group(0)))
    return ENTITY.sub(one, text) if "&" in text else text


def is_number(cell):
    try:
        return math.isfinite(float(cell))
    except ValueError:
        return False


def read_csv_rows(path):
    """The CSV's rows as dicts: BOM stripped, line breaks as \n, blank lines skipped."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = [r for r in csv.reader(f) if any(c != "" for c in r)]
    if not rows:
        raise SystemExit(f"{path} has no rows")
    header = [h.replace("\r\n", "\n").replace("\r", "\n") for h in rows[0]]
    return [{h: (r[k] if k < len(r) else "").replace("\r\n", "\n").replace("\r", "\n") for k, h in enumerate(header)} for r in rows[1:]]


def csv_examples(csv_data):
    """Rows → labelled texts with the lesson's filters: no label, no text, confidence not above the threshold."""
    c = csv_data
    kept, skipped = [], {"unlabelled": 0, "empty text": 0, "invalid confidence": 0, "below threshold": 0}
    rows = read_csv_rows(c["file"])
    missing = [col for col in (c["text"], c.get("label"), c.get("target_sequence"), c.get("confidence")) if col and col not in rows[0]]
    if missing:
        raise SystemExit(f"{c['file']}: no column {missing[0]!r} (columns: {', '.join(rows[0])})")
    for row in rows:
        label = row[c["label"]].strip() if c.get("label") else ""
        if c.get("label") and label == "":
            skipped["unlabelled"] += 1
            continue
        text = row[c["text"]]
        if text.strip() == "":
            skipped["empty text"] += 1
            continue
        item = {"text": decode_entities(text) if c["decode_entities"] else text, "label": label}
        if c.get("target_sequence"):
            target = row[c["target_sequence"]]
            if target.strip() == "":
                skipped["unlabelled"] += 1
                continue
            item["target"] = decode_entities(target) if c["decode_entities"] else target
        if c.get("confidence"):
            cell = row[c["confidence"]].strip()
            if not is_number(cell):
                skipped["invalid confidence"] += 1
                continue
            if not float(cell) > c["threshold"]:
                skipped["below threshold"] += 1
                continue
        kept.append(item)
    print(f"{c['file']}: {len(rows)} rows, {len(kept)} kept" + "".join(f", {n} {why}" for why, n in skipped.items() if n))
    return kept


def csv_dataset(csv_data):
    """The dataset Unroll builds from the CSV (src/data/fromCsv.ts): split first, vocabularies adapted on train only."""
    c = csv_data
    items = csv_examples(c)
    if c.get("target_sequence"):
        parts = split_dataset(items, c["fractions"], c["seed"])
        source = TextVectorization(max_tokens=c["max_tokens"]).adapt(i["text"] for i in parts["train"])
        target = TextVectorization(max_tokens=c["max_tokens"], split=c.get("target_split", "whitespace")).adapt(i["target"] for i in parts["train"])
        labels = ["", "<start>", "<end>"] + target.vocabulary[1:]
        encode = lambda i: {"x": source(i["text"]), "y": [t + 2 for t in target(i["target"])] + [2]}
        return {"task": "seq2seq", "inputs": {"dtype": "int32", "vocabulary": source.vocabulary}, "labels": labels, "numClasses": len(labels),
                "startId": 1, **{p: [encode(i) for i in parts[p]] for p in ("train", "val", "test")}}
    labels, index = string_lookup([i["label"] for i in items], c.get("labels"))
    parts = split_dataset(items, c["fractions"], c["seed"], (lambda i: i["label"]) if c["stratify"] else None)
    vectorizer = TextVectorization(max_tokens=c["max_tokens"]).adapt(i["text"] for i in parts["train"])
    encode = lambda i: {"x": vectorizer(i["text"]), "y": index[i["label"]]}
    return {"task": "sequence-classification", "inputs": {"dtype": "int32", "vocabulary": vectorizer.vocabulary}, "labels": labels,
            "numClasses": len(labels), **{p: [encode(i) for i in parts[p]] for p in ("train", "val", "test")}}


def pad(rows, dtype):
    """A batch as one array: sequences padded with 0 to the longest in the batch (the lesson's collate_fn)."""
    if not isinstance(rows[0], list) or all(len(r) == len(rows[0]) for r in rows):
        return np.asarray(rows, dtype=dtype)
    longest = max(len(r) for r in rows)
    inner = np.asarray(next(r for r in rows if len(r)), dtype=dtype).shape[1:]
    out = np.zeros((len(rows), longest) + inner, dtype=dtype)
    for k, r in enumerate(rows):
        if len(r):
            out[k, : len(r)] = np.asarray(r, dtype=dtype)
    return out
`;
