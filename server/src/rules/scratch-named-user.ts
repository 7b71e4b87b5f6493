// PLACEHOLDER: to be written (no check yet).
import type { Rule } from '../engine/types';
import { t } from './util';

export const scratchNamedUser: Rule = {
  id: 'scratch-named-user',
  courseRule: 0,
  title: t('scratch-named-user', 'scratch-named-user'),
  defaultSeverity: 'error',
  messages: {},
  check: () => [],
};
