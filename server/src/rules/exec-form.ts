// PLACEHOLDER: to be written (no check yet).
import type { Rule } from '../engine/types';
import { t } from './util';

export const execForm: Rule = {
  id: 'exec-form',
  courseRule: 0,
  title: t('exec-form', 'exec-form'),
  defaultSeverity: 'error',
  messages: {},
  check: () => [],
};
