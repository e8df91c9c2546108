/**
 * HDF5 files in memory, through h5wasm (the HDF5 C library compiled to WebAssembly), loaded on
 * first use so neither the app nor a command that never sees an HDF5 file pays for it. One code
 * path in the browser and in Node: files go through h5wasm's in-memory file system.
 *
 *   const root = await readH5(bytes);          // a plain tree: groups, datasets (values), attributes
 *   root.group('model_weights')?.attr('layer_names')
 *   const bytes = await writeH5(tree);         // from { attrs, children } objects
 *
 * Reading is eager (every dataset's values are copied out): weight files are read to be used.
 * A file that is not HDF5 (checked by its signature first) or that h5wasm cannot open gives an
 * H5Error with one line.
 */
type H5Module = typeof import('h5wasm');
type H5Entity = import('h5wasm').Entity;

let loading: Promise<{ h5: H5Module['default']; FS: { writeFile(p: string, d: Uint8Array): void; readFile(p: string): Uint8Array; unlink(p: string): void } }> | undefined;

/** While above 0, the HDF5 library's diagnostics (through emscripten's `err`) are dropped. */
let silenced = 0;

async function h5wasm() {
  // Emscripten binds `err` to console.error when the module is created; it gets a gate instead,
  // which forwards to console.error except while `quietly` runs (then Unroll reports one line).
  loading ??= (async () => {
    const original = console.error;
    console.error = function gate(...a: unknown[]) {
      if (!silenced) original.apply(console, a);
    };
    try {
      const m = await import('h5wasm');
      const mod = await m.default.ready;
      return { h5: m.default, FS: mod.FS as unknown as { writeFile(p: string, d: Uint8Array): void; readFile(p: string): Uint8Array; unlink(p: string): void } };
    } finally {
      console.error = original;
    }
  })();
  return loading;
}

export class H5Error extends Error {}

/** HDF5's signature; the superblock may sit at 0, 512, 1024, 2048… */
const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

export function isHdf5(bytes: Uint8Array): boolean {
  for (let at = 0; at + 8 <= bytes.length && at <= 1 << 20; at = at === 0 ? 512 : at * 2) {
    if (SIGNATURE.every((b, k) => bytes[at + k] === b)) return true;
  }
  return false;
}

export type H5Value = Float32Array | Float64Array | Int32Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Uint32Array | BigInt64Array | BigUint64Array | number | bigint | string | boolean | H5Value[] | null;

export class H5Dataset {
  readonly kind = 'dataset';
  constructor(readonly path: string, readonly shape: readonly number[], readonly dtype: string, readonly value: H5Value, readonly attrs: Readonly<Record<string, H5Value>>) {}

  /** The values as float32 (row-major), whatever their stored numeric type. */
  float32(): Float32Array {
    const v = this.value;
    if (v instanceof Float32Array) return v;
    if (typeof v === 'number') return Float32Array.of(v);
    if (typeof v === 'bigint') return Float32Array.of(Number(v));
    if (ArrayBuffer.isView(v)) return Float32Array.from(v as ArrayLike<number | bigint>, (x) => Number(x));
    throw new H5Error(`${this.path}: holds ${this.dtype} values, not numbers`);
  }
}

export class H5Group {
  readonly kind = 'group';
  constructor(readonly path: string, readonly attrs: Readonly<Record<string, H5Value>>, readonly children: ReadonlyMap<string, H5Group | H5Dataset>) {}

  /** A group at a relative path ('a/b'), or undefined. */
  group(rel: string): H5Group | undefined {
    const x = this.get(rel);
    return x instanceof H5Group ? x : undefined;
  }

  dataset(rel: string): H5Dataset | undefined {
    const x = this.get(rel);
    return x instanceof H5Dataset ? x : undefined;
  }

  get(rel: string): H5Group | H5Dataset | undefined {
    let cur: H5Group | H5Dataset | undefined = this;
    for (const part of rel.split('/').filter(Boolean)) {
      if (!(cur instanceof H5Group)) return undefined;
      cur = cur.children.get(part);
    }
    return cur;
  }

  /** A string attribute (bytes decoded), or undefined. */
  str(name: string): string | undefined {
    const v = this.attrs[name];
    return typeof v === 'string' ? v : v instanceof Uint8Array ? new TextDecoder().decode(v) : undefined;
  }

  /**
   * A list-of-strings attribute, also when Keras split it into chunks because of HDF5's 64 kB
   * header limit (`layer_names0`, `layer_names1`, … as Keras's load_attributes_from_hdf5_group reads them).
   */
  strings(name: string): string[] | undefined {
    const one = (v: H5Value | undefined): string[] | undefined =>
      v === undefined || v === null ? undefined : Array.isArray(v) ? v.map((x) => String(x)) : typeof v === 'string' ? [v] : undefined;
    const direct = one(this.attrs[name]);
    if (direct) return direct;
    const out: string[] = [];
    for (let k = 0; `${name}${k}` in this.attrs; k++) out.push(...(one(this.attrs[`${name}${k}`]) ?? []));
    return out.length ? out : undefined;
  }
}

