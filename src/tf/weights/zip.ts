/**
 * Zip archives (`.keras` files) through fflate, loaded on first use.
 *
 *   const files = await unzip(bytes, 'model.keras');   // { 'config.json': Uint8Array, … }
 *   const bytes = await zip({ 'config.json': text, 'model.weights.h5': h5 });
 */
export class ZipError extends Error {}

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 0x03 || bytes[2] === 0x05) && (bytes[3] === 0x04 || bytes[3] === 0x06);
}

export async function unzip(bytes: Uint8Array, what = 'the file'): Promise<Record<string, Uint8Array>> {
  if (!isZip(bytes)) throw new ZipError(`${what} is not a zip archive`);
  const { unzipSync } = await import('fflate');
  try {
    return unzipSync(bytes);
  } catch (e) {
    throw new ZipError(`${what} is a damaged zip archive (${(e as Error).message})`);
  }
}

/** Stored entries get no compression for the (already dense) weights, deflate for JSON. */
export async function zip(files: Readonly<Record<string, string | Uint8Array>>): Promise<Uint8Array> {
  const { zipSync, strToU8 } = await import('fflate');
  const entries: Record<string, [Uint8Array, { level: 0 | 6 }]> = {};
  for (const [name, v] of Object.entries(files)) {
    entries[name] = typeof v === 'string' ? [strToU8(v), { level: 6 }] : [v, { level: 0 }];
  }
  return zipSync(entries);
}
