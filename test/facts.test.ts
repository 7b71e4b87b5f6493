/** Project facts read from the sources: Node (package.json, index.js and its local modules) and Go. */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { diskProject, memoryProject } from '../server/src/engine/project';
import { isLoopbackHost, nodeFacts } from '../server/src/engine/facts/node';
import { goFacts } from '../server/src/engine/facts/go';
import { lex } from '../server/src/engine/facts/lexer';
import type { Range } from '../server/src/engine/types';

const EXAMPLES = path.resolve(__dirname, '..', '..', 'examples');
const example = (p: string) => diskProject(path.join(EXAMPLES, p), undefined);
const r = (range: Range | undefined) => (range ? [range.start.line, range.start.character, range.end.line, range.end.character] : undefined);
const node = (files: Record<string, string>) => nodeFacts(memoryProject(files));
const go = (files: Record<string, string>, target?: string) => goFacts(memoryProject({ 'go.mod': 'module example.com/app\n\ngo 1.19\n', ...files }), target);

describe('lexer', () => {
  it('keeps comments apart and does not read them inside strings, templates or regexes', () => {
    const lx = lex("const a = '// not a comment'; const re = /\\/\\/ FIXME: no/; const t = `x ${'}'} // no`; // yes\n/* block */", 'js');
    assert.deepEqual(lx.comments.map((c) => c.text), [' yes', ' block ']);
    assert.equal(lx.ok, true);
  });
  it('says when a string never ends', () => {
    assert.equal(lex("const a = 'open\n", 'js').ok, false);
    assert.equal(lex('x := `raw', 'go').ok, false);
  });
  it('reads Go raw strings and runes', () => {
    const lx = lex("a := `x\\ny`\nb := 'c'", 'go');
    assert.deepEqual(lx.tokens.filter((t) => t.kind === 'string').map((t) => t.value), ['x\\ny', 'c']);
  });
});

