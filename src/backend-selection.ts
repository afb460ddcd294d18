// Where the command line meets the backends: the parsed flags become the plain options each
// backend takes, so neither side has to know the other's types.
import type { BackendSelection } from './backends/select.js';
import { parseMonitorUri } from './cluster/conn-uri.js';
import type { Config } from './config/flags.js';

export function backendSelection(cfg: Config): BackendSelection {
  return {
    backend: cfg.backend,
    backendBy: cfg.backendBy,
    labDirExplicit: cfg.labDirExplicit,
    local: {
      labDir: cfg.labDir,
      basePort: cfg.basePort,
      basePortExplicit: cfg.basePortExplicit,
      scale: cfg.scale,
      monitoring: cfg.monitoring,
      alertWebhook: cfg.alertWebhook,
    },
    compose: { envFile: cfg.envFile, offline: cfg.offline },
    attach: cfg.monitorUri === null
      ? null
      : {
          monitor: parseMonitorUri(cfg.monitorUri),
          formation: cfg.formation,
          nodeUser: cfg.nodeUser,
          nodeDbname: cfg.nodeDbname,
          allowActions: cfg.allowActions,
          allowProfile: cfg.allowProfile,
          resolve: cfg.resolve,
        },
  };
}
