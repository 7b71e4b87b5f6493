/**
 * Reads the legacy builder's output (`Step N/M : ...`, then docker's error on stderr) and maps a failed
 * build back to the Dockerfile line that caused it. Texts measured on dockerd 20.10 (legacy builder):
 * parse errors name a line ("dockerfile parse error line 2: Unknown flag: link"); everything else fails
 * inside the last step that was printed.
 */
import { Analysis, Instr } from '../../../server/src/engine/analysis';
import type { Range } from '../../../server/src/engine/types';
import { ClassifyContext, Failure, classifyText, errorText, pullMessage } from './failures';
import { LocalizedText, fill, t } from './l10n';

export interface BuildStep {
  n: number;
  total: number;
  text: string;
  /** 0-based line of the instruction in the Dockerfile, when found. */
  line: number | undefined;
}

export interface BuildError {
  /** 0-based line and range in the Dockerfile, undefined when the error is not about a line. */
  line: number | undefined;
  range: Range | undefined;
  message: LocalizedText;
  /** Docker's own words. */
  raw: string;
  /** Which kind of failure, for the message and the tests. */
  kind: 'parse' | 'buildkit-only' | 'run-failed' | 'copy-missing' | 'pull-failed' | 'step-failed' | 'environment';
  /** Set for failures of the environment (no daemon, no permission, pull). */
  failure?: Failure;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;
export const stripAnsi = (s: string): string => s.replace(ANSI, '');

const MESSAGES = {
  buildkitOnly: t(
    'The legacy builder (DOCKER_BUILDKIT=0, as the course builds) stops here: "{error}". This syntax needs BuildKit.',
    'Legacy-сборщик (DOCKER_BUILDKIT=0, как собирает курс) останавливается здесь: «{error}». Этот синтаксис требует BuildKit.',
  ),
  heredoc: t(
    'Heredocs (<<EOF) need BuildKit: the legacy builder read line {line} as an instruction ("{error}"). Write the commands on the RUN line, joined with &&.',
    'Heredoc (<<EOF) требует BuildKit: legacy-сборщик прочитал строку {line} как инструкцию («{error}»). Запишите команды в строке RUN через &&.',
  ),
  parse: t('The legacy builder cannot read this line: "{error}".', 'Legacy-сборщик не может разобрать эту строку: «{error}».'),
  runFailed: t(
    'This step failed with exit code {code}: the command in it failed (its output is in the terminal).',
    'Этот шаг завершился с кодом {code}: команда в нём не выполнилась (её вывод — в терминале).',
  ),
  copyMissing: t(
    '{keyword} cannot find its source in the build context (the Dockerfile\'s folder), or .dockerignore excludes it: "{error}".',
    '{keyword} не находит источник в контексте сборки (папке Dockerfile), или его исключает .dockerignore: «{error}».',
  ),
  stepFailed: t('The build failed at this step: "{error}".', 'Сборка упала на этом шаге: «{error}».'),
  lastLines: t('Last output: {lines}', 'Последний вывод: {lines}'),
};

/** Collects a build's output lines as they arrive (stdout and stderr apart, in order). */
export class BuildOutput {
  readonly steps: BuildStep[] = [];
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  /** Output lines of the current step (for the last lines of a failed RUN). */
  private stepOutput: string[] = [];
  private readonly instructions: Instr[];

  constructor(private readonly analysis: Analysis) {
    this.instructions = analysis.instructions;
  }

  onStdout(raw: string): void {
    const line = stripAnsi(raw);
    this.stdout.push(line);
    const m = /^Step (\d+)\/(\d+) : (.*)$/.exec(line);
    if (m) {
      const n = Number(m[1]);
      this.steps.push({ n, total: Number(m[2]), text: m[3], line: this.lineOfStep(n, m[3]) });
      this.stepOutput = [];
    } else if (!/^ ---> |^Removing intermediate container|^Sending build context|^\s*$/.test(line)) {
      this.stepOutput.push(line);
    }
  }

  onStderr(raw: string): void {
    this.stderr.push(stripAnsi(raw));
  }

  get lastStep(): BuildStep | undefined {
    return this.steps[this.steps.length - 1];
  }

  /** The image ID of a successful build ("Successfully built <id>"). */
  get imageId(): string | undefined {
    for (let i = this.stdout.length - 1; i >= 0; i--) {
      const m = /^Successfully built ([0-9a-f]+)/.exec(this.stdout[i]);
      if (m) return m[1];
    }
    return undefined;
  }

  /** Step N is the Nth instruction (global ARGs count); checked against the keyword docker printed. */
  private lineOfStep(n: number, text: string): number | undefined {
    const keyword = /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase();
    const byIndex = this.instructions[n - 1];
    if (byIndex && (!keyword || byIndex.keyword === keyword)) return byIndex.range.start.line;
    // Counted differently (odd syntax): the first instruction with that keyword after the last step found.
    const after = this.steps.length ? this.steps[this.steps.length - 1].line ?? -1 : -1;
    return this.instructions.find((i) => i.range.start.line > after && i.keyword === keyword)?.range.start.line;
  }

