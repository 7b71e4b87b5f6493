/**
 * Just enough of docker-compose.yml for Verify: the app service (the one built from the Dockerfile's
 * folder) with its environment and command, and the services it depends on (the database). A small
 * YAML subset reader (block maps and lists, flow lists, quoted and plain scalars, comments, literal
 * blocks): compose files in the course use nothing else, and the extension ships no YAML library.
 */
import * as fs from 'fs';
import * as path from 'path';

export type Yaml = string | Yaml[] | { [key: string]: Yaml } | null;

export interface ComposeService {
  name: string;
  image: string | undefined;
  /** The build context folder (absolute), when the service is built. */
  buildContext: string | undefined;
  environment: Record<string, string>;
  /** Arguments given to the image's ENTRYPOINT (`command:`). */
  command: string[] | undefined;
  dependsOn: string[];
}

export interface ComposeProject {
  file: string;
  services: ComposeService[];
}

export const COMPOSE_FILES = ['docker-compose.yml', 'docker-compose.yaml', 'compose.yml', 'compose.yaml'];

export function readCompose(dir: string): ComposeProject | undefined {
  for (const name of COMPOSE_FILES) {
    const file = path.join(dir, name);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    return parseCompose(text, file);
  }
  return undefined;
}

export function parseCompose(text: string, file: string): ComposeProject {
  const doc = parseYaml(text);
  const dir = path.dirname(file);
  const services: ComposeService[] = [];
  const raw = isMap(doc) && isMap(doc.services) ? doc.services : {};
  for (const [name, svc] of Object.entries(raw)) {
    if (!isMap(svc)) continue;
    let buildContext: string | undefined;
    if (typeof svc.build === 'string') buildContext = path.resolve(dir, svc.build);
    else if (isMap(svc.build)) buildContext = path.resolve(dir, typeof svc.build.context === 'string' ? svc.build.context : '.');
    const environment: Record<string, string> = {};
    if (isMap(svc.environment)) {
      for (const [k, v] of Object.entries(svc.environment)) environment[k] = v === null ? '' : String(v);
    } else if (Array.isArray(svc.environment)) {
      for (const item of svc.environment) {
        if (typeof item !== 'string') continue;
        const eq = item.indexOf('=');
        if (eq > 0) environment[item.slice(0, eq)] = item.slice(eq + 1);
      }
    }
    let command: string[] | undefined;
    if (Array.isArray(svc.command)) command = svc.command.map((c) => (c === null ? '' : String(c)));
    else if (typeof svc.command === 'string') command = splitWords(svc.command);
    const dependsOn = Array.isArray(svc.depends_on)
      ? svc.depends_on.filter((d): d is string => typeof d === 'string')
      : isMap(svc.depends_on)
        ? Object.keys(svc.depends_on)
        : [];
    services.push({ name, image: typeof svc.image === 'string' ? svc.image : undefined, buildContext, environment, command, dependsOn });
  }
  return { file, services };
}

/** The service built from this folder, else the first built one. */
export function appService(project: ComposeProject, contextDir: string): ComposeService | undefined {
  const ctx = path.resolve(contextDir);
  return project.services.find((s) => s.buildContext === ctx) ?? project.services.find((s) => s.buildContext !== undefined);
}

function isMap(v: Yaml | undefined): v is { [key: string]: Yaml } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Words of a compose `command:` string, with quotes, as compose splits it (no variables, no globbing). */
export function splitWords(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: string | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < s.length) cur += s[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else if (c === '\\' && i + 1 < s.length) {
      cur += s[++i];
      inWord = true;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) out.push(cur);
  return out;
}

// ---- the YAML subset -------------------------------------------------------------------------------

interface Line {
  indent: number;
  text: string;
  no: number;
}

