// PLACEHOLDER: to be written (no check yet).
import type { Rule } from '../engine/types';
import { t } from './util';

export const noBakedSecrets: Rule = {
  id: 'no-baked-secrets',
  courseRule: 0,
  title: t('no-baked-secrets', 'no-baked-secrets'),
  defaultSeverity: 'error',
  messages: {},
  check: () => [],
};
