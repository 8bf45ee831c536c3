/** The platform is chosen once, here; everything above this line sees only the Collector type. */
import type { Collector } from './types.js';

export class UnsupportedPlatformError extends Error {
  readonly code = 'PR_UNSUPPORTED_PLATFORM';
}

export async function loadCollector(platform: NodeJS.Platform = process.platform): Promise<Collector> {
  switch (platform) {
    case 'linux':
      return (await import('./linux/index.js')).collectLinux;
    case 'win32':
      return (await import('./windows/index.js')).collectWindows;
    default:
      throw new UnsupportedPlatformError(`no collector for platform "${platform}" (Linux and Windows are supported)`);
  }
}

export type { Collector, Snapshot, SnapshotOptions } from './types.js';
