/**
 * Scratch task: `VOLUME /upload`, and the volume must be where the app really writes. The app writes
 * to `./upload`, relative to its working directory, so the final WORKDIR must keep `./upload` on
 * `/upload`; and on scratch (no shell, no mkdir) `/upload` must exist owned by the runtime uid,
 * created in the builder and copied with `COPY --from --chown`, or every upload of a non-root user
 * fails. Big multipart uploads are spooled to /tmp, which scratch lacks too.
 */
import * as path from 'path';
import type { Analysis, Instr, Stage } from '../engine/analysis';
import type { Finding, Fix, Range, Rule, TextEdit } from '../engine/types';
import type { GoWriteDir } from '../engine/facts/go';
import { goFactsFor } from './app-facts';
import { copyFromStage, finalWorkdir, flagValue, imagePath, insertLinesAfter, instructionPaths, runtimeEnv, startInstr, where } from './facts-util';
import { isNumericId, isRootUser, splitUserSpec } from './non-root-user';
import { flatMap, insertLinesAtStageEnd, insertLinesBefore, isExecForm, keywordRange, t } from './util';

const VOLUME = '/upload';

export const uploadVolume: Rule = {
  id: 'upload-volume',
  courseRule: 20,
  title: t('VOLUME /upload where the app writes, writable by its user', 'VOLUME /upload там, куда пишет приложение, с правом записи'),
  defaultSeverity: 'error',
  tasks: ['scratch'],
  messages: {
    noVolume: t(
      'The task wants `/upload` as a VOLUME ("указать, что /upload нужно подключать как VOLUME"), and there is none: uploads land in the container\'s writable layer and vanish with it. Add `VOLUME /upload`.',
      'Задание требует подключать `/upload` как VOLUME, а его нет: загрузки попадут в слой контейнера и пропадут вместе с ним. Добавьте `VOLUME /upload`.',
    ),
    workdirMismatch: t(
      'The app writes to `{dir}` relative to its working directory ({source}); with WORKDIR {workdir} that is `{appPath}`{missing}, not the VOLUME `/upload`. {advice}',
      'Приложение пишет в `{dir}` относительно рабочего каталога ({source}); при WORKDIR {workdir} это `{appPath}`{missing}, а не VOLUME `/upload`. {advice}',
    ),
    writesElsewhere: t(
      'The app writes to `{appPath}` ({source}), not to the VOLUME `/upload`: the volume stays empty and the uploads stay in the container\'s writable layer. The task forbids editing the code: the developers\' "./upload" is not where this code writes; tell them.',
      'Приложение пишет в `{appPath}` ({source}), а не в VOLUME `/upload`: том остаётся пустым, а загрузки — в слое контейнера. Задание запрещает править код: «./upload» разработчиков — не то место, куда пишет этот код; сообщите им.',
    ),
    notCreated: t(
      '`{target}` does not exist in this scratch image, and nothing can create it at run time (no shell, no mkdir): Docker makes the mount point owned by root, so USER {user} cannot write there and every upload fails{createdNote}. Create it in the builder stage and copy it with its owner: `COPY --from={builder} --chown={chown} {target} {target}`.',
      '`{target}` нет в этом образе scratch, и создать его при запуске нечем (нет shell и mkdir): Docker создаст точку монтирования с владельцем root, USER {user} не сможет туда писать, и каждая загрузка упадёт{createdNote}. Создайте каталог в стадии сборки и скопируйте его вместе с владельцем: `COPY --from={builder} --chown={chown} {target} {target}`.',
    ),
    notOwned: t(
      '`{target}` is copied without `--chown`: it belongs to root in the image, so USER {user} cannot write uploads into it. Add `--chown={chown}`.',
      '`{target}` копируется без `--chown`: в образе его владелец root, и USER {user} не сможет записывать туда загрузки. Добавьте `--chown={chown}`.',
    ),
    wrongOwner: t(
      '`{target}` is owned by {owner}, but the app runs as USER {user}: it cannot write uploads there. Use `--chown={chown}`.',
      'Владелец `{target}` — {owner}, а приложение работает от USER {user}: записывать туда загрузки оно не сможет. Укажите `--chown={chown}`.',
    ),
    noTmp: t(
      'The app reads multipart uploads ({source}); Go spools an upload bigger than its in-memory limit (about 32 MB) to /tmp, and scratch has no /tmp: big uploads fail with "open /tmp/multipart-...: no such file or directory". Copy an empty /tmp writable by USER {user} from the builder.',
      'Приложение принимает multipart-загрузки ({source}); загрузку больше лимита в памяти (около 32 МБ) Go сбрасывает в /tmp, а в scratch нет /tmp: большие загрузки упадут с «open /tmp/multipart-...: no such file or directory». Скопируйте из стадии сборки пустой /tmp с правом записи для USER {user}.',
    ),
  },
  check({ analysis }) {
    const final = analysis.finalStage;
    if (!final) return [];
    const findings: Finding[] = [];
    const chain = analysis.chain(final);
    const instrs = flatMap([...chain].reverse(), (s) => s.instructions);
    const volumeInstrs = instrs.filter((i) => i.keyword === 'VOLUME');
    const volumes = flatMap(volumeInstrs, (i) => instructionPaths(analysis, i).map((p) => ({ instr: i, path: p.value === null ? null : imagePath(p.value) })));
    if (volumes.some((v) => v.path === null)) return [];
    const facts = goFactsFor(analysis);
    const dirs = facts.writeDirs.filter((d) => d.writes.length > 0);
    const workdir = finalWorkdir(analysis);

    if (!volumes.some((v) => v.path === VOLUME)) {
      // After the files land (the final stage's last COPY/ADD), else right after its FROM.
      const copies = final.instructions.filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD');
      const edit = insertLinesAfter(analysis, copies[copies.length - 1] ?? final.fromInstr, [`VOLUME ${VOLUME}`]);
      findings.push({ messageId: 'noVolume', range: keywordRange(final.fromInstr), fixes: [{ title: t('Add VOLUME /upload', 'Добавить VOLUME /upload'), edits: [edit] }] });
    }

    // Where the code writes, in this image.
    let target = VOLUME;
    const dir = uploadDir(dirs);
    if (dir && workdir.path !== null) {
      const env = dir.env ? runtimeEnv(analysis, dir.env) : undefined;
      const written = env ?? dir.path;
      if (env === null) return findings;
      const appPath = imagePath(path.posix.resolve(workdir.path, written));
      target = appPath;
      const source = dir.writes[0] ? where(dir.writes[0]) : dir.loc ? where(dir.loc) : '';
      if (appPath !== VOLUME && !volumes.some((v) => v.path === appPath)) {
        if (!path.posix.isAbsolute(written) && workdir.instr) {
          findings.push(workdirFinding(analysis, final, workdir.instr, written, workdir.path, appPath, source, dir));
        } else if (path.posix.isAbsolute(written)) {
          const at = volumes.find((v) => v.path === VOLUME)?.instr;
          findings.push({ messageId: 'writesElsewhere', data: { appPath, source }, range: at ? keywordRange(at) : keywordRange(final.fromInstr) });
        }
        return findings;
      }
    }

    // Ownership: on scratch nothing can mkdir/chown at run time.
    if (analysis.rootBase(final).kind !== 'scratch') return findings;
    const effective = analysis.effectiveUser(final);
    const userValue = effective?.value.value;
    const nonRoot = userValue !== undefined && !isRootUser(splitUserSpec(userValue).user);
    if (nonRoot) {
      const f = ownership(analysis, final, instrs, target, userValue!, volumeInstrs[0], !!dir?.created);
      if (f) findings.push(f);
    }
    if (facts.multipart && copiesTo(analysis, instrs, '/tmp').length === 0 && !volumes.some((v) => v.path === '/tmp') && runtimeEnv(analysis, 'TMPDIR') === undefined) {
      findings.push({
        messageId: 'noTmp',
        data: { source: where(facts.multipart), user: userValue ?? 'root' },
        range: keywordRange(final.fromInstr),
        severity: 'warning',
      });
    }
    return findings;
  },
};

