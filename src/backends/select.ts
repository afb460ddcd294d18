// Which backend a command talks to. The compose backend is not built yet, so "auto" is local.
import type { Config } from '../config/flags.js';
import type { ClusterBackend } from './backend.js';
import { LocalBackend } from './local.js';

export function makeBackend(cfg: Config): ClusterBackend & { basePort?: () => number } {
  return new LocalBackend({
    labDir: cfg.labDir,
    basePort: cfg.basePort,
    basePortExplicit: cfg.basePortExplicit,
    scale: cfg.scale,
  });
}
