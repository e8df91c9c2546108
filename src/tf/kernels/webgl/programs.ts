/**
 * The WebGL shader programs of the fused recurrent op (the contract: ../README.md).
 *
 * Inside one kernel call every tensor lives in a **dense layout**: a matrix of `rows` × `w` RGBA
 * float texels, each texel holding 4 consecutive units of one row (units padded to a multiple of 4
 * with zeros), so a fetch brings 4 values and the arithmetic runs on vec4s. Converter programs
 * bring the op's inputs into this layout once per call, and pick programs write the op's outputs
 * back as ordinary TF.js tensors. A program is a TF.js `GPGPUProgram` (variable names, output
 * shape, GLSL `main`) run by the webgl backend's `runWebGLProgram`. The layer's sizes (units,
 * gates, batch) and options are baked into the source; the sequence length is not — it is the
 * uniform `uT`, the step the uniform `t`, and the programs use TF.js's shape uniforms — so a
 * program compiles once per layer and batch size, whatever the lengths of the batches (padded
 * per batch, they change from one batch to the next).
 *
 * One time step is two programs forward and two backward (three for GRU reset_before backward):
 *
 *   forward  t:  GATES  A = act(xw_t + (h ⊙ rd_g)·U_g)   the step's only matrix product, all gates
 *                STATE  S_t = [h | c | y | gates | aux]   local per unit (+ (r⊙h⊙rd_h)·U_h, GRU reset_before)
 *   backward t:  DZ     D_t = [dxw | drec | direct | da | dc' | dy' | ∂h_t]   local per unit
 *                CARRY  C_t = [∂h | ∂c | ∂y carried],  ∂h = Σ_g (drec_g·U_gᵀ) ⊙ rd_g + direct  (the step's product)
 *
 * Per-step rows are stacked time-major (row = step·B + b): copied into place by kernels.ts (a
 * blit), or, for folded textures, by concat programs (≤ 15 inputs each).
 * A dense texture is `fold` logical rows wide when rows would exceed the maximum texture size.
 * WebGL2 only (texelFetch, dynamic vector indexing).
 */
import type { GPGPUProgram } from '@tensorflow/tfjs-backend-webgl';
import type { CellKind, FusedActivation } from '../contract.ts';

const SELU_ALPHA = '1.6732632423543772848170429916717';
const SELU_SCALE = '1.0507009873554804934193349852946';
const GT0 = (y: string) => `vec4(greaterThan(${y}, vec4(0.0)))`;

/** GLSL (vec4) for y = act(x), computed as TF.js computes each activation in float32. */
export function activationGlsl(id: FusedActivation, x: string): string {
  switch (id) {
    case 'linear': return `(${x})`;
    case 'tanh': return `uTanh(${x})`;
    case 'sigmoid': return `(1.0 / (1.0 + exp(-(${x}))))`;
    case 'hardSigmoid': return `clamp(0.2 * (${x}) + 0.5, 0.0, 1.0)`;
    case 'unrollHardSigmoid': return `(clamp((${x}) + 3.0, 0.0, 6.0) / 6.0)`;
    case 'relu': return `max(${x}, 0.0)`;
    case 'relu6': return `clamp(${x}, 0.0, 6.0)`;
    case 'softsign': return `uSoftsign(${x})`;
    case 'softplus': return `uSoftplus(${x})`;
    case 'elu': return `uElu(${x})`;
    case 'selu': return `uSelu(${x})`;
    case 'unrollLeakyRelu': return `uLeaky(${x})`;
    case 'unrollExponential': return `exp(${x})`;
  }
}

/** GLSL (vec4) for act'(x) written from y = act(x) (the kernels never keep pre-activations). */
export function derivativeGlsl(id: FusedActivation, y: string): string {
  const inside = (hi: string) => `(${GT0(y)} * vec4(lessThan(${y}, vec4(${hi}))))`;
  switch (id) {
    case 'linear': return 'vec4(1.0)';
    case 'tanh': return `(1.0 - (${y}) * (${y}))`;
    case 'sigmoid': return `((${y}) * (1.0 - (${y})))`;
    case 'hardSigmoid': return `(0.2 * ${inside('1.0')})`;
    case 'unrollHardSigmoid': return `(${1 / 6} * ${inside('1.0')})`;
    case 'relu': return GT0(y);
    case 'relu6': return inside('6.0');
    case 'softsign': return `((1.0 - abs(${y})) * (1.0 - abs(${y})))`;
    case 'softplus': return `(1.0 - exp(-(${y})))`;
    case 'elu': return `mix((${y}) + 1.0, vec4(1.0), greaterThan(${y}, vec4(0.0)))`;
    case 'selu': return `mix((${y}) + ${SELU_SCALE} * ${SELU_ALPHA}, vec4(${SELU_SCALE}), greaterThan(${y}, vec4(0.0)))`;
    case 'unrollLeakyRelu': return `mix(vec4(0.2), vec4(1.0), greaterThan(${y}, vec4(0.0)))`;
    case 'unrollExponential': return `(${y})`;
  }
}

const HELPERS = `
vec4 uTanh(vec4 x) {
  vec4 e = exp(-2.0 * abs(x));
  return sign(x) * (1.0 - e) / (1.0 + e);
}
vec4 uSoftsign(vec4 x) { return x / (1.0 + abs(x)); }
vec4 uSoftplus(vec4 x) {
  // TF.js: log(exp(x) + 1), with its cpu kernel's shortcuts for large and small x.
  float th = log(1.1920928955078125e-7) + 2.0;
  vec4 r = mix(log(exp(x) + 1.0), exp(x), lessThan(x, vec4(th)));
  return mix(r, x, greaterThan(x, vec4(-th)));
}
vec4 uElu(vec4 x) { return mix(exp(x) - 1.0, x, greaterThanEqual(x, vec4(0.0))); }
vec4 uSelu(vec4 x) { return mix(${SELU_SCALE} * ${SELU_ALPHA} * (exp(x) - 1.0), ${SELU_SCALE} * x, greaterThanEqual(x, vec4(0.0))); }
vec4 uLeaky(vec4 x) { return mix(0.2 * x, x, greaterThanEqual(x, vec4(0.0))); }
`;

/** Marks this folder's shaders (tests count their compilations). */
export const MARK = '// unroll fused rnn\n';

/** TF.js's enum value PackingScheme.DENSE (4 values per texel in flat order; texture shape given). */
const DENSE = 0;

/**
 * A dense matrix: `rows` logical rows of `w` texels, `fold` rows side by side per texture row;
 * `varies`: its size depends on the sequence length (the programs reading it compile once for
 * every length, so they must not bake its size in).
 */
export interface Dense {
  readonly rows: number;
  readonly w: number;
  readonly fold: number;
  readonly varies?: boolean;
}

