import { projectRuleTests } from '../projectRuleTester';

const GO_MOD = 'module example.com/upload\n\ngo 1.19\n';
const UPLOAD_GO = 'package main\nimport "net/http"\nfunc main() {\n\thttp.HandleFunc("/upload", nil)\n\thttp.ListenAndServe(":9999", nil)\n}\n';
const scratchFiles = { 'go.mod': GO_MOD, 'cmd/main.go': UPLOAD_GO };
const FLAGS_GO =
  'package main\nimport ("flag"; "net"; "net/http"; "os")\nfunc envOr(k, d string) string { if v, ok := os.LookupEnv(k); ok { return v }; return d }\nfunc main() {\n\tport := flag.String("port", envOr("APP_PORT", "9000"), "")\n\thost := flag.String("host", "0.0.0.0", "")\n\tflag.Parse()\n\thttp.ListenAndServe(net.JoinHostPort(*host, *port), nil)\n}\n';
const distrolessFiles = { 'go.mod': GO_MOD, 'main.go': FLAGS_GO, 'docker-compose.yml': 'services: {}\n' };
const gateFiles = (index: string) => ({ 'package.json': '{"main":"index.js"}', 'yarn.lock': '', 'index.js': index });
const SCRATCH_HEAD = 'FROM golang:1.19.13-bullseye AS build\nRUN CGO_ENABLED=0 go build -o /app.bin cmd/main.go\nFROM scratch\nCOPY --from=build /app.bin /app.bin\n';
const DISTROLESS_HEAD = 'FROM golang:1.19.13-bullseye AS build\nRUN go build -o /app .\nFROM gcr.io/distroless/base-debian11:nonroot\nCOPY --from=build /app /app\n';