export function parseYaml(text: string): Yaml {
  const lines: Line[] = [];
  text.split(/\r\n|\r|\n/).forEach((raw, no) => {
    if (/^\s*(#.*)?$/.test(raw) || /^(---|\.\.\.)\s*$/.test(raw)) return;
    const indent = raw.length - raw.trimStart().length;
    lines.push({ indent, text: stripComment(raw.trim()), no });
  });
  const rawLines = text.split(/\r\n|\r|\n/);
  let pos = 0;

  function block(indent: number): Yaml {
    if (pos >= lines.length || lines[pos].indent < indent) return null;
    return lines[pos].text.startsWith('- ') || lines[pos].text === '-' ? seq(lines[pos].indent) : map(lines[pos].indent);
  }

  function seq(indent: number): Yaml[] {
    const out: Yaml[] = [];
    while (pos < lines.length && lines[pos].indent === indent && (lines[pos].text.startsWith('- ') || lines[pos].text === '-')) {
      const line = lines[pos];
      const rest = line.text.slice(1).trimStart();
      if (rest === '') {
        pos++;
        out.push(block(indent + 1));
      } else if (keyValue(rest)) {
        // "- key: value" starts a map whose keys line up after the dash
        const inner = indent + (line.text.length - rest.length);
        lines[pos] = { indent: inner, text: rest, no: line.no };
        out.push(map(inner));
      } else {
        pos++;
        out.push(scalarOrFlow(rest, line, indent));
      }
    }
    return out;
  }

  function map(indent: number): { [key: string]: Yaml } {
    const out: { [key: string]: Yaml } = {};
    while (pos < lines.length && lines[pos].indent === indent) {
      const line = lines[pos];
      const kv = keyValue(line.text);
      if (!kv) throw new Error(`line ${line.no + 1}: expected "key: value"`);
      pos++;
      if (kv.value === '') {
        // a list may sit at the same indent as its key
        const next = lines[pos];
        if (next && (next.indent > indent || (next.indent === indent && (next.text.startsWith('- ') || next.text === '-')))) out[kv.key] = block(next.indent);
        else out[kv.key] = null;
      } else {
        out[kv.key] = scalarOrFlow(kv.value, line, indent);
      }
    }
    return out;
  }

  function scalarOrFlow(value: string, line: Line, indent: number): Yaml {
    if (/^[|>][-+]?$/.test(value)) {
      // literal / folded block: the following more-indented raw lines
      const body: string[] = [];
      let i = line.no + 1;
      while (i < rawLines.length && (rawLines[i].trim() === '' || rawLines[i].length - rawLines[i].trimStart().length > indent)) body.push(rawLines[i++]);
      while (pos < lines.length && lines[pos].no < i) pos++;
      const cut = Math.min(...body.filter((b) => b.trim()).map((b) => b.length - b.trimStart().length));
      const textLines = body.map((b) => b.slice(Number.isFinite(cut) ? cut : 0));
      while (textLines.length && textLines[textLines.length - 1].trim() === '') textLines.pop();
      return value.startsWith('>') ? textLines.join(' ') : textLines.join('\n') + (value.endsWith('-') ? '' : '\n');
    }
    if (value.startsWith('[')) return flowSeq(value);
    if (value.startsWith('{')) return flowMap(value);
    return scalar(value);
  }

  const result = block(0);
  return result;
}

function keyValue(text: string): { key: string; value: string } | undefined {
  const m = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s"'#][^:#]*?)\s*:(?:\s+(.*))?$/.exec(text);
  if (!m) return undefined;
  const key = scalar(m[1]);
  return { key: key === null ? '' : String(key), value: (m[2] ?? '').trim() };
}

function stripComment(s: string): string {
  let quote: string | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"') i++;
    } else if (c === '"' || c === "'") {
      if (i === 0 || /[\s:[{,-]/.test(s[i - 1])) quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(s[i - 1]))) {
      return s.slice(0, i).trimEnd();
    }
  }
  return s;
}

function scalar(v: string): string | null {
  const s = v.trim();
  if (s.startsWith('"') && s.endsWith('"') && s.length >= 2) {
    return s.slice(1, -1).replace(/\\(["\\/nt])/g, (_, c: string) => ({ n: '\n', t: '\t' })[c as 'n' | 't'] ?? c);
  }
  if (s.startsWith("'") && s.endsWith("'") && s.length >= 2) return s.slice(1, -1).replace(/''/g, "'");
  if (s === '~' || s === 'null' || s === '') return null;
  return s;
}

function splitFlow(inner: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let cur = '';
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (quote) {
      cur += c;
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"') cur += inner[++i] ?? '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    if (c === '[' || c === '{') depth++;
    if (c === ']' || c === '}') depth--;
    if (c === ',' && depth === 0) {
      parts.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  if (cur.trim()) parts.push(cur.trim());
  return parts;
}

function flowSeq(v: string): Yaml[] {
  const s = v.trim();
  if (!s.endsWith(']')) throw new Error(`unterminated flow list: ${s}`);
  return splitFlow(s.slice(1, -1)).map((p) => (p.startsWith('[') ? flowSeq(p) : p.startsWith('{') ? flowMap(p) : scalar(p)));
}

function flowMap(v: string): { [key: string]: Yaml } {
  const s = v.trim();
  if (!s.endsWith('}')) throw new Error(`unterminated flow map: ${s}`);
  const out: { [key: string]: Yaml } = {};
  for (const p of splitFlow(s.slice(1, -1))) {
    const kv = keyValue(p);
    if (kv) out[kv.key] = kv.value.startsWith('[') ? flowSeq(kv.value) : kv.value.startsWith('{') ? flowMap(kv.value) : scalar(kv.value);
  }
  return out;
}