export function dense(rows: number, w: number, maxTexture: number, varies = false): Dense {
  if (w > maxTexture) throw new Error(`fused RNN on WebGL: a row of ${w} texels exceeds the maximum texture size ${maxTexture}`);
  let fold = 1;
  while (Math.ceil(rows / fold) > maxTexture && (fold + 1) * w <= maxTexture) fold++;
  if (Math.ceil(rows / fold) > maxTexture) throw new Error(`fused RNN on WebGL: ${rows} rows of ${w} texels do not fit one texture (maximum ${maxTexture})`);
  return varies ? { rows, w, fold, varies } : { rows, w, fold };
}

/** The texture shape [height, width] in texels of a dense matrix. */
export function texShape(d: Dense): [number, number] {
  return [Math.ceil(d.rows / d.fold), d.w * d.fold];
}

/**
 * GLSL `vec4 f<Name>(int row, int x)` reading texel x of a row of the dense input `name`, with
 * `texelFetch`; `sampled` (the programs with a matrix product, see `denseProgram`), an unfolded
 * matrix whose size is fixed (not `varies`) with `texture()` at the texel's centre, the texture's
 * reciprocal size baked in. NEAREST filtering and clamping to the edge, as TF.js's own getters
 * read every texture; a texel's centre is exact in float32 far past the maximum texture size.
 */
function fetchFn(name: string, d: Dense, sampled = false): string {
  if (sampled && d.fold === 1 && !d.varies) {
    const [h, w] = texShape(d);
    return `vec4 f${name}(int row, int x) { return texture(${name}, (vec2(x, row) + 0.5) * vec2(${glslFloat(1 / w)}, ${glslFloat(1 / h)})); }`;
  }
  const at = d.fold === 1 ? 'ivec2(x, row)' : `ivec2(x + (row - (row / ${d.fold}) * ${d.fold}) * ${d.w}, row / ${d.fold})`;
  return `vec4 f${name}(int row, int x) { return texelFetch(${name}, ${at}, 0); }`;
}

/** A GLSL float literal of x (always with a point or an exponent). */
function glslFloat(x: number): string {
  const t = String(x);
  return /[.e]/.test(t) ? t : `${t}.0`;
}

/** The output's (row, x) from the fragment's position; fragments past the last row write 0. */
function outRowX(d: Dense): string {
  const px = 'int(gl_FragCoord.x)', py = 'int(gl_FragCoord.y)';
  const row = d.fold === 1 ? py : `${py} * ${d.fold} + ${px} / ${d.w}`;
  const x = d.fold === 1 ? px : `${px} - (${px} / ${d.w}) * ${d.w}`;
  // Unfolded, the fragments are exactly the rows; folded, the last texture row can run past them.
  return `int row = ${row}; int x = ${x};${d.fold === 1 ? '' : `
        if (row >= ${d.rows}) { setOutput(vec4(0.0)); return; }`}`;
}

export interface DenseProgram extends GPGPUProgram {
  /** Pass as runWebGLProgram's customTexShape. */
  readonly texShape: [number, number];
  readonly dense: Dense;
  readonly uniforms: readonly Uniform[];
}

/** A program writing an ordinary TF.js tensor. */
export interface OutputProgram extends GPGPUProgram {
  readonly uniforms: readonly Uniform[];
}

/**
 * The custom uniforms of a program, in order: `t` (the step; per-step programs) and `uT` (the
 * sequence length). `Run` passes their values.
 */
export type Uniform = 't' | 'uT';

const uniformsOf = (us: readonly Uniform[]) => ({
  uniforms: us,
  ...(us.length ? { customUniforms: us.map((name) => ({ name, type: 'int' as const })) } : {}),
});

/** The fields of a program that writes the dense matrix `out` (texture shape given; shape uniforms). */
function denseOutput(out: Dense, uniforms: readonly Uniform[]) {
  const [h, w] = texShape(out);
  return {
    outputShape: [h, 4 * w],
    packedOutput: true,
    outPackingScheme: DENSE as never,
    enableShapeUniforms: true,
    texShape: [h, w] as [number, number],
    dense: out,
    ...uniformsOf(uniforms),
  };
}

/**
 * A program whose inputs and output are dense matrices. `sampled`: its fixed-size inputs are read
 * with `texture()`, not `texelFetch` (`fetchFn`) — for the programs with a matrix product (GATES,
 * CARRY, RESET, GRU reset_before's STATE): on SwiftShader, alternating variants in one page,
 * GATES and CARRY took ~17% less, while DZ (a few fetches a fragment, in branches) took ~9% more
 * and lookups with an explicit LOD (`textureLod`) gained nothing.
 */
function denseProgram(inputs: Record<string, Dense>, out: Dense, body: string, uniforms: readonly Uniform[], helpers = '', defs = '', sampled = false): DenseProgram {
  const names = Object.keys(inputs);
  return {
    variableNames: names,
    packedInputs: true,
    ...denseOutput(out, uniforms),
    userCode: `${MARK}${helpers}
      ${names.map((n) => fetchFn(n, inputs[n], sampled)).join('\n      ')}${defs}
      vec4 lanes(int x4, int n) { return vec4(lessThan(ivec4(4 * x4) + ivec4(0, 1, 2, 3), ivec4(n))); }
      void main() {
        ${outRowX(out)}
        ${body}
      }`,
  };
}

/**
 * How a converter reads its input X: X's rank and the GLSL arguments of TF.js's getter `getX` for
 * value `col` of row `row` (col on X's last axis; they may use uT).
 */
export interface Reader {
  readonly rank: 1 | 2 | 3;
  readonly args: (row: string, col: string) => string;
  /**
   * Read X unpacked. For the mask [B, T]: a packed 2-D input's shader depends on whether T matches
   * its texture width, so lengths would compile two variants; the mask is small and its
   * unpacking cheap.
   */
  readonly unpacked?: boolean;
}

/**
 * Converts an ordinary TF.js tensor to a dense matrix: texel x of row r holds `groups` groups of
 * `n` values (n = 'uT': the sequence length), each group padded to whole texels; `read` says how
 * to read value col of row r; rows ≥ `valid` are zeros (or, given `{ per, valid }`, rows whose
 * index within each block of `per` rows is ≥ valid). Packed with an even `n`, every texel's
 * four values are two pairs of TF.js's 2×2 blocks: two fetches. With `parts` > 1 the rows come
 * from that many tensors X, X1, … in order, out.rows / parts each (a grouped call's per-layer
 * projections: no concat before the call).
 */