describe('node facts', () => {
  it('the gate first attempt: port 9000 on localhost, both HMAC values hardcoded at their FIXME lines', () => {
    const f = nodeFacts(example('gate/first-attempt'));
    assert.equal(f.entry, 'index.js');
    assert.equal(f.complete, true);
    assert.deepEqual(f.packageJson, { main: 'index.js', scripts: { start: 'nodemon index.js' }, dependencies: [], devDependencies: ['nodemon'] });
    assert.equal(f.listens.length, 1);
    const l = f.listens[0];
    assert.deepEqual(l.port.kind === 'literal' && [l.port.value, r(l.port.loc.range)], [9000, [37, 14, 37, 18]]);
    assert.deepEqual(l.host.kind === 'literal' && [l.host.value, r(l.host.loc.range), l.host.quote], ['localhost', [37, 20, 37, 31], "'"]);
    assert.deepEqual(
      f.hardcoded.map((h) => [h.variable, h.literal.value, r(h.literal.range), r(h.comment.range), r(h.commentRemoval), h.wholeValue]),
      [
        ['HMAC_ALGO', 'sha256', [4, 18, 4, 26], [3, 0, 3, 32], [3, 0, 4, 0], true],
        ['HMAC_SECRET', 'dev-secret', [6, 15, 6, 27], [5, 0, 5, 29], [5, 0, 6, 0], true],
      ],
    );
    assert.deepEqual(f.envReads, []);
    assert.equal(f.dynamicEnv, false);
  });

  it('the gate solution: 0.0.0.0, and both variables read from the environment', () => {
    const f = nodeFacts(example('gate/solution'));
    assert.equal(f.listens[0].host.kind === 'literal' && f.listens[0].host.value, '0.0.0.0');
    assert.deepEqual(
      f.envReads.map((e) => [e.name, e.hasDefault]),
      [
        ['HMAC_ALGO', true],
        ['HMAC_SECRET', false],
      ],
    );
    assert.deepEqual(f.hardcoded, []);
  });

  it('constants in the same file, env with a fallback, wrappers, the options form', () => {
    const f = node({
      'package.json': '{"main": "server.js"}',
      'server.js': [
        "const express = require('express');",
        'const PORT = Number(process.env.PORT) || 3000;',
        "const HOST = process.env.HOST ?? '127.0.0.1';",
        'const app = express();',
        'app.listen(PORT, HOST, () => {});',
        "require('http').createServer().listen(parseInt(process.env.ADMIN_PORT || '9090', 10));",
        "server.listen({ port: 4000, host: 'localhost' });",
        'other.listen(8080, onListening);',
        'function onListening() {}',
      ].join('\n'),
    });
    assert.equal(f.entry, 'server.js');
    assert.deepEqual(
      f.listens.map((l) => [l.port, l.host].map((x) => (x.kind === 'literal' ? x.value : x.kind === 'env' ? `${x.name}|${x.kind === 'env' && 'fallback' in x ? JSON.stringify(typeof x.fallback === 'object' ? x.fallback?.value : x.fallback) : ''}` : x.kind))),
      [
        ['PORT|3000', 'HOST|"127.0.0.1"'],
        ['ADMIN_PORT|9090', 'all'],
        [4000, 'localhost'],
        [8080, 'all'],
      ],
    );
  });

  it('a name assigned again, or a port from elsewhere, is unknown', () => {
    const f = node({ 'index.js': "let port = 1;\nport = 2;\napp.listen(port);\nconst cfg = require('./config');\napp.listen(cfg.port, cfg.host);\n", 'config.js': 'module.exports = { port: 5 };' });
    assert.deepEqual(
      f.listens.map((l) => [l.port.kind, l.host.kind]),
      [
        ['unknown', 'all'],
        ['unknown', 'unknown'],
      ],
    );
    assert.deepEqual(f.files, ['index.js', 'config.js']);
  });

  it('environment reads: dotted, bracketed, destructured; process.env[name] makes them open-ended', () => {
    const f = node({ 'index.js': "const a = process.env.A;\nconst b = process.env['B'] || 'x';\nconst { C, D = 1 } = process.env;\n" });
    assert.deepEqual(
      f.envReads.map((e) => [e.name, e.hasDefault]),
      [
        ['A', false],
        ['B', true],
        ['C', false],
        ['D', true],
      ],
    );
    assert.equal(f.dynamicEnv, false);
    assert.equal(node({ 'index.js': 'const v = process.env[name];' }).dynamicEnv, true);
  });

  it('follows local requires; a missing module or a dynamic require makes the facts incomplete', () => {
    const f = node({ 'index.js': "require('./lib/server');", 'lib/server/index.js': "const c = require('../config.js');\nc.app.listen(7000);", 'lib/config.js': 'process.env.SECRET' });
    assert.deepEqual(f.files, ['index.js', 'lib/server/index.js', 'lib/config.js']);
    assert.equal(f.listens[0].file, 'lib/server/index.js');
    assert.deepEqual(f.envReads.map((e) => `${e.name}@${e.loc.file}`), ['SECRET@lib/config.js']);
    assert.equal(f.complete, true);
    assert.equal(node({ 'index.js': "require('./missing');" }).complete, false);
    assert.equal(node({ 'index.js': 'require(name);' }).complete, false);
    assert.equal(node({ 'package.json': '{"main": "nope.js"}' }).entry, undefined);
  });

  it('FIXME forms: trailing comment, inline createHmac arguments, a fallback secret, names in the comment; others ignored', () => {
    const f = node({
      'index.js': [
        "const key = 'k1'; // FIXME: hardcoded",
        "// FIXME: move the digest name to the environment",
        "const x = 'sha512';",
        "const secret = process.env.HMAC_SECRET || 'fallback'; // FIXME:",
        "// FIXME: port is hardcoded",
        "const port = 'x';",
        "crypto.createHmac('md5', 'inline'); // FIXME: both",
        "crypto.createHmac(x, key);",
      ].join('\n'),
    });
    assert.deepEqual(
      f.hardcoded.map((h) => [h.variable, h.literal.value, h.fallbackOf?.name ?? '', r(h.commentRemoval)]),
      [
        ['HMAC_SECRET', 'k1', '', [0, 17, 0, 37]],
        ['HMAC_ALGO', 'sha512', '', [1, 0, 2, 0]],
        ['HMAC_SECRET', 'fallback', 'HMAC_SECRET', [3, 53, 3, 63]],
        ['HMAC_ALGO', 'md5', '', [6, 35, 6, 50]],
      ],
    );
  });

  it('loopback hosts', () => {
    for (const h of ['localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]', 'LOCALHOST']) assert.ok(isLoopbackHost(h), h);
    for (const h of ['0.0.0.0', '', '::', '10.0.0.1', 'example.com']) assert.ok(!isLoopbackHost(h), h);
  });
});

