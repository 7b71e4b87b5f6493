// PLACEHOLDER: to be written (no check yet).
import type { Rule } from '../engine/types';
import { t } from './util';

export const productionInstall: Rule = {
  id: 'production-install',
  courseRule: 0,
  title: t('production-install', 'production-install'),
  defaultSeverity: 'error',
  messages: {},
  check: () => [],
};