export function toDenseProgram(out: Dense, n: number | 'uT', groups: number, read: Reader, uniforms: readonly Uniform[], valid: number | { readonly per: number; readonly valid: number } = out.rows, parts = 1): DenseProgram {
  if (n !== 'uT' && out.w !== groups * Math.ceil(n / 4)) throw new Error('dense converter: width mismatch');
  if (out.rows % parts !== 0) throw new Error('dense converter: rows do not split into the inputs');
  const n4 = n === 'uT' ? '((uT + 3) / 4)' : `${Math.ceil(n / 4)}`;
  const k = read.rank;
  // Input p (of `parts`, each holding out.rows / parts rows) read at its own row `r`.
  const readOf = (p: number) => {
    const sfx = p ? String(p) : '';
    return !read.unpacked && typeof n === 'number' && n % 2 === 0
      ? `
          v = vec4(pair${k}${sfx}(${read.args('r', `q * ${n} + j`)}), j + 2 < ${n} ? pair${k}${sfx}(${read.args('r', `q * ${n} + j + 2`)}) : vec2(0.0));`
      : `
          for (int l = 0; l < 4; l++) {
            if (j + l < ${n}) v[l] = at${k}${sfx}(${read.args('r', `q * ${n} + j + l`)});
          }`;
  };
  const per = out.rows / parts;
  const body = parts === 1
    ? `
        int r = row;${readOf(0)}`
    : `
        int p = row / ${per};
        int r = row - p * ${per};
        ${Array.from({ length: parts }, (_, p) => `${p ? 'else ' : ''}${p < parts - 1 ? `if (p == ${p}) ` : ''}{${readOf(p)}
        }`).join('\n        ')}`;
  return converterProgram(out, k, !read.unpacked, n === 'uT' && !uniforms.includes('uT') ? [...uniforms, 'uT'] : uniforms, `
        ${typeof valid !== 'number' ? (valid.valid < valid.per ? `if (row - (row / ${valid.per}) * ${valid.per} >= ${valid.valid}) { setOutput(vec4(0.0)); return; }` : '') : valid < out.rows ? `if (row >= ${valid}) { setOutput(vec4(0.0)); return; }` : ''}
        int q = x / ${n4};
        int j = (x - q * ${n4}) * 4;
        vec4 v = vec4(0.0);${body}
        setOutput(v);`, parts);
}

/**
 * GLSL `float at<rank>(…)`, one element of X, and (packed) `vec2 pair<rank>(…, c)`, the elements
 * c and c + 1 for an even c. TF.js's packed getter returns the 2×2 block of the last two axes
 * holding an element ((r, c), (r, c+1), (r+1, c), (r+1, c+1) from even r, c; a 1-D tensor's pairs
 * in x, y).
 */
function packedAt(rank: 1 | 2 | 3, packed: boolean, sfx = ''): string {
  const lead = rank === 3 ? 'int a, ' : '', pass = rank === 3 ? 'a, ' : '';
  const get = `getX${sfx}`;
  if (!packed) return rank === 1 ? `float at1${sfx}(int c) { return ${get}(c); }` : `float at${rank}${sfx}(${lead}int r, int c) { return ${get}(${pass}r, c); }`;
  const odd = (v: string) => `(${v} - (${v} / 2) * 2)`;
  if (rank === 1) {
    return `float at1${sfx}(int c) { vec4 v = ${get}(c); return ${odd('c')} == 0 ? v.x : v.y; }
      vec2 pair1${sfx}(int c) { return ${get}(c).xy; }`;
  }
  return `float at${rank}${sfx}(${lead}int r, int c) { return ${get}(${pass}r, c)[2 * ${odd('r')} + ${odd('c')}]; }
      vec2 pair${rank}${sfx}(${lead}int r, int c) { vec4 v = ${get}(${pass}r, c); return ${odd('r')} == 0 ? v.xy : v.zw; }`;
}

/**
 * A program reading one ordinary tensor X (or `parts` of them, X, X1, …) and writing a dense
 * matrix. X is read packed (TF.js's
 * default layout on webgl: the products before the op write it, the optimizers' updates of the
 * weights too), so TF.js runs no unpacking program before the op — except the mask (`Reader`).
 */
function converterProgram(out: Dense, rank: 1 | 2 | 3, packed: boolean, uniforms: readonly Uniform[], body: string, parts = 1): DenseProgram {
  const sfx = Array.from({ length: parts }, (_, p) => (p ? String(p) : ''));
  return {
    variableNames: sfx.map((x) => `X${x}`),
    packedInputs: packed,
    ...denseOutput(out, uniforms),
    userCode: `${MARK}
      ${sfx.map((x) => packedAt(rank, packed, x)).join('\n      ')}
      void main() {
        ${outRowX(out)}${body}
      }`,
  };
}

/**
 * Uᵀ for CARRY: row q·U4 + k, texel j4 = U[4·j4 … 4·j4+3, q·u + k] (zeros outside u); with
 * `groups` layers' U stacked ([groups·u, G·u]), layer p's rows follow at p·G·U4.
 */
export function transposeUProgram(u: number, G: number, out: Dense, groups = 1): DenseProgram {
  const U4 = 4 * Math.ceil(u / 4);
  return converterProgram(out, 2, true, [], `
        int p = ${groups > 1 ? `row / ${G * U4}` : '0'};
        int r = row - p * ${G * U4};
        int q = r / ${U4};
        int k = r - q * ${U4};
        vec4 v = vec4(0.0);
        if (k < ${u}) {
          for (int l = 0; l < 4; l++) {
            if (4 * x + l < ${u}) v[l] = at2(p * ${u} + 4 * x + l, q * ${u} + k);
          }
        }
        setOutput(v);`);
}

/** What a program needs to know about the layer. */
export interface CellShape {
  readonly cell: CellKind;
  readonly resetAfter: boolean;
  readonly B: number;
  readonly T: number;
  readonly u: number;
  readonly activation: FusedActivation;
  readonly recurrentActivation: FusedActivation;
  readonly returnSequences: boolean;
  readonly hasMask: boolean;
  readonly hasRd: boolean;
  readonly hasBr: boolean;
  /**
   * Independent layers of the same configuration stacked along the batch (the two directions of a
   * Bidirectional): rows b of layer b / (B / groups), each with its own U and b_rec. 1: one layer.
   */
  readonly groups: number;
  /**
   * State rows without the gates region (LSTM and SimpleRNN, where the GATES output is the gates:
   * the forward keeps those rows themselves when it saves for the backward, see `Saved`).
   */
  readonly lean: boolean;
  /** Backward rows with the tap region (∂L/∂h_t, for a gradient tap). */
  readonly tap: boolean;
}

/** GLSL: the first row of this row's layer in a matrix holding `per` rows a layer ('0' for one layer). */
function layerOffset(s: CellShape, per: number): string {
  return s.groups > 1 ? `(b / ${s.B / s.groups}) * ${per}` : '0';
}

export function gateCount(cell: CellKind): number {
  return cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
}