  /** What made a failed build fail, mapped to a line where it can be. */
  error(ctx: ClassifyContext): BuildError {
    const raw = errorText(this.stderr.join('\n'));
    const last = lastMeaningfulLine(raw);
    const parse = /dockerfile parse error (?:on )?line (\d+): (.*)$/i.exec(last) ?? /dockerfile parse error (?:on )?line (\d+): (.*)$/im.exec(raw);
    if (parse) {
      const reported = Number(parse[1]) - 1;
      const error = parse[2].trim();
      const instr = this.instructionAt(reported);
      const line = instr?.range.start.line ?? reported;
      if (/^unknown instruction/i.test(error) && instr && instr.range.start.line < reported && /<<-?["']?\w/.test(this.analysis.lineText(instr.range.start.line))) {
        return this.at(line, 'buildkit-only', fill(MESSAGES.heredoc, { line: reported + 1, error }), raw);
      }
      if (/^Unknown flag: /i.test(error)) return this.at(line, 'buildkit-only', fill(MESSAGES.buildkitOnly, { error }), raw);
      return this.at(line, 'parse', fill(MESSAGES.parse, { error }), raw);
    }
    const step = this.lastStep;
    const env = classifyText(raw, { ...ctx, image: step && /^FROM\b/i.test(step.text) ? fromImage(step.text) : ctx.image });
    if (!step) return { line: undefined, range: undefined, message: env?.message ?? fill(MESSAGES.stepFailed, { error: last }), raw, kind: 'environment', failure: env };
    const line = step.line;
    if (env?.kind === 'pull-failed' || (/^FROM\b/i.test(step.text) && /pull|manifest|registry|no such host|dial tcp|not found/i.test(raw))) {
      const image = fromImage(step.text);
      const failure: Failure = env ?? { kind: 'pull-failed', message: pullMessage(image, raw), detail: raw };
      return { ...this.at(line, 'pull-failed', failure.message, raw), failure };
    }
    // "invalid reference format" inside a step is about the Dockerfile (FROM, COPY --from), not our -t
    if (env && env.kind !== 'bad-tag') return { ...this.at(line, 'environment', env.message, raw), failure: env };
    if (/requires BuildKit/i.test(last)) {
      return this.at(line, 'buildkit-only', fill(MESSAGES.buildkitOnly, { error: last.replace(/\. Refer to https?:\S+.*$/, '') }), raw);
    }
    const run = /The command '.*' returned a non-zero code: (\d+)/s.exec(raw);
    if (run) {
      const tail = this.stepOutput.slice(-3).map((l) => l.trim()).filter(Boolean);
      const msg = fill(MESSAGES.runFailed, { code: run[1] });
      const more = tail.length ? fill(MESSAGES.lastLines, { lines: tail.join(' | ') }) : undefined;
      return this.at(line, 'run-failed', more ? { en: `${msg.en} ${more.en}`, ru: `${msg.ru} ${more.ru}` } : msg, raw);
    }
    const copy = /^(COPY|ADD) failed: (.*)$/im.exec(raw);
    if (copy || (/file not found in build context|no such file or directory/i.test(last) && /^(COPY|ADD)\b/i.test(step.text))) {
      const keyword = copy?.[1] ?? /^(\w+)/.exec(step.text)![1].toUpperCase();
      return this.at(line, 'copy-missing', fill(MESSAGES.copyMissing, { keyword, error: copy?.[2] ?? last }), raw);
    }
    return this.at(line, 'step-failed', fill(MESSAGES.stepFailed, { error: last }), raw);
  }

  private at(line: number | undefined, kind: BuildError['kind'], message: LocalizedText, raw: string): BuildError {
    if (line === undefined) return { line, range: undefined, message, raw, kind };
    const text = this.analysis.lineText(line);
    const start = text.length - text.trimStart().length;
    return { line, range: { start: { line, character: start }, end: { line, character: text.length } }, message, raw, kind };
  }

  /** The instruction a (0-based) line belongs to: a heredoc's body belongs to the RUN or COPY that opened it. */
  private instructionAt(line: number): Instr | undefined {
    return this.instructions.find((i) => i.range.start.line <= line && line <= i.range.end.line);
  }
}

function lastMeaningfulLine(text: string): string {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  return (lines[lines.length - 1] ?? '').trim();
}

/** The image of a `FROM [--platform=...] image [AS name]` step. */
function fromImage(stepText: string): string {
  const words = stepText.trim().split(/\s+/).slice(1).filter((w) => !w.startsWith('--'));
  return words[0] ?? '?';
}
