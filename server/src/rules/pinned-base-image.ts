// PLACEHOLDER: to be written (no check yet).
import type { Rule } from '../engine/types';
import { t } from './util';

export const pinnedBaseImage: Rule = {
  id: 'pinned-base-image',
  courseRule: 0,
  title: t('pinned-base-image', 'pinned-base-image'),
  defaultSeverity: 'error',
  messages: {},
  check: () => [],
};