/** Texels per unit group. */
export const u4Of = (u: number) => Math.ceil(u / 4);

/**
 * Texel offsets in a forward state row S_t: h, c (LSTM), y (the output, repeated at masked
 * steps), gm (this step's gates, 0 when masked; absent, -1, in a `lean` row), aux (GRU, 0 when
 * masked); `width` in texels.
 */
export function stateLayout(s: Pick<CellShape, 'cell' | 'u' | 'lean'>) {
  const { cell } = s;
  const u4 = u4Of(s.u), G = gateCount(cell);
  const h = 0;
  const c = cell === 'lstm' ? u4 : -1;
  const y = cell === 'lstm' ? 2 * u4 : u4;
  const gm = s.lean ? -1 : y + u4;
  const aux = cell === 'gru' ? y + u4 + (s.lean ? 0 : G * u4) : -1;
  const width = y + u4 + (s.lean ? 0 : G * u4) + (cell === 'gru' ? u4 : 0);
  return { h, c, y, gm, aux, width };
}

/** Texel offsets in a backward carry row C_t: ∂h, ∂c (LSTM), ∂y carried past masked steps. */
export function carryLayout(cell: CellKind, u: number) {
  const u4 = u4Of(u);
  const dh = 0;
  const dc = cell === 'lstm' ? u4 : -1;
  const dyc = cell === 'lstm' ? 2 * u4 : u4;
  return { dh, dc, dyc, width: dyc + u4 };
}

/**
 * Texel offsets in a backward row D_t: dxw (0 when masked), drec (GRU reset_after, 0 when
 * masked), direct (GRU: ∂h ⊙ z), da (GRU reset_before: ∂ of the candidate's pre-activation), dcn
 * (LSTM: the next carried ∂c), dycn (the next carried ∂y), tap (∂L/∂h_t).
 */
export function gradLayout(s: Pick<CellShape, 'cell' | 'resetAfter' | 'u' | 'tap'>) {
  const { cell, resetAfter } = s;
  const u4 = u4Of(s.u), G = gateCount(cell);
  let k = 0;
  const take = (n: number, present = true) => {
    if (!present) return -1;
    const at = k;
    k += n;
    return at;
  };
  const gru = cell === 'gru';
  const dxw = take(G * u4);
  const drec = take(G * u4, gru && resetAfter);
  const direct = take(u4, gru);
  const da = take(u4, gru && !resetAfter);
  const dcn = take(u4, cell === 'lstm');
  const dycn = take(u4);
  const tap = take(u4, s.tap);
  return { dxw, drec, direct, da, dcn, dycn, tap, width: k };
}

/** The dense geometry of every matrix of one call. */
export interface Geometry {
  readonly xw: Dense; // rows b·T + t, G·u4
  readonly ud: Dense; // rows p·U4 + m (layer p, m < U4), G·u4
  readonly ut: Dense; // rows p·G·U4 + q·U4 + k, u4
  readonly mask: Dense; // rows b, T4
  readonly unit: Dense; // rows b, u4 (h0, c0)
  readonly rd: Dense; // rows b, G·u4 (one recurrent-dropout mask per gate block)
  readonly br: Dense; // 1 row a layer, G·u4
  readonly state: Dense; // rows b, state width
  readonly gates: Dense; // rows b, G'·u4
  readonly stack: (rows: number, w: number) => Dense;
  readonly seq: (groups: number) => Dense; // rows b·T + t, groups·u4 (saved tensors in backward)
  readonly dout: Dense; // rows b·R + r (R = Tout + states), u4
  readonly carry: Dense;
  readonly grad: Dense;
  readonly reset: Dense; // GRU reset_before: rows b, 4·u4
}

export function geometry(s: CellShape, maxTexture: number): Geometry {
  const { B, T, u, cell } = s;
  const u4 = u4Of(u), U4 = 4 * u4, G = gateCount(cell);
  const d = (rows: number, w: number) => dense(rows, w, maxTexture);
  // Sized by the sequence length (T rows a batch row, or T / 4 texels).
  const v = (rows: number, w: number) => dense(rows, w, maxTexture, true);
  return {
    xw: v(B * T, G * u4), ud: d(s.groups * U4, G * u4), ut: d(s.groups * G * U4, u4), mask: v(B, Math.ceil(T / 4)), unit: d(B, u4), rd: d(B, G * u4), br: d(s.groups, G * u4),
    state: d(B, stateLayout(s).width), gates: d(B, (cell === 'gru' && !s.resetAfter ? 2 : G) * u4),
    stack: v, seq: (groups) => v(B * T, groups * u4), dout: s.returnSequences ? v(B * (T + (cell === 'lstm' ? 2 : 1)), u4) : d(B * (1 + (cell === 'lstm' ? 2 : 1)), u4),
    carry: d(B, carryLayout(cell, u).width), grad: d(B, gradLayout(s).width), reset: d(B, 4 * u4),
  };
}

/** `real` = this row's step t is not masked (true without a mask). */
function realAt(s: CellShape): string {
  return s.hasMask ? 'fmask(b, t / 4)[t - (t / 4) * 4] != 0.0' : 'true';
}

/** The recurrent-dropout mask of gate block q for the units of texel j4 (ones without dropout). */
function rdAt(s: CellShape, q: string | number, j4: string): string {
  return s.hasRd ? `frd(b, ${q} * ${u4Of(s.u)} + ${j4})` : 'vec4(1.0)';
}

/** Initial state row S_{-1}: h0 (or 0), c0 (or 0), y = 0, gates and aux 0. */
export function initStateProgram(s: CellShape, g: Geometry, has: { h0: boolean; c0: boolean }): DenseProgram {
  const L = stateLayout(s);
  const u4 = u4Of(s.u);
  const inputs: Record<string, Dense> = { ...(has.h0 ? { h0: g.unit } : {}), ...(has.c0 ? { c0: g.unit } : {}) };
  return denseProgram(inputs, g.state, `
        int b = row;
        vec4 v = vec4(0.0);
        if (x < ${u4}) v = ${has.h0 ? 'fh0(b, x)' : 'vec4(0.0)'};
        ${L.c >= 0 ? `else if (x < ${L.c + u4}) v = ${has.c0 ? `fc0(b, x - ${L.c})` : 'vec4(0.0)'};` : ''}
        setOutput(v);`, []);
}

/**
 * Forward GATES for step t: (h ⊙ rd_g)·U_g for every gate column at once (the step's one matrix product),
 * plus xw_t and the activation (LSTM, SimpleRNN, GRU reset_before's z and r). GRU reset_after
 * gives the raw recurrent product hp·U + br; STATE combines it with xw.
 */
