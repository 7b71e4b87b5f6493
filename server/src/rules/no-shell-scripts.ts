// PLACEHOLDER: to be written (no check yet).
import type { Rule } from '../engine/types';
import { t } from './util';

export const noShellScripts: Rule = {
  id: 'no-shell-scripts',
  courseRule: 0,
  title: t('no-shell-scripts', 'no-shell-scripts'),
  defaultSeverity: 'error',
  messages: {},
  check: () => [],
};