/** The folder uploads go to: the one named like upload(s), else the only one written to. */
function uploadDir(dirs: GoWriteDir[]): GoWriteDir | undefined {
  const named = dirs.filter((d) => /upload/i.test(path.posix.basename(d.path)));
  if (named.length === 1) return named[0];
  return dirs.length === 1 ? dirs[0] : undefined;
}

function workdirFinding(analysis: Analysis, final: Stage, workdir: Instr, dir: string, wd: string, appPath: string, source: string, fact: GoWriteDir): Finding {
  const range: Range = analysis.argsRange(workdir) ?? keywordRange(workdir);
  // Only `./upload` maps onto `/upload`, from `/`; and only when nothing later relies on the old WORKDIR.
  const wanted = imagePath(path.posix.normalize(dir)) === 'upload' ? '/' : undefined;
  const safe = wanted !== undefined && workdir.stage === final && !usesRelativePaths(analysis, final, workdir);
  const missing = fact.created ? '' : ' (a folder nothing creates: every upload fails)';
  const missing_ru = fact.created ? '' : ' (этот каталог никто не создаёт: каждая загрузка падает)';
  const advice = wanted
    ? { en: `Make the final WORKDIR \`${wanted}\`, so that \`${dir}\` is \`/upload\`.`, ru: `Сделайте итоговый WORKDIR \`${wanted}\`, чтобы \`${dir}\` был \`/upload\`.` }
    : { en: `Choose the final WORKDIR so that \`${dir}\` is \`/upload\`.`, ru: `Выберите итоговый WORKDIR так, чтобы \`${dir}\` был \`/upload\`.` };
  const fixes: Fix[] | undefined = safe ? [{ title: t(`Use WORKDIR ${wanted}`, `Заменить на WORKDIR ${wanted}`), edits: [{ range, newText: wanted! }] }] : undefined;
  return {
    messageId: 'workdirMismatch',
    data: { dir, source, workdir: wd, appPath, missing, missing_ru, advice: advice.en, advice_ru: advice.ru },
    range,
    fixes,
  };
}