export function gatesProgram(s: CellShape, g: Geometry): DenseProgram {
  const { u, cell } = s;
  const u4 = u4Of(u);
  const L = stateLayout(s);
  const after = cell === 'gru' && s.resetAfter;
  const inputs: Record<string, Dense> = { S: g.state, ud: g.ud, ...(s.hasRd ? { rd: g.rd } : {}), ...(after ? (s.hasBr ? { br: g.br } : {}) : { xw: g.xw }) };
  let finish: string;
  if (after) finish = s.hasBr ? `acc += fbr(${s.groups > 1 ? `b / ${s.B / s.groups}` : '0'}, x);` : '';
  else {
    finish = 'acc += fxw(b * uT + t, x);';
    // A branch, not a select: SwiftShader runs only the side some fragment of the quad takes.
    if (cell === 'lstm') finish += `\n        if (q == 2) acc = ${activationGlsl(s.activation, 'acc')}; else acc = ${activationGlsl(s.recurrentActivation, 'acc')};`;
    else if (cell === 'gru') finish += `\n        acc = ${activationGlsl(s.recurrentActivation, 'acc')};`;
    else finish += `\n        acc = ${activationGlsl(s.activation, 'acc')};`;
  }
  return denseProgram(inputs, g.gates, `
        int b = row;
        int q = x / ${u4};
        int uo = ${layerOffset(s, 4 * u4)};
        vec4 acc = vec4(0.0);
        for (int m4 = 0; m4 < ${u4}; m4++) {
          vec4 h = fS(b, ${L.h} + m4)${s.hasRd ? ` * frd(b, q * ${u4} + m4)` : ''};
          int m = uo + 4 * m4;
          acc += h.x * fud(m, x) + h.y * fud(m + 1, x) + h.z * fud(m + 2, x) + h.w * fud(m + 3, x);
        }
        ${finish}
        setOutput(acc * lanes(x - q * ${u4}, ${u}));`, ['t', 'uT'], HELPERS, '', true);
}

/**
 * Forward STATE for step t: every texel of S_t from the step's gates A, the previous row S and
 * the mask — local per unit, except GRU reset_before's candidate product (r ⊙ hp)·U_h.
 */
export function stateProgram(s: CellShape, g: Geometry): DenseProgram {
  const { u, cell } = s;
  const u4 = u4Of(u), G = gateCount(cell);
  const L = stateLayout(s);
  const act = (x: string) => activationGlsl(s.activation, x);
  const ract = (x: string) => activationGlsl(s.recurrentActivation, x);
  const xw = (q: number) => `fxw(b * uT + t, ${q * u4} + j4)`;
  let unit: string;
  if (cell === 'simple') {
    unit = `
        vec4 hn = fA(b, j4);`;
  } else if (s.resetAfter) {
    unit = `
        vec4 hp = fS(b, ${L.h} + j4);
        vec4 gz = ${ract(`${xw(0)} + fA(b, j4)`)};
        vec4 gr = ${ract(`${xw(1)} + fA(b, ${u4} + j4)`)};
        vec4 rh = fA(b, ${2 * u4} + j4);
        vec4 gg = ${act(`${xw(2)} + gr * rh`)};
        vec4 hn = gz * hp + (1.0 - gz) * gg;
        vec4 auxv = rh;`;
  } else {
    unit = `
        vec4 hp = fS(b, ${L.h} + j4);
        vec4 gz = fA(b, j4), gr = fA(b, ${u4} + j4);
        vec4 acc = vec4(0.0);
        int uo = ${layerOffset(s, 4 * u4)};
        for (int m4 = 0; m4 < ${u4}; m4++) {
          vec4 rhp = fA(b, ${u4} + m4) * fS(b, ${L.h} + m4) * ${rdAt(s, 2, 'm4')};
          int m = uo + 4 * m4;
          acc += rhp.x * fud(m, ${2 * u4} + j4) + rhp.y * fud(m + 1, ${2 * u4} + j4) + rhp.z * fud(m + 2, ${2 * u4} + j4) + rhp.w * fud(m + 3, ${2 * u4} + j4);
        }
        vec4 gg = ${act(`${xw(2)} + acc`)};
        vec4 hn = gz * hp + (1.0 - gz) * gg;
        vec4 auxv = gr * hp * ${rdAt(s, 2, 'j4')};`;
  }
  const gate = cell === 'gru' ? '(q == 0 ? gz : q == 1 ? gr : gg)' : 'hn';
  const inputs: Record<string, Dense> = {
    A: g.gates, S: g.state, ...(cell === 'gru' ? { xw: g.xw } : {}), ...(cell === 'gru' && !s.resetAfter ? { ud: g.ud } : {}),
    ...(s.hasMask ? { mask: g.mask } : {}), ...(s.hasRd && cell === 'gru' && !s.resetAfter ? { rd: g.rd } : {}),
  };
  if (cell === 'lstm') {
    // Per region, in branches (SwiftShader runs a branch only where some fragment of the quad
    // takes it): the saved gates and masked steps fetch one texel, c skips o and tanh.
    return denseProgram(inputs, g.state, `
        int b = row;
        int region = x / ${u4};
        int j4 = x - region * ${u4};
        bool real = ${realAt(s)};
        vec4 v;
        ${L.gm >= 0 ? `if (x >= ${L.gm}) v = real ? fA(b, x - ${L.gm}) : vec4(0.0); else` : ''}
        if (!real) v = fS(b, x);
        else {
          vec4 cn = fA(b, ${u4} + j4) * fS(b, ${L.c} + j4) + fA(b, j4) * fA(b, ${2 * u4} + j4);
          if (region == ${L.c / u4}) v = cn;
          else v = fA(b, ${3 * u4} + j4) * ${act('cn')};
        }
        setOutput(v * lanes(j4, ${u}));`, ['t', 'uT'], HELPERS);
  }
  return denseProgram(inputs, g.state, `
        int b = row;
        int region = x / ${u4};
        int j4 = x - region * ${u4};
        ${L.gm >= 0 ? `int q = x < ${L.gm} ? 0 : (x - ${L.gm}) / ${u4};` : ''}
        bool real = ${realAt(s)};
        ${unit}
        vec4 v;
        ${L.gm >= 0 ? `if (x >= ${L.gm} && x < ${L.gm + G * u4}) v = real ? ${gate} : vec4(0.0); else` : ''}
        ${cell === 'gru' ? `if (x >= ${L.aux}) v = real ? auxv : vec4(0.0); else` : ''}
        v = real ? hn : fS(b, x);
        setOutput(v * lanes(j4, ${u}));`, ['t', 'uT'], HELPERS, '', cell === 'gru' && !s.resetAfter);
}

