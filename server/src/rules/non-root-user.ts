// PLACEHOLDER: to be written (no check yet).
import type { Rule } from '../engine/types';
import { t } from './util';

export const nonRootUser: Rule = {
  id: 'non-root-user',
  courseRule: 0,
  title: t('non-root-user', 'non-root-user'),
  defaultSeverity: 'error',
  messages: {},
  check: () => [],
};
