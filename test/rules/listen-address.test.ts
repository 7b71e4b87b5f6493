import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRuleTests } from '../projectRuleTester';

const EXAMPLE = path.resolve(__dirname, '..', '..', '..', 'examples', 'gate', 'first-attempt');
const read = (f: string) => fs.readFileSync(path.join(EXAMPLE, f), 'utf8');
const gateFiles = (index: string) => ({ 'package.json': '{"main":"index.js"}', 'yarn.lock': '', 'index.js': index });
const DOCKERFILE = 'FROM node:18.16.0-alpine3.17\nUSER node\nCMD ["node", "index.js"]\n';
const GO_MOD = 'module example.com/app\n\ngo 1.19\n';
const goFiles = (main: string, extra: Record<string, string> = {}) => ({ 'go.mod': GO_MOD, 'main.go': main, 'docker-compose.yml': 'services: {}\n', ...extra });
const DISTROLESS = 'FROM golang:1.19.13-bullseye AS build\nRUN go build -o /app .\nFROM gcr.io/distroless/base-debian11:nonroot\nCOPY --from=build /app /app\nENTRYPOINT ["/app"]\n';
const flagHost = (def: string, env?: string) =>
  `package main\nimport ("flag"; "net"; "net/http"; "os")\nfunc envOr(k, d string) string { if v, ok := os.LookupEnv(k); ok { return v }; return d }\nfunc main() {\n\thost := flag.String("host", ${env ? `envOr("${env}", "${def}")` : `"${def}"`}, "")\n\tflag.Parse()\n\thttp.ListenAndServe(net.JoinHostPort(*host, "9000"), nil)\n}\n`;

projectRuleTests('listen-address', {
  task: 'gate',
  valid: [
    { name: 'gate solution: 0.0.0.0', code: DOCKERFILE, files: gateFiles("server.listen(9000, '0.0.0.0');\n") },
    { name: 'no host: every interface', code: DOCKERFILE, files: gateFiles('app.listen(9000, () => console.log("up"));\n') },
    { name: 'a host from the environment that the Dockerfile sets', code: 'FROM node:18.16.0-alpine3.17\nENV HOST=0.0.0.0\nCMD ["node", "index.js"]\n', files: gateFiles("app.listen(9000, process.env.HOST || 'localhost');\n") },
    { name: 'a host the patterns cannot read', code: DOCKERFILE, files: gateFiles('app.listen(9000, cfg.host);\n') },
    { name: 'Go: ":9999"', task: 'scratch', code: 'FROM scratch\n', files: { 'go.mod': GO_MOD, 'cmd/main.go': 'package main\nimport "net/http"\nfunc main() { http.ListenAndServe(":9999", nil) }\n' } },
    { name: 'distroless: host flag from APP_HOST, default 0.0.0.0', task: 'distroless', code: DISTROLESS, files: goFiles(flagHost('0.0.0.0', 'APP_HOST')) },
    { name: 'distroless: localhost default but ENV APP_HOST set', task: 'distroless', code: DISTROLESS.replace('ENTRYPOINT', 'ENV APP_HOST=0.0.0.0\nENTRYPOINT'), files: goFiles(flagHost('localhost', 'APP_HOST')) },
    { name: 'distroless: localhost flag default, -host passed on the command', task: 'distroless', code: DISTROLESS.replace('["/app"]', '["/app", "-host=0.0.0.0"]'), files: goFiles(flagHost('localhost')) },
  ],
  invalid: [
    {
      name: 'the gate first attempt: listen(9000, "localhost") in index.js',
      code: read('Dockerfile'),
      files: { 'package.json': read('package.json'), 'yarn.lock': '', 'index.js': read('index.js') },
      errors: [{ file: 'index.js', messageId: 'loopback', range: [37, 20, 37, 31], severity: 'error', includes: ['localhost (index.js:38)', 'docker run -p'] }],
      output: read('Dockerfile'),
      outputFiles: { 'index.js': read('index.js').replace("server.listen(9000, 'localhost'", "server.listen(9000, '0.0.0.0'") },
    },
    {
      name: 'a constant host, double quotes',
      code: DOCKERFILE,
      files: gateFiles('const HOST = "127.0.0.1";\napp.listen(9000, HOST);\n'),
      errors: [{ file: 'index.js', messageId: 'loopback', range: [0, 13, 0, 24] }],
      output: DOCKERFILE,
      outputFiles: { 'index.js': 'const HOST = "0.0.0.0";\napp.listen(9000, HOST);\n' },
    },
    {
      name: 'an environment fallback to localhost that the Dockerfile does not override',
      code: DOCKERFILE,
      files: gateFiles("app.listen(9000, process.env.HOST || 'localhost');\n"),
      errors: [{ file: 'index.js', messageId: 'loopbackEnvDefault', range: [0, 37, 0, 48], includes: ['ENV HOST=0.0.0.0'] }],
      output: DOCKERFILE,
      outputFiles: { 'index.js': "app.listen(9000, process.env.HOST || '0.0.0.0');\n" },
    },
    {
      name: 'the options form',
      code: DOCKERFILE,
      files: gateFiles("server.listen({ port: 9000, host: 'localhost' });\n"),
      errors: [{ file: 'index.js', messageId: 'loopback', range: [0, 34, 0, 45] }],
      output: DOCKERFILE,
      outputFiles: { 'index.js': "server.listen({ port: 9000, host: '0.0.0.0' });\n" },
    },
    {
      name: 'generic task, Go: fixable, and a warning',
      task: 'generic',
      code: 'FROM golang:1.19.13\nCMD ["app"]\n',
      files: { 'go.mod': GO_MOD, 'main.go': 'package main\nimport "net/http"\nfunc main() { http.ListenAndServe("localhost:8080", nil) }\n' },
      errors: [{ file: 'main.go', messageId: 'loopback', range: [2, 35, 2, 44], severity: 'warning' }],
      output: 'FROM golang:1.19.13\nCMD ["app"]\n',
      outputFiles: { 'main.go': 'package main\nimport "net/http"\nfunc main() { http.ListenAndServe(":8080", nil) }\n' },
    },
    {
      name: 'scratch task, Go: no source edits, no fix, and it says so',
      task: 'scratch',
      code: 'FROM scratch\n',
      files: { 'go.mod': GO_MOD, 'cmd/main.go': 'package main\nimport "net/http"\nfunc main() {\n\thttp.HandleFunc("/upload", nil)\n\thttp.ListenAndServe("127.0.0.1:9999", nil)\n}\n' },
      errors: [{ file: 'cmd/main.go', messageId: 'loopbackNoEdit', range: [4, 22, 4, 31], severity: 'error', includes: ['forbids editing the code', '":9999"'] }],
      output: null,
    },
    {
      name: 'distroless: a flag defaulting to localhost with no environment fallback',
      task: 'distroless',
      code: DISTROLESS,
      files: goFiles(flagHost('localhost')),
      errors: [{ file: 'main.go', messageId: 'loopbackFlagDefault', range: [4, 9, 4, 45], includes: ['-host=0.0.0.0'] }],
      output: null,
    },
    {
      name: 'distroless: APP_HOST falls back to 127.0.0.1 and the Dockerfile does not set it',
      task: 'distroless',
      code: DISTROLESS,
      files: goFiles(flagHost('127.0.0.1', 'APP_HOST')),
      errors: [{ file: 'main.go', messageId: 'loopbackEnvDefault', range: [4, 9, 4, 64], includes: ['ENV APP_HOST=0.0.0.0'] }],
      output: null,
    },
  ],
});