/** Concatenation of dense row blocks of equal width (≤ 15 inputs): rows of input k follow input k−1. */
export function stackProgram(parts: readonly Dense[], out: Dense): DenseProgram {
  const inputs: Record<string, Dense> = {};
  const branches: string[] = [];
  let at = 0;
  parts.forEach((p, k) => {
    inputs[`X${k}`] = p;
    branches.push(`${k ? 'else ' : ''}if (row < ${at + p.rows}) v = fX${k}(row - ${at}, x);`);
    at += p.rows;
  });
  if (at !== out.rows) throw new Error('stack: row count mismatch');
  return denseProgram(inputs, out, `
        vec4 v = vec4(0.0);
        ${branches.join('\n        ')}
        setOutput(v);`, []);
}

/**
 * Writes an ordinary TF.js tensor from a dense input, packed (TF.js's default layout on webgl, so
 * the products after the op read it without a packing program): each fragment writes the 2×2 block
 * of the last two axes from output coordinates `c` (ivec2 or ivec3, even in those axes); for each
 * element `where` sets `int row, x, lane` from `c` (it may use uT). Elements past the shape are 0.
 * With `pairs` (the caller's promise: elements c and c + 1 of the last axis always sit in lanes
 * lane, lane + 1 of one texel, lane even), a block is two fetches instead of four.
 */
export function pickProgram(outShape: readonly number[], input: Dense, where: string, pairs = false): OutputProgram {
  const r3 = outShape.length === 3;
  const coords = r3 ? 'ivec3' : 'ivec2';
  const [i, j] = r3 ? ['y', 'z'] : ['x', 'y'];
  const step = (di: number, dj: number) => (r3 ? `ivec3(0, ${di}, ${dj})` : `ivec2(${di}, ${dj})`);
  const main = pairs
    ? `
        vec2 p = pick2(c), q = di ? pick2(c + ${step(1, 0)}) : vec2(0.0);
        setOutput(dj ? vec4(p, q) : vec4(p.x, 0.0, q.x, 0.0));`
    : `
        setOutput(vec4(
          pick(c),
          dj ? pick(c + ${step(0, 1)}) : 0.0,
          di ? pick(c + ${step(1, 0)}) : 0.0,
          di && dj ? pick(c + ${step(1, 1)}) : 0.0));`;
  return readingDense(outShape, input, `
      ${pairs ? `vec2 pick2(${coords} c) {
        int row = 0, x = 0, lane = 0;
        ${where}
        vec4 t = fD(row, x);
        return lane == 0 ? t.xy : t.zw;
      }` : `float pick(${coords} c) {
        int row = 0, x = 0, lane = 0;
        ${where}
        return fD(row, x)[lane];
      }`}
      void main() {
        ${coords} c = getOutputCoords();
        bool di = c.${i} + 1 < outShape.${i}, dj = c.${j} + 1 < outShape.${j};${main}
      }`);
}

/** A program writing a packed TF.js tensor of `outShape` from the dense matrix D (`fD`; uniform uT). */
function readingDense(outShape: readonly number[], input: Dense, code: string): OutputProgram {
  return {
    variableNames: ['D'],
    outputShape: [...outShape],
    packedInputs: true,
    packedOutput: true,
    enableShapeUniforms: true,
    ...uniformsOf(['uT']),
    userCode: `${MARK}
      ${fetchFn('D', input)}${code}`,
  };
}

/**
 * The biases' gradients (Σ over every step and row of dxw or drec, per layer), in two programs
 * instead of TF.js's sum over axis 0 (which transposes, unpacks and reduces in stages: four to
 * five programs). First `partialSumProgram`: for each step and layer, the sum over the layer's
 * rows of the `w` texels at `at` of the stacked rows (row t·B + b): a dense matrix of T·groups
 * rows (row t·groups + k), every fragment B / groups fetches — many short fragments, where one
 * program summing T·B rows per value had only G·u / 2 (~1.5 ms a layer on SwiftShader, against
 * ~0.2 ms for both programs).
 */
export function partialSumProgram(input: Dense, at: number, w: number, B: number, groups: number, out: Dense): DenseProgram {
  const Bk = B / groups;
  return denseProgram({ D: input }, out, `
        int t = row / ${groups};
        int k = row - t * ${groups};
        vec4 sum = vec4(0.0);
        for (int b = 0; b < ${Bk}; b++) sum += fD(t * ${B} + k * ${Bk} + b, ${at} + x);
        setOutput(sum);`, ['uT']);
}

/**
 * Then `sumProgram`: layer k's sums over the steps of those partial sums (G blocks of u values,
 * block q at texels q·u4), a packed [G·u] tensor.
 */
export function sumProgram(G: number, u: number, partial: Dense, groups: number, k: number): OutputProgram {
  const u4 = u4Of(u);
  const col = (c: string) => `int q = (${c}) / ${u}; int j = (${c}) - q * ${u}; int x = q * ${u4} + j / 4; int lane = j - (j / 4) * 4;`;
  const steps = (body: string) => `
        for (int t = 0; t < uT; t++) {
          ${body}
        }`;
  const main = u % 2 === 0
    ? `
        ${col('c')}
        vec2 sum = vec2(0.0);${steps(`vec4 v = fD(t * ${groups} + ${k}, x); sum += lane == 0 ? v.xy : v.zw;`)}
        setOutput(vec4(sum, 0.0, 0.0));`
    : `
        vec2 sum = vec2(0.0);
        for (int e = 0; e < 2; e++) {
          if (c + e >= ${G * u}) break;
          ${col('c + e')}
          float s = 0.0;${steps(`s += fD(t * ${groups} + ${k}, x)[lane];`)}
          sum[e] = s;
        }
        setOutput(vec4(sum, 0.0, 0.0));`;
  return readingDense([G * u], partial, `
      void main() {
        int c = getOutputCoords();${main}
      }`);
}

/** GLSL: rows of dout per sequence, Tout + states (Tout = T with return_sequences, else 1). */
function doutRows(s: CellShape): { Tout: string; R: string } {
  const Tout = s.returnSequences ? 'uT' : '1';
  return { Tout, R: `(${Tout} + ${s.cell === 'lstm' ? 2 : 1})` };
}

/** Backward: the first carry row from dout's state rows (∂y carried starts at 0). */
export function initCarryProgram(s: CellShape, g: Geometry): DenseProgram {
  const C = carryLayout(s.cell, s.u);
  const u4 = u4Of(s.u);
  const { Tout, R } = doutRows(s);
  return denseProgram({ dout: g.dout }, g.carry, `
        int b = row;
        vec4 v = vec4(0.0);
        if (x < ${u4}) v = fdout(b * ${R} + ${Tout}, x);
        ${C.dc >= 0 ? `else if (x < ${C.dc + u4}) v = fdout(b * ${R} + ${Tout} + 1, x - ${C.dc});` : ''}
        setOutput(v);`, ['uT']);
}