projectRuleTests('exposed-port', {
  task: 'scratch',
  valid: [
    { name: 'scratch solution: EXPOSE 9999', code: SCRATCH_HEAD + 'EXPOSE 9999\nENTRYPOINT ["/app.bin"]\n', files: scratchFiles },
    { name: 'with /tcp', code: SCRATCH_HEAD + 'EXPOSE 9999/tcp\nENTRYPOINT ["/app.bin"]\n', files: scratchFiles },
    { name: 'extra ports are not judged', code: SCRATCH_HEAD + 'EXPOSE 9999 6060\nENTRYPOINT ["/app.bin"]\n', files: scratchFiles },
    { name: 'a port from an unknown build argument', code: SCRATCH_HEAD + 'ARG P\nEXPOSE $P\nENTRYPOINT ["/app.bin"]\n', files: scratchFiles },
    { name: 'no sources: nothing known', code: SCRATCH_HEAD + 'EXPOSE 1234\n', files: { 'go.mod': GO_MOD } },
    { name: 'distroless: the default from APP_PORT', task: 'distroless', code: DISTROLESS_HEAD + 'EXPOSE 9000\nENTRYPOINT ["/app"]\n', files: distrolessFiles },
    { name: 'distroless: ENV APP_PORT moves the port', task: 'distroless', code: DISTROLESS_HEAD + 'ENV APP_PORT=8000\nEXPOSE 8000\nENTRYPOINT ["/app"]\n', files: distrolessFiles },
    { name: 'distroless: -port on the command line wins', task: 'distroless', code: DISTROLESS_HEAD + 'EXPOSE 7000\nENTRYPOINT ["/app", "-port=7000"]\n', files: distrolessFiles },
    { name: 'distroless: an unknown ENV value says nothing', task: 'distroless', code: DISTROLESS_HEAD + 'ARG P\nENV APP_PORT=$P\nEXPOSE 1\nENTRYPOINT ["/app"]\n', files: distrolessFiles },
    { name: 'gate: process.env.PORT || 9000', task: 'gate', code: 'FROM node:18.16.0-alpine3.17\nEXPOSE 9000\nCMD ["node", "index.js"]\n', files: gateFiles('const port = process.env.PORT || 9000;\napp.listen(port);\n') },
    { name: 'gate: a port the code computes is unknown', task: 'gate', code: 'FROM node:18.16.0-alpine3.17\nEXPOSE 1\nCMD ["node", "index.js"]\n', files: gateFiles('app.listen(config.port);\n') },
    { name: 'gate: env with no fallback and no ENV is unknown', task: 'gate', code: 'FROM node:18.16.0-alpine3.17\nEXPOSE 1\nCMD ["node", "index.js"]\n', files: gateFiles('app.listen(process.env.PORT);\n') },
  ],
  invalid: [
    {
      name: 'the scratch first attempt: EXPOSE 9000, code on 9999',
      code: 'FROM golang:1.19\nWORKDIR /app\nCOPY . .\nRUN go build -o app.bin cmd/main.go\nVOLUME /upload\nEXPOSE 9000\nCMD ./app.bin\n',
      files: scratchFiles,
      errors: [{ messageId: 'mismatch', range: [5, 7, 5, 11], severity: 'warning', includes: ['listens on 9999', 'cmd/main.go:5', 'task text says 9000', '-p 9000:9999'] }],
      output: 'FROM golang:1.19\nWORKDIR /app\nCOPY . .\nRUN go build -o app.bin cmd/main.go\nVOLUME /upload\nEXPOSE 9999\nCMD ./app.bin\n',
    },
    {
      name: 'keeps /tcp',
      code: SCRATCH_HEAD + 'EXPOSE 8080/tcp\n',
      files: scratchFiles,
      errors: [{ messageId: 'mismatch', range: [4, 7, 4, 11] }],
      output: SCRATCH_HEAD + 'EXPOSE 9999/tcp\n',
    },
    {
      name: 'no EXPOSE: information, added above the start command',
      code: SCRATCH_HEAD + 'USER 65534:65534\nENTRYPOINT ["/app.bin"]\n',
      files: scratchFiles,
      errors: [{ messageId: 'missing', range: [2, 0, 2, 4], severity: 'information' }],
      output: SCRATCH_HEAD + 'USER 65534:65534\nEXPOSE 9999\nENTRYPOINT ["/app.bin"]\n',
    },
    {
      name: 'no EXPOSE and no start command: added at the end',
      code: SCRATCH_HEAD.trimEnd(),
      files: scratchFiles,
      errors: [{ messageId: 'missing', range: [2, 0, 2, 4] }],
      output: SCRATCH_HEAD + 'EXPOSE 9999',
    },
    {
      name: 'distroless: ENV APP_PORT=8000 but EXPOSE 9000',
      task: 'distroless',
      code: DISTROLESS_HEAD + 'ENV APP_PORT=8000\nEXPOSE 9000\nENTRYPOINT ["/app"]\n',
      files: distrolessFiles,
      errors: [{ messageId: 'mismatch', range: [5, 7, 5, 11], includes: ['-port: APP_PORT from ENV APP_PORT=8000'] }],
      output: DISTROLESS_HEAD + 'ENV APP_PORT=8000\nEXPOSE 8000\nENTRYPOINT ["/app"]\n',
    },
    {
      name: 'gate: a constant in index.js',
      task: 'gate',
      code: 'FROM node:18.16.0-alpine3.17\nEXPOSE 3000\nCMD ["node", "index.js"]\n',
      files: gateFiles("const PORT = 9000;\nrequire('http').createServer(h).listen(PORT, '0.0.0.0');\n"),
      errors: [{ messageId: 'mismatch', range: [1, 7, 1, 11], includes: ['index.js:2', 'listen(9000)'] }],
      output: 'FROM node:18.16.0-alpine3.17\nEXPOSE 9000\nCMD ["node", "index.js"]\n',
    },
    {
      name: 'gate: ENV PORT in the Dockerfile decides',
      task: 'gate',
      code: 'FROM node:18.16.0-alpine3.17\nENV PORT=8080\nEXPOSE 9000\nCMD ["node", "index.js"]\n',
      files: gateFiles('app.listen(process.env.PORT || 9000);\n'),
      errors: [{ messageId: 'mismatch', range: [2, 7, 2, 11] }],
      output: 'FROM node:18.16.0-alpine3.17\nENV PORT=8080\nEXPOSE 8080\nCMD ["node", "index.js"]\n',
    },
    {
      name: 'two listeners, one exposed: the other is added',
      task: 'gate',
      code: 'FROM node:18.16.0-alpine3.17\nEXPOSE 9000\nCMD ["node", "index.js"]\n',
      files: gateFiles('app.listen(9000);\nadmin.listen(9100);\n'),
      errors: [{ messageId: 'notExposed', range: [1, 7, 1, 11] }],
      output: 'FROM node:18.16.0-alpine3.17\nEXPOSE 9000 9100\nCMD ["node", "index.js"]\n',
    },
  ],
});
