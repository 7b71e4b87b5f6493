// PLACEHOLDER: to be written (no check yet).
import type { Rule } from '../engine/types';
import { t } from './util';

export const legacyBuilder: Rule = {
  id: 'legacy-builder',
  courseRule: 0,
  title: t('legacy-builder', 'legacy-builder'),
  defaultSeverity: 'error',
  messages: {},
  check: () => [],
};