/**
 * Where the backward reads what the forward saved.
 * - `packed`: the forward's packed outputs (gates, cs, hprev, aux: [B, T, ·]) converted to dense
 *   rows b·T + t, and c0 (the cell state before the first step) when given;
 * - `rows`: the forward's own stacks as they are (attribute denseSaved): the state rows (row k·B + b;
 *   k = 0 the initial state, k = t + 1 after step t) and, in `lean` rows (LSTM, SimpleRNN), the
 *   gates rows (row t·B + b: the GATES outputs themselves). No picking, no converting.
 */
export type Saved =
  | { readonly kind: 'packed'; readonly c0: boolean }
  | { readonly kind: 'rows'; readonly states: Dense; readonly gates: Dense | null };

type SavedValue = 'gates' | 'c' | 'cprev' | 'hp' | 'aux';

/**
 * The dense inputs and GLSL readers `vec4 s<Value>(int b, int t, int x)` of the saved values a
 * backward program needs: sGates (texel x of step t's gates), sC (c_t), sCprev (c_{t−1}, c0 or 0
 * at t = 0), sHp (h_{t−1}), sAux (GRU's aux of step t).
 */
function savedReaders(s: CellShape, g: Geometry, saved: Saved, need: readonly SavedValue[]): { inputs: Record<string, Dense>; defs: string } {
  const fn = (name: string, expr: string) => `
      vec4 s${name}(int b, int t, int x) { return ${expr}; }`;
  const inputs: Record<string, Dense> = {};
  const defs: string[] = [];
  const G = gateCount(s.cell);
  if (saved.kind === 'packed') {
    const row = 'b * uT + t';
    for (const v of need) {
      if (v === 'gates') { inputs.gates = g.seq(G); defs.push(fn('Gates', `fgates(${row}, x)`)); }
      if (v === 'c' || v === 'cprev') inputs.cs = g.seq(1);
      if (v === 'c') defs.push(fn('C', `fcs(${row}, x)`));
      if (v === 'cprev') {
        if (saved.c0) inputs.c0 = g.unit;
        defs.push(fn('Cprev', `t > 0 ? fcs(${row} - 1, x) : ${saved.c0 ? 'fc0(b, x)' : 'vec4(0.0)'}`));
      }
      if (v === 'hp') { inputs.hp = g.seq(1); defs.push(fn('Hp', `fhp(${row}, x)`)); }
      if (v === 'aux') { inputs.aux = g.seq(1); defs.push(fn('Aux', `faux(${row}, x)`)); }
    }
  } else {
    const L = stateLayout(s);
    const { B } = s;
    inputs.ST = saved.states;
    for (const v of need) {
      if (v === 'gates') {
        if (saved.gates) { inputs.GS = saved.gates; defs.push(fn('Gates', `fGS(t * ${B} + b, x)`)); }
        else defs.push(fn('Gates', `fST((t + 1) * ${B} + b, ${L.gm} + x)`));
      }
      if (v === 'c') defs.push(fn('C', `fST((t + 1) * ${B} + b, ${L.c} + x)`));
      if (v === 'cprev') defs.push(fn('Cprev', `fST(t * ${B} + b, ${L.c} + x)`));
      if (v === 'hp') defs.push(fn('Hp', `fST(t * ${B} + b, ${L.h} + x)`));
      if (v === 'aux') defs.push(fn('Aux', `fST((t + 1) * ${B} + b, ${L.aux} + x)`));
    }
  }
  return { inputs, defs: defs.join('') };
}

/**
 * Backward DZ for step t, per unit: the gradient reaching h_t (carried ∂h, plus the output's ∂y
 * and the ∂y carried past masked steps), then the cell's local derivatives.
 */
export function dzProgram(s: CellShape, g: Geometry, saved: Saved): DenseProgram {
  const { u, cell, resetAfter } = s;
  const u4 = u4Of(u), G = gateCount(cell);
  const C = carryLayout(cell, u);
  const D = gradLayout(s);
  const { R } = doutRows(s);
  const dact = (y: string) => derivativeGlsl(s.activation, y);
  const dract = (y: string) => derivativeGlsl(s.recurrentActivation, y);
  const dy = s.returnSequences ? `fdout(b * ${R} + t, j4)` : `(t == uT - 1 ? fdout(b * ${R}, j4) : vec4(0.0))`;
  // SimpleRNN and GRU: every value from one block (LSTM: per region, below).
  let unit = '';
  if (cell === 'simple') {
    unit = `
        vec4 dxwv = dh * ${dact('sGates(b, t, j4)')};`;
  } else if (cell === 'gru') {
    unit = `
        vec4 gz = sGates(b, t, j4), gr = sGates(b, t, ${u4} + j4), gg = sGates(b, t, ${2 * u4} + j4);
        vec4 hp = sHp(b, t, j4);
        vec4 da = dh * (1.0 - gz) * ${dact('gg')};
        vec4 dzz = dh * (hp - gg) * ${dract('gz')};
        vec4 direct = dh * gz;
        ${resetAfter ? `vec4 dr = da * sAux(b, t, j4) * ${dract('gr')};
        vec4 dxwv = q == 0 ? dzz : q == 1 ? dr : da;
        vec4 drecv = q == 2 ? da * gr : dxwv;` : 'vec4 dxwv = q == 0 ? dzz : vec4(0.0);'}`;
  }
  const reads = savedReaders(s, g, saved, cell === 'lstm' ? ['gates', 'c', 'cprev'] : cell === 'simple' ? ['gates'] : ['gates', 'hp', ...(resetAfter ? ['aux' as const] : [])]);
  const inputs: Record<string, Dense> = { dout: g.dout, C: g.carry, ...reads.inputs, ...(s.hasMask ? { mask: g.mask } : {}) };
  const region = (start: number, n: number, name: string) => (start >= 0 ? `else if (x < ${start + n * u4}) { kind = ${name}; q = (x - ${start}) / ${u4}; j4 = x - ${start} - q * ${u4}; }` : '');
  // The regions are branches, not selects: SwiftShader runs a branch only where some fragment of
  // the quad takes it, so each region fetches and computes what its own value needs (the carried
  // ∂y and masked steps next to nothing; LSTM's gate blocks their own gates).
  let values: string;
  if (cell === 'lstm') {
    values = `
        ${D.tap >= 0 ? 'else if (kind == 6) v = fC(b, j4) + g;' : ''}
        else if (!real) v = kind == 4 ? fC(b, ${C.dc} + j4) : vec4(0.0);
        else {
          vec4 dh = fC(b, j4) + g;
          vec4 go = sGates(b, t, ${3 * u4} + j4);
          vec4 ac = ${activationGlsl(s.activation, 'sC(b, t, j4)')};
          if (kind == 0 && q == 3) v = dh * ac * ${dract('go')};
          else {
            vec4 dc = fC(b, ${C.dc} + j4) + dh * go * ${dact('ac')};
            if (kind == 4) v = dc * sGates(b, t, ${u4} + j4);
            else if (q == 1) v = dc * sCprev(b, t, j4) * ${dract(`sGates(b, t, ${u4} + j4)`)};
            else {
              vec4 gi = sGates(b, t, j4), gg = sGates(b, t, ${2 * u4} + j4);
              v = q == 0 ? dc * gg * ${dract('gi')} : dc * gi * ${dact('gg')};
            }
          }
        }`;
  } else {
    values = `
        else {
          vec4 dh = fC(b, j4) + g;
          ${unit.trim()}
          if (kind == 0) v = real ? dxwv : vec4(0.0);
          ${D.drec >= 0 ? 'else if (kind == 1) v = real ? drecv : vec4(0.0);' : ''}
          ${D.direct >= 0 ? 'else if (kind == 2) v = direct;' : ''}
          ${D.da >= 0 ? 'else if (kind == 3) v = da;' : ''}
          ${D.tap >= 0 ? 'else v = dh;' : ''}
        }`;
  }
  return denseProgram(inputs, g.grad, `
        int b = row;
        int kind = 0, q = 0, j4 = 0;
        if (x < ${G * u4}) { kind = 0; q = x / ${u4}; j4 = x - q * ${u4}; }
        ${region(D.drec, G, '1')}
        ${region(D.direct, 1, '2')}
        ${region(D.da, 1, '3')}
        ${region(D.dcn, 1, '4')}
        ${D.tap >= 0 ? `${region(D.dycn, 1, '5')}
        else { kind = 6; j4 = x - ${D.tap}; }` : `else { kind = 5; j4 = x - ${D.dycn}; }`}
        bool real = ${realAt(s)};
        vec4 g = fC(b, ${C.dyc} + j4) + ${dy};
        vec4 v = vec4(0.0);
        if (kind == 5) v = real ? vec4(0.0) : g;${values}
        setOutput(v * lanes(j4, ${u}));`, ['t', 'uT'], HELPERS, reads.defs);
}