let counter = 0;

/**
 * Runs `f` (synchronous h5wasm calls) with the HDF5 C library's diagnostic stack silenced: h5wasm
 * prints it to stderr in Node and to the console in a browser; Unroll reports one line instead.
 */
function quietly<T>(f: () => T): T {
  const err = console.error, warn = console.warn;
  const stderr = (globalThis as { process?: { stderr?: { write: unknown } } }).process?.stderr;
  const write = stderr?.write;
  console.error = () => {};
  console.warn = () => {};
  if (stderr) stderr.write = () => true;
  silenced++;
  try {
    return f();
  } finally {
    silenced--;
    console.error = err;
    console.warn = warn;
    if (stderr) stderr.write = write;
  }
}

function readAttrs(e: { attrs: Record<string, { value: unknown }> }): Record<string, H5Value> {
  const out: Record<string, H5Value> = {};
  for (const [k, a] of Object.entries(e.attrs)) {
    try {
      out[k] = a.value as H5Value;
    } catch {
      out[k] = null; // a type h5wasm cannot read (references, compounds): not needed here
    }
  }
  return out;
}

function readTree(e: H5Entity, path: string): H5Group | H5Dataset | undefined {
  if (e && (e as { type?: string }).type === 'Group') {
    const g = e as import('h5wasm').Group;
    const children = new Map<string, H5Group | H5Dataset>();
    for (const k of g.keys()) {
      const child = g.get(k);
      if (!child) continue;
      const t = readTree(child as H5Entity, path ? `${path}/${k}` : k);
      if (t) children.set(k, t);
    }
    return new H5Group(path, readAttrs(g), children);
  }
  if (e && (e as { type?: string }).type === 'Dataset') {
    const d = e as import('h5wasm').Dataset;
    return new H5Dataset(path, d.shape ?? [], String(d.dtype), d.value as H5Value, readAttrs(d));
  }
  return undefined;
}

/** Reads a whole HDF5 file from bytes. */
export async function readH5(bytes: Uint8Array, what = 'the file'): Promise<H5Group> {
  if (!isHdf5(bytes)) throw new H5Error(`${what} is not an HDF5 file (no HDF5 signature)`);
  const { h5, FS } = await h5wasm();
  const name = `/unroll-read-${++counter}.h5`;
  FS.writeFile(name, bytes);
  try {
    return quietly(() => {
      let f: import('h5wasm').File;
      try {
        f = new h5.File(name, 'r');
      } catch (e) {
        throw new H5Error(`${what} could not be opened as HDF5 (${(e as Error).message})`);
      }
      if (typeof f.file_id === 'bigint' ? f.file_id < 0n : Number(f.file_id) < 0) throw new H5Error(`${what} could not be opened as HDF5: it is damaged or cut short`);
      try {
        return readTree(f as unknown as H5Entity, '') as H5Group;
      } catch (e) {
        throw new H5Error(`${what} could not be read as HDF5: it is damaged or cut short (${(e as Error).message})`);
      } finally {
        f.close();
      }
    });
  } finally {
    FS.unlink(name);
  }
}

/** A dataset to write: float32 values (or int64 for a scalar counter) with a shape. */
export interface H5DatasetSpec {
  readonly data: Float32Array | BigInt64Array;
  readonly shape: readonly number[];
}

export interface H5GroupSpec {
  readonly attrs?: Readonly<Record<string, string | readonly string[]>>;
  /** Children in the order they are written (HDF5 lists them by name anyway). */
  readonly children?: ReadonlyMap<string, H5GroupSpec | H5DatasetSpec>;
}

function isDatasetSpec(x: H5GroupSpec | H5DatasetSpec): x is H5DatasetSpec {
  return 'data' in x;
}

/** The bytes of a new HDF5 file that `write` fills through h5wasm's own API. */
export async function h5FileBytes(write: (f: import('h5wasm').File) => void): Promise<Uint8Array> {
  const { h5, FS } = await h5wasm();
  const name = `/unroll-write-${++counter}.h5`;
  const f = new h5.File(name, 'w');
  try {
    write(f);
  } finally {
    f.close();
  }
  try {
    return FS.readFile(name);
  } finally {
    FS.unlink(name);
  }
}

/** Writes a tree of groups, datasets and string attributes to HDF5 bytes. */
export async function writeH5(root: H5GroupSpec): Promise<Uint8Array> {
  const fill = (g: import('h5wasm').Group, spec: H5GroupSpec) => {
    for (const [k, v] of Object.entries(spec.attrs ?? {})) g.create_attribute(k, typeof v === 'string' ? v : [...v]);
    for (const [k, child] of spec.children ?? []) {
      if (isDatasetSpec(child)) {
        // Typed arrays keep their element type (<f4, <i8); shape [] is a scalar.
        g.create_dataset({ name: k, data: child.data, shape: [...child.shape] });
      } else fill(g.create_group(k), child);
    }
  };
  return h5FileBytes((f) => fill(f, root));
}
