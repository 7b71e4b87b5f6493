import { ruleTests } from '../ruleTester';

ruleTests('multi-stage', {
  valid: [
    { name: 'gate: one stage', code: 'FROM node:18.16.0-alpine3.17\nCMD ["node", "index.js"]\n', task: 'gate' },
    { name: 'scratch: builder and COPY --from', code: 'FROM golang:1.19 AS build\nRUN go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\n', task: 'scratch' },
    { name: 'COPY --from by stage index', code: 'FROM golang:1.19\nRUN go build -o /app .\nFROM scratch\nCOPY --from=0 /app /app\n', task: 'scratch' },
    { name: 'generic: anything goes', code: 'FROM a:1.2 AS x\nFROM b:1.2\n', task: 'generic' },
  ],
  invalid: [
    {
      name: 'gate forbids a second stage',
      code: 'FROM node:18.16.0-alpine3.17 AS deps\nRUN yarn\nFROM node:18.16.0-alpine3.17\nCOPY --from=deps /node_modules /node_modules\n',
      task: 'gate',
      errors: [{ messageId: 'forbidden', range: [2, 0, 2, 4] }],
      output: null,
    },
    {
      name: 'scratch: a single Go stage splits into a builder and a scratch final stage',
      code: 'FROM golang:1.19\nWORKDIR /app\nCOPY . .\nRUN go build -o app.bin cmd/main.go\n\nVOLUME /upload\nCMD ["./app.bin"]\n',
      task: 'scratch',
      errors: [{ messageId: 'required', range: [0, 0, 0, 4] }],
      output: 'FROM golang:1.19 AS build\nWORKDIR /app\nCOPY . .\nRUN go build -o app.bin cmd/main.go\n\nFROM scratch\nCOPY --from=build /app/app.bin /app.bin\n\nVOLUME /upload\nCMD ["./app.bin"]\n',
    },
    {
      name: 'distroless: CRLF, continuation in the build RUN',
      code: 'FROM golang:1.19-bullseye\r\nWORKDIR /src\r\nCOPY . .\r\nRUN go build \\\r\n  -o /out/app .\r\nENTRYPOINT ["/app"]\r\n',
      task: 'distroless',
      errors: [{ messageId: 'required', range: [0, 0, 0, 4] }],
      output: 'FROM golang:1.19-bullseye AS build\r\nWORKDIR /src\r\nCOPY . .\r\nRUN go build \\\r\n  -o /out/app .\r\n\r\nFROM gcr.io/distroless/base-debian11:nonroot\r\nCOPY --from=build /out/app /app\r\nENTRYPOINT ["/app"]\r\n',
    },
    {
      name: 'no automatic split when sources are copied after the build',
      code: 'FROM golang:1.19\nRUN go build -o /app .\nCOPY config.yml /etc/\n',
      task: 'scratch',
      errors: [{ messageId: 'required', range: [0, 0, 0, 4] }],
      output: null,
    },
    {
      name: 'scratch requires multi-stage',
      code: 'FROM scratch\nCOPY app.bin /app\n',
      task: 'scratch',
      errors: [{ messageId: 'required', range: [0, 0, 0, 4] }],
      output: null,
    },
    {
      name: 'distroless: two stages but nothing copied from the builder',
      code: 'FROM golang:1.19-bullseye AS build\nRUN go build -o /app .\nFROM gcr.io/distroless/base-debian11:nonroot\nCOPY --from=golang:1.19 /usr/local/go /go\n',
      task: 'distroless',
      errors: [{ messageId: 'noCopyFrom', range: [2, 0, 2, 4] }],
      output: null,
    },
  ],
});
