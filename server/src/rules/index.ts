/** Every rule, in the order of the course's RULES.md. */
import type { Rule } from '../engine/types';
import { nonRootUser } from './non-root-user';
import { scratchNamedUser } from './scratch-named-user';
import { pinnedBaseImage } from './pinned-base-image';
import { productionInstall } from './production-install';
import { noShellScripts } from './no-shell-scripts';
import { execForm } from './exec-form';
import { execFormVariables } from './exec-form-variables';
import { noBakedSecrets } from './no-baked-secrets';
import { legacyBuilder } from './legacy-builder';
import { multiStage } from './multi-stage';
import { layerHygiene } from './layer-hygiene';
import { cacheFriendlyOrder } from './cache-friendly-order';
import { dockerignore } from './dockerignore';
import { absoluteWorkdir } from './absolute-workdir';
import { copyNotAdd } from './copy-not-add';
import { brokenReferences } from './broken-references';
import { noShellInMinimalImage } from './no-shell-in-minimal-image';
import { volumes } from './volumes';
import { writeAccess } from './write-access';
import { productionStart } from './production-start';
import { exposedPort } from './exposed-port';
import { listenAddress } from './listen-address';
import { hardcodedSecret } from './hardcoded-secret';
import { gateBaseImage } from './gate-base-image';
import { runtimeEnv } from './runtime-env';
import { staticBinary } from './static-binary';
import { uploadVolume } from './upload-volume';
import { distrolessBase } from './distroless-base';
import { builderRelease } from './builder-release';
import { flagsFromEnv } from './flags-from-env';

export const RULES: readonly Rule[] = [
  nonRootUser,
  scratchNamedUser,
  pinnedBaseImage,
  productionInstall,
  noShellScripts,
  execForm,
  execFormVariables,
  noBakedSecrets,
  legacyBuilder,
  multiStage,
  // Rules 11-14: layers, cache order, .dockerignore, WORKDIR and ADD.
  layerHygiene,
  cacheFriendlyOrder,
  dockerignore,
  absoluteWorkdir,
  copyNotAdd,
  // Rules 15-17: read from the project's code (package.json, index.js, the Go sources).
  productionStart,
  exposedPort,
  listenAddress,
  hardcodedSecret,
  // Rules 18-21: references, shells in minimal images, volumes, write access.
  brokenReferences,
  noShellInMinimalImage,
  volumes,
  writeAccess,
  // Task rules: the gate, scratch and distroless sections of RULES.md.
  gateBaseImage,
  runtimeEnv,
  staticBinary,
  uploadVolume,
  distrolessBase,
  builderRelease,
  flagsFromEnv,
];

const byId = new Map(RULES.map((r) => [r.id, r]));
export const ruleById = (id: string): Rule | undefined => byId.get(id);