/**
 * GRU reset_before, between DZ and CARRY: ∂(r ⊙ h ⊙ rd_h) = da·U_hᵀ (a product over units), then
 * dr. Output row: dxw_t (z, r, h; 0 when masked) and that product.
 */
export function resetGradProgram(s: CellShape, g: Geometry, saved: Saved): DenseProgram {
  const { u } = s;
  const u4 = u4Of(u), U4 = 4 * u4;
  const D = gradLayout(s);
  const reads = savedReaders(s, g, saved, ['gates', 'hp']);
  return denseProgram({ D: g.grad, ut: g.ut, ...reads.inputs, ...(s.hasMask ? { mask: g.mask } : {}), ...(s.hasRd ? { rd: g.rd } : {}) }, g.reset, `
        int b = row;
        int part = x / ${u4};
        int j4 = x - part * ${u4};
        bool real = ${realAt(s)};
        vec4 v = vec4(0.0);
        if (part == 0) v = real ? fD(b, j4) : vec4(0.0);
        else if (part == 2) v = real ? fD(b, ${D.da} + j4) : vec4(0.0);
        else {
          vec4 acc = vec4(0.0);
          int lo = ${layerOffset(s, 3 * U4)} + ${2 * U4};
          for (int k4 = 0; k4 < ${u4}; k4++) {
            vec4 d = fD(b, ${D.da} + k4);
            int k = lo + 4 * k4;
            acc += d.x * fut(k, j4) + d.y * fut(k + 1, j4) + d.z * fut(k + 2, j4) + d.w * fut(k + 3, j4);
          }
          if (part == 3) v = acc;
          else v = real ? acc * sHp(b, t, j4) * ${rdAt(s, 2, 'j4')} * ${derivativeGlsl(s.recurrentActivation, `sGates(b, t, ${u4} + j4)`)} : vec4(0.0);
        }
        setOutput(v * lanes(j4, ${u}));`, ['t', 'uT'], '', reads.defs, true);
}

/**
 * Backward CARRY for step t: the step's matrix product ∂h_{t−1} = Σ_g (drec_g·U_gᵀ) ⊙ rd_g (+ GRU's
 * direct path and reset_before's r path) at real steps (∂h passes unchanged at masked steps), and
 * the carried ∂c and ∂y.
 */
export function carryProgram(s: CellShape, g: Geometry, saved: Saved): DenseProgram {
  const { u, cell, resetAfter } = s;
  const u4 = u4Of(u), U4 = 4 * u4, G = gateCount(cell);
  const C = carryLayout(cell, u);
  const D = gradLayout(s);
  const before = cell === 'gru' && !resetAfter;
  const src = before ? 'R' : 'D';
  const from = before ? 0 : D.drec >= 0 ? D.drec : D.dxw;
  const groups = before ? 2 : G;
  let extra = '';
  if (cell === 'gru') extra += `\n          acc += fD(b, ${D.direct} + x);`;
  if (before) extra += `\n          acc += fR(b, ${3 * u4} + x) * sGates(b, t, ${u4} + x) * ${rdAt(s, 2, 'x')};`;
  const reads = before ? savedReaders(s, g, saved, ['gates']) : { inputs: {}, defs: '' };
  const inputs: Record<string, Dense> = {
    D: g.grad, C: g.carry, ut: g.ut, ...(before ? { R: g.reset, ...reads.inputs } : {}),
    ...(s.hasMask ? { mask: g.mask } : {}), ...(s.hasRd ? { rd: g.rd } : {}),
  };
  return denseProgram(inputs, g.carry, `
        int b = row;
        vec4 v;
        if (x >= ${u4}) {
          ${C.dc >= 0 ? `if (x < ${C.dc + u4}) v = fD(b, ${D.dcn} + x - ${C.dc}); else` : ''} v = fD(b, ${D.dycn} + x - ${C.dyc});
        } else if (!(${realAt(s)})) {
          v = fC(b, x);
        } else {
          vec4 acc = vec4(0.0);
          int lo = ${layerOffset(s, G * U4)}; // outside the loops: SwiftShader's Subzero does not hoist it
          for (int q = 0; q < ${groups}; q++) {
            vec4 part = vec4(0.0);
            for (int k4 = 0; k4 < ${u4}; k4++) {
              vec4 d = f${src}(b, ${from} + q * ${u4} + k4);
              int k = lo + q * ${U4} + 4 * k4;
              part += d.x * fut(k, x) + d.y * fut(k + 1, x) + d.z * fut(k + 2, x) + d.w * fut(k + 3, x);
            }
            acc += part * ${rdAt(s, 'q', 'x')};
          }${extra}
          v = acc * lanes(x, ${u});
        }
        setOutput(v);`, ['t', 'uT'], '', reads.defs, true);
}
