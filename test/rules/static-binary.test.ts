import { projectRuleTests } from '../projectRuleTester';

const GO_MOD = 'module example.com/upload\n\ngo 1.19\n';
const NET = { 'go.mod': GO_MOD, 'cmd/main.go': 'package main\nimport "net/http"\nfunc main() { http.ListenAndServe(":9999", nil) }\n' };
const PLAIN = { 'go.mod': GO_MOD, 'cmd/main.go': 'package main\nimport ("fmt"; "os")\nfunc main() { fmt.Fprintln(os.Stdout, "hi") }\n' };
const FINAL = 'FROM scratch\nCOPY --from=build /app.bin /app.bin\nUSER 65534:65534\nENTRYPOINT ["/app.bin"]\n';
const build = (from: string, run: string) => `FROM ${from} AS build\nWORKDIR /src\nCOPY . .\n${run}\n${FINAL}`;

projectRuleTests('static-binary', {
  task: 'scratch',
  valid: [
    { name: 'the scratch solution: CGO_ENABLED=0 inline', code: build('golang:1.19.13-bullseye', 'RUN CGO_ENABLED=0 go build -o /app.bin cmd/main.go'), files: NET },
    { name: 'ENV CGO_ENABLED=0', code: build('golang:1.19.13-bullseye', 'ENV CGO_ENABLED=0\nRUN go build -o /app.bin cmd/main.go'), files: NET },
    { name: 'export in the same RUN', code: build('golang:1.19.13-bullseye', 'RUN export CGO_ENABLED=0 && go build -o /app.bin cmd/main.go'), files: NET },
    { name: 'env CGO_ENABLED=0 go build', code: build('golang:1.19.13-bullseye', 'RUN env CGO_ENABLED=0 go build -o /app.bin cmd/main.go'), files: NET },
    { name: 'go env -w in an earlier RUN', code: build('golang:1.19.13-bullseye', 'RUN go env -w CGO_ENABLED=0\nRUN go build -o /app.bin cmd/main.go'), files: NET },
    { name: 'ARG with a default', code: build('golang:1.19.13-bullseye', 'ARG CGO_ENABLED=0\nRUN go build -o /app.bin cmd/main.go'), files: NET },
    { name: 'an ARG without a default may be 0', code: build('golang:1.19.13-bullseye', 'ARG CGO_ENABLED\nRUN go build -o /app.bin cmd/main.go'), files: NET },
    { name: 'static linking with cgo', code: build('golang:1.19.13-bullseye', 'RUN go build -ldflags \'-extldflags "-static"\' -o /app.bin cmd/main.go'), files: NET },
    { name: 'netgo tag', code: build('golang:1.19.13-bullseye', 'RUN go build -tags netgo -o /app.bin cmd/main.go'), files: NET },
    { name: 'alpine golang has no C toolchain', code: build('golang:1.19.13-alpine', 'RUN go build -o /app.bin cmd/main.go'), files: NET },
    { name: 'a stage the final image does not copy from', code: 'FROM golang:1.19.13 AS test\nRUN go build ./...\n' + build('golang:1.19.13', 'RUN CGO_ENABLED=0 go build -o /app.bin cmd/main.go'), files: NET },
    { name: 'another task', task: 'distroless', code: build('golang:1.19.13-bullseye', 'RUN go build -o /app.bin cmd/main.go'), files: NET },
  ],
  invalid: [
    {
      name: 'the scratch first attempt: one golang stage, go build as is',
      code: 'FROM golang:1.19\n\nWORKDIR /app\nCOPY . .\nRUN go build -o app.bin cmd/main.go\n',
      files: NET,
      errors: [{ messageId: 'cgoOn', range: [4, 4, 4, 12], severity: 'error', includes: ['golang:1.19, which has gcc', 'net/http'] }],
      output: 'FROM golang:1.19\n\nWORKDIR /app\nCOPY . .\nRUN CGO_ENABLED=0 go build -o app.bin cmd/main.go\n',
    },
    {
      name: 'a bullseye builder into scratch',
      code: build('golang:1.19.13-bullseye', 'RUN go mod download && go build -o /app.bin cmd/main.go'),
      files: NET,
      errors: [{ messageId: 'cgoOn', range: [3, 23, 3, 31] }],
      output: build('golang:1.19.13-bullseye', 'RUN go mod download && CGO_ENABLED=0 go build -o /app.bin cmd/main.go'),
    },
    {
      name: 'CGO_ENABLED=1 explicitly, even on alpine',
      code: build('golang:1.19.13-alpine', 'RUN CGO_ENABLED=1 go build -o /app.bin cmd/main.go'),
      files: NET,
      errors: [{ messageId: 'cgoOn', range: [3, 18, 3, 26], includes: ['CGO_ENABLED=1 is set'] }],
      output: build('golang:1.19.13-alpine', 'RUN CGO_ENABLED=0 go build -o /app.bin cmd/main.go'),
    },
    {
      name: 'alpine with gcc installed',
      code: build('golang:1.19.13-alpine', 'RUN apk add --no-cache gcc musl-dev\nRUN go build -o /app.bin cmd/main.go'),
      files: NET,
      errors: [{ messageId: 'cgoOn', range: [4, 4, 4, 12], includes: ['gcc is installed'] }],
      output: build('golang:1.19.13-alpine', 'RUN apk add --no-cache gcc musl-dev\nRUN CGO_ENABLED=0 go build -o /app.bin cmd/main.go'),
    },
    {
      name: 'exec-form RUN: ENV before it',
      code: build('golang:1.19.13-bullseye', 'RUN ["go", "build", "-o", "/app.bin", "cmd/main.go"]'),
      files: NET,
      errors: [{ messageId: 'cgoOn', range: [3, 5, 3, 18] }],
      output: build('golang:1.19.13-bullseye', 'ENV CGO_ENABLED=0\nRUN ["go", "build", "-o", "/app.bin", "cmd/main.go"]'),
    },
    {
      name: 'nothing uses libc yet: a warning',
      code: build('golang:1.19.13-bullseye', 'RUN go build -o /app.bin cmd/main.go'),
      files: PLAIN,
      errors: [{ messageId: 'cgoOnAnyway', range: [3, 4, 3, 12], severity: 'warning' }],
      output: build('golang:1.19.13-bullseye', 'RUN CGO_ENABLED=0 go build -o /app.bin cmd/main.go'),
    },
    {
      name: 'a builder we cannot identify: a warning',
      code: build('example.com/tools/go:1.19.13', 'RUN go build -o /app.bin cmd/main.go'),
      files: NET,
      errors: [{ messageId: 'cgoOn', range: [3, 4, 3, 12], severity: 'warning' }],
      output: build('example.com/tools/go:1.19.13', 'RUN CGO_ENABLED=0 go build -o /app.bin cmd/main.go'),
    },
  ],
});
