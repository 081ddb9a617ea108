import path from 'node:path';
import type { Core, CoreConfig } from '../../src-main/core';
import { createCore } from '../../src-main/core';
import type { InstalledModel } from '../../src-main/core/models/installed-model';
import type { Precision, TextAxis } from './bench-models';
import { writeBenchModelFolder } from './bench-models';

export interface BenchCore {
  core: Core;
  model: InstalledModel;
}

/**
 * A core whose data folder lives in `workDir`, with the bench model of `precision` added (and so
 * active: it is the first model of a fresh data folder). The database defaults to
 * `<workDir>/library.db`; pass one to open an existing library.
 */
export async function openBenchCore(
  workDir: string,
  precision: Precision,
  databasePath = path.join(workDir, 'library.db'),
  config: Pick<CoreConfig, 'imageThread'> = {},
  textAxis: TextAxis = 'fixed',
): Promise<BenchCore> {
  const model = await writeBenchModelFolder(
    path.join(workDir, `model-${precision}`),
    precision,
    textAxis,
  );
  const core = createCore({ ...config, dataDir: path.join(workDir, 'data'), databasePath });
  await core.models.add(model.dir);
  core.models.use(model.spec.id);
  return { core, model };
}