describe('go facts', () => {
  it('the scratch example: listens on :9999, writes ./upload, imports net/http (cgo), reads multipart', () => {
    const f = goFacts(example('scratch/first-attempt'));
    assert.equal(f.module, 'example.com/upload');
    assert.deepEqual(f.files, ['cmd/main.go']);
    assert.equal(f.complete, true);
    assert.equal(f.cgo, 'yes');
    assert.deepEqual(f.cgoImports, ['net/http']);
    assert.equal(f.listens.length, 1);
    const l = f.listens[0];
    assert.deepEqual([l.host.kind, l.host.kind === 'literal' && l.host.value, l.port.kind === 'literal' && l.port.value], ['literal', '', '9999']);
    assert.deepEqual(l.port.kind === 'literal' && r(l.port.loc?.range), [51, 33, 51, 37]);
    assert.deepEqual(
      f.writeDirs.map((d) => [d.path, r(d.loc?.range), d.created, d.writes.map((w) => r(w.range))]),
      [['./upload', [12, 18, 12, 28], false, [[32, 13, 32, 54]]]],
    );
    assert.deepEqual(r(f.multipart?.range), [20, 23, 20, 31]);
    assert.deepEqual(f.flags, []);
  });

  it('the distroless example: -port and -host from APP_PORT/APP_HOST through envOr, -dbUrl from nowhere', () => {
    const f = goFacts(example('distroless/first-attempt'));
    assert.deepEqual(f.files, ['main.go']);
    assert.deepEqual(
      f.flags.map((x) => [x.name, x.type, x.env?.name ?? null, x.default.kind === 'string' ? x.default.value : null, x.variable, x.envUnknown]),
      [
        ['port', 'String', 'APP_PORT', '9000', 'port', false],
        ['host', 'String', 'APP_HOST', '0.0.0.0', 'host', false],
        ['dbUrl', 'String', null, 'postgres://localhost:5432/events', 'dbURL', false],
      ],
    );
    const l = f.listens[0];
    assert.deepEqual(
      [l.host, l.port].map((p) => (p.kind === 'env' ? [p.name, p.fallback, p.flag?.name] : p.kind)),
      [
        ['APP_HOST', '0.0.0.0', 'host'],
        ['APP_PORT', '9000', 'port'],
      ],
    );
    assert.deepEqual(f.envReads, ['APP_HOST', 'APP_PORT']);
    assert.equal(f.envBridge, false);
  });

  it('addresses: a host in the string, a constant in a Server literal, Sprintf with a flag', () => {
    const f = go({
      'main.go': [
        'package main',
        'import (',
        '\t"fmt"',
        '\t"flag"',
        '\t"net/http"',
        ')',
        'const addr = "127.0.0.1:8080"',
        'func main() {',
        '\tport := flag.Int("port", 7070, "port")',
        '\tflag.Parse()',
        '\tsrv := &http.Server{Addr: addr}',
        '\tgo srv.ListenAndServe()',
        '\thttp.ListenAndServe(fmt.Sprintf(":%d", *port), nil)',
        '\thttp.ListenAndServe("localhost:9000", nil)',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(
      f.listens.map((l) => [l.host, l.port].map((p) => (p.kind === 'literal' ? `${p.value}${p.loc ? '@' + r(p.loc.range)!.join(',') : ''}` : p.kind))),
      [
        ['127.0.0.1@6,14,6,23', '8080@6,24,6,28'],
        // The host is the empty text before the colon of a Sprintf format: known, but not a place to edit.
        ['', '7070@8,26,8,30'],
        ['localhost@13,22,13,31', '9000@13,32,13,36'],
      ],
    );
    assert.equal(f.cgo, 'yes');
  });

  it('flags: bound variables, overrides from the environment after parsing, a VisitAll bridge', () => {
    const f = go({
      'main.go': [
        'package main',
        'import ("flag"; "os")',
        'var dir string',
        'func main() {',
        '\tflag.StringVar(&dir, "dir", "./data", "folder")',
        '\tdb := flag.String("db", "", "database")',
        '\ttoken := flag.String("token", "", "token")',
        '\tflag.Parse()',
        '\tif v := os.Getenv("APP_DB"); v != "" {',
        '\t\t*db = v',
        '\t}',
        '\tflag.Set("token", os.Getenv("APP_TOKEN"))',
        '\tos.MkdirAll(dir, 0o755)',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(
      f.flags.map((x) => [x.name, x.env?.name ?? null, x.env?.via ?? null, x.pointer]),
      [
        ['dir', null, null, false],
        ['db', 'APP_DB', 'assignment', true],
        ['token', 'APP_TOKEN', 'Set', true],
      ],
    );
    assert.deepEqual(
      f.writeDirs.map((d) => [d.path, d.flag?.name, d.created]),
      [['./data', 'dir', true]],
    );
    assert.equal(f.cgo, 'no');
    const bridged = go({ 'main.go': 'package main\nimport ("flag"; "os"; "strings")\nfunc main() {\n\tflag.VisitAll(func(f *flag.Flag) {\n\t\tif v := os.Getenv("APP_" + strings.ToUpper(f.Name)); v != "" { f.Value.Set(v) }\n\t})\n}\n' });
    assert.equal(bridged.envBridge, true);
  });

  it('follows imports inside the module; an external module leaves cgo unknown; a build target narrows the files', () => {
    const files = {
      'cmd/api/main.go': 'package main\nimport "example.com/app/internal/server"\nfunc main() { server.Run() }\n',
      'cmd/tool/main.go': 'package main\nimport "fmt"\nfunc main() { fmt.Println() }\n',
      'internal/server/server.go': 'package server\nimport ("net/http"; "github.com/go-chi/chi/v5")\nfunc Run() { http.ListenAndServe(":8081", chi.NewRouter()) }\n',
    };
    const all = go(files);
    assert.deepEqual(all.files, ['cmd/api/main.go', 'cmd/tool/main.go', 'internal/server/server.go']);
    assert.equal(all.listens.length, 1);
    const tool = go(files, './cmd/tool');
    assert.deepEqual(tool.files, ['cmd/tool/main.go']);
    assert.equal(tool.cgo, 'no');
    const api = go(files, 'cmd/api/main.go');
    assert.deepEqual(api.files, ['cmd/api/main.go', 'internal/server/server.go']);
    assert.equal(api.cgo, 'yes');
    assert.equal(go({ 'main.go': 'package main\nimport "github.com/x/y"\nfunc main() { y.Z() }\n' }).cgo, 'unknown');
  });
});

describe('examples exist', () => {
  it('the examples folder is where the facts tests expect it', () => {
    assert.ok(fs.existsSync(path.join(EXAMPLES, 'gate', 'first-attempt', 'index.js')));
  });
});
