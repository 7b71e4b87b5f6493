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
];

const byId = new Map(RULES.map((r) => [r.id, r]));
export const ruleById = (id: string): Rule | undefined => byId.get(id);
