/**
 * zod (v4) for core, configured once: `jitless` keeps zod from compiling validators with
 * `new Function` (it would otherwise try, which the app's Content-Security-Policy forbids and
 * reports). Import `z` from here, not from 'zod/v4'.
 */
import { z } from 'zod/v4';

z.config({ jitless: true });

export { z };
