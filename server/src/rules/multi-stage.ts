// PLACEHOLDER: to be written (no check yet).
import type { Rule } from '../engine/types';
import { t } from './util';

export const multiStage: Rule = {
  id: 'multi-stage',
  courseRule: 0,
  title: t('multi-stage', 'multi-stage'),
  defaultSeverity: 'error',
  messages: {},
  check: () => [],
};