/** Does anything after the WORKDIR in the final stage depend on it (relative COPY destinations, ./program)? */
function usesRelativePaths(analysis: Analysis, final: Stage, workdir: Instr): boolean {
  for (const instr of final.instructions) {
    if (instr.index <= workdir.index) continue;
    if (instr.keyword === 'COPY' || instr.keyword === 'ADD' || instr.keyword === 'VOLUME') {
      const paths = instructionPaths(analysis, instr);
      const dests = instr.keyword === 'VOLUME' ? paths : paths.slice(-1);
      if (dests.some((p) => p.value === null || !p.value.startsWith('/'))) return true;
    }
    if (instr.keyword === 'CMD' || instr.keyword === 'ENTRYPOINT' || instr.keyword === 'RUN') {
      const words = flatMap(analysis.shell(instr).commands, (c) => c.words);
      if (!isExecForm(instr) && instr.keyword !== 'RUN') return true;
      if (words.some((w) => /^\.\.?\//.test(w.value) || (!w.value.startsWith('/') && w.value.includes('/')))) return true;
    }
  }
  return false;
}

/** COPY/ADD in the final image whose destination is `target` (or a folder it lands in as `target`). */
function copiesTo(analysis: Analysis, instrs: Instr[], target: string): Instr[] {
  return instrs.filter((instr) => {
    if (instr.keyword !== 'COPY' && instr.keyword !== 'ADD') return false;
    const paths = instructionPaths(analysis, instr);
    if (paths.length < 2) return false;
    const dest = paths[paths.length - 1].value;
    if (dest === null) return false;
    // COPY copies a folder's contents, not the folder: only a destination of `target` itself makes it.
    return imagePath(dest) === target;
  });
}

function ownership(analysis: Analysis, final: Stage, instrs: Instr[], target: string, user: string, volume: Instr | undefined, created: boolean): Finding | undefined {
  const spec = splitUserSpec(user);
  const numeric = isNumericId(spec.user) && (spec.group === undefined || isNumericId(spec.group));
  const chown = numeric ? `${spec.user}:${spec.group ?? spec.user}` : user;
  const copies = copiesTo(analysis, instrs, target);
  const data: Record<string, string> = { target, user, chown };
  if (copies.length === 0) {
    const builder = builderStage(analysis, final);
    const builderName = builder ? (builder.name ?? String(builder.index)) : 'build';
    const anchor = volume ?? startInstr(analysis);
    const range = anchor ? keywordRange(anchor) : keywordRange(final.fromInstr);
    let fixes: Fix[] | undefined;
    if (builder && numeric) {
      const copyLine = `COPY --from=${builderName} --chown=${chown} ${target} ${target}`;
      // Above the VOLUME; without one, after the final stage's last COPY (away from other rules' insertions above CMD).
      const copies = final.instructions.filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD');
      const edits: TextEdit[] = [
        insertLinesAtStageEnd(analysis, builder, [`RUN mkdir -p ${target}`]),
        volume ? insertLinesBefore(analysis, volume, [copyLine]) : insertLinesAfter(analysis, copies[copies.length - 1] ?? final.fromInstr, [copyLine]),
      ];
      fixes = [{ title: t(`Create ${target} in the builder and copy it owned by ${chown}`, `Создать ${target} в стадии сборки и скопировать с владельцем ${chown}`), edits }];
    }
    return {
      messageId: 'notCreated',
      data: {
        ...data,
        builder: builderName,
        createdNote: created ? ' (the code\'s own os.MkdirAll cannot create it either: the parent folder belongs to root)' : '',
        createdNote_ru: created ? ' (собственный os.MkdirAll кода тоже его не создаст: родительский каталог принадлежит root)' : '',
      },
      range,
      fixes,
    };
  }
  const copy = copies[copies.length - 1];
  const owner = flagValue(copy, 'chown');
  if (owner === undefined) {
    const kw = keywordRange(copy);
    return {
      messageId: 'notOwned',
      data,
      range: kw,
      severity: 'warning',
      fixes: numeric ? [{ title: t(`Copy it with --chown=${chown}`, `Копировать с --chown=${chown}`), edits: [{ range: { start: kw.end, end: kw.end }, newText: ` --chown=${chown}` }] }] : undefined,
    };
  }
  const ownerSpec = splitUserSpec(analysis.expandAt(copy, owner).value ?? '');
  // Only numbers compare with certainty (names need the image's /etc/passwd).
  if (!numeric || !isNumericId(ownerSpec.user) || ownerSpec.user === spec.user) return undefined;
  const flagRange = ownerRange(analysis, copy, owner);
  return {
    messageId: 'wrongOwner',
    data: { ...data, owner },
    range: flagRange ?? keywordRange(copy),
    fixes: flagRange ? [{ title: t(`Use --chown=${chown}`, `Заменить на --chown=${chown}`), edits: [{ range: flagRange, newText: chown }] }] : undefined,
  };
}

/** The range of a `--chown=` value in the instruction's text. */
function ownerRange(analysis: Analysis, instr: Instr, value: string): Range | undefined {
  const text = analysis.text.slice(instr.start, instr.end);
  const at = text.indexOf(`--chown=${value}`);
  if (at < 0) return undefined;
  const start = instr.start + at + '--chown='.length;
  return analysis.rangeOf(start, start + value.length);
}

/** The stage the final image copies its program from (a stage that can run mkdir). */
function builderStage(analysis: Analysis, final: Stage): Stage | undefined {
  for (const instr of flatMap([...analysis.chain(final)].reverse(), (s) => s.instructions)) {
    const from = copyFromStage(analysis, instr);
    if (from && from !== final && analysis.rootBase(from).kind === 'image') return from;
  }
  return undefined;
}
