import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's `remotes/` directory (scripts pushed to hosts), found from this module in src/ or dist/. */
export function remotesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'remotes', 'qemu'))) return join(dir, 'remotes');
    const up = dirname(dir);
    if (up === dir) throw new Error('the remotes/ directory of scripts for hosts is missing from this installation');
    dir = up;
  }
}
