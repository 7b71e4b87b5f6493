// PLACEHOLDER: to be written (no check yet).
import type { Rule } from '../engine/types';
import { t } from './util';

export const execFormVariables: Rule = {
  id: 'exec-form-variables',
  courseRule: 0,
  title: t('exec-form-variables', 'exec-form-variables'),
  defaultSeverity: 'error',
  messages: {},
  check: () => [],
};
