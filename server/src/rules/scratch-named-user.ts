/**
 * Course rule 2: on scratch there is no /etc/passwd or /etc/group, so a USER given by name cannot be
 * resolved and the container fails to start, unless those files are copied into the image.
 */
import { Add, Copy } from 'dockerfile-ast';
import { ALL_TASKS } from '../engine/types';
import type { Analysis, Instr, Stage } from '../engine/analysis';
import type { Rule } from '../engine/types';
import { argumentsRange, isNumericId, splitUserSpec } from './non-root-user';
import { isExecForm, t } from './util';
import { trimTrailing } from '../engine/text';

export const scratchNamedUser: Rule = {
  id: 'scratch-named-user',
  courseRule: 2,
  title: t('Numeric user on scratch', 'Числовой пользователь в scratch'),
  defaultSeverity: 'error',
  tasks: ALL_TASKS,
  messages: {
    namedUser: t(
      'USER {user} is a name, but this scratch image has no /etc/passwd to look it up in: the container fails to start. Use a numeric uid:gid or copy /etc/passwd in.',
      'USER {user} задан именем, но в этом образе на scratch нет /etc/passwd, где его искать: контейнер не запустится. Укажите числовые uid:gid или скопируйте /etc/passwd.',
    ),
    namedGroup: t(
      'Group {group} is a name, but this scratch image has no /etc/group to look it up in: the container fails to start. Use a numeric gid or copy /etc/group in.',
      'Группа {group} задана именем, но в этом образе на scratch нет /etc/group, где её искать: контейнер не запустится. Укажите числовой gid или скопируйте /etc/group.',
    ),
  },
  check({ analysis }) {
    const final = analysis.finalStage;
    if (!final || analysis.rootBase(final).kind !== 'scratch') return [];
    // Only the USER in force when the container starts matters: scratch cannot RUN anything before.
    const effective = analysis.effectiveUser(final);
    if (!effective || effective.value.value === undefined) return [];
    const { user, group } = splitUserSpec(effective.value.value);
    if (user === '') return [];
    const files = copiedAccountFiles(analysis, final);
    const range = argumentsRange(effective.instr);
    const groupIsName = group !== undefined && group !== '' && !isNumericId(group);

    if (!isNumericId(user) && !files.passwd) {
      // Keep a numeric group; anything else becomes the conventional nobody:nogroup.
      const numeric = group !== undefined && isNumericId(group) ? `65534:${group}` : '65534:65534';
      return [
        {
          messageId: 'namedUser',
          data: { user },
          range,
          fixes: [{ title: t(`Use USER ${numeric}`, `Заменить на USER ${numeric}`), edits: [{ range, newText: numeric }], preferred: true }],
        },
      ];
    }
    if (groupIsName && !files.group) {
      // A numeric user gets its uid as gid; a name found in /etc/passwd keeps its primary group.
      const replacement = isNumericId(user) ? `${user}:${user}` : user;
      return [
        {
          messageId: 'namedGroup',
          data: { group },
          range,
          fixes: [{ title: t(`Use USER ${replacement}`, `Заменить на USER ${replacement}`), edits: [{ range, newText: replacement }], preferred: true }],
        },
      ];
    }
    return [];
  },
};

/** Whether some COPY/ADD of the final stage's chain brings /etc/passwd and /etc/group into the image. */
function copiedAccountFiles(analysis: Analysis, final: Stage): { passwd: boolean; group: boolean } {
  const found = { passwd: false, group: false };
  for (const stage of analysis.chain(final)) {
    for (const instr of stage.instructions) {
      if (!(instr.node instanceof Copy || instr.node instanceof Add)) continue;
      const paths = copyPaths(analysis, instr);
      if (paths.length < 2) continue;
      const dest = normalize(paths[paths.length - 1]);
      const sources = paths.slice(0, -1).map(normalize);
      // A whole /etc counts as both files: the builder's /etc has them.
      if (dest === '/etc') found.passwd = found.group = true;
      if (dest === '/etc/passwd' || sources.some((s) => s.endsWith('/etc/passwd'))) found.passwd = true;
      if (dest === '/etc/group' || sources.some((s) => s.endsWith('/etc/group'))) found.group = true;
    }
  }
  return found;
}

/** Source and destination paths of a COPY/ADD (flags removed), variables expanded where known. */
function copyPaths(analysis: Analysis, instr: Instr): string[] {
  // The shell tokenizer decodes the JSON form's strings; the plain form is whitespace-separated.
  const words = isExecForm(instr)
    ? (analysis.shell(instr).commands[0]?.words.map((w) => w.value) ?? [])
    : analysis.args(instr).map((a) => a.getValue());
  return words.map((w) => analysis.expandAt(instr, w).value ?? w);
}

const normalize = (path: string): string => trimTrailing(path.replace(/\/{2,}/g, '/'), '/');
