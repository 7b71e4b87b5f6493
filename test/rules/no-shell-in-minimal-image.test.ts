import { ruleTests } from '../ruleTester';

const GO = 'FROM golang:1.19.13-bullseye AS build\nWORKDIR /src\nRUN CGO_ENABLED=0 go build -o /app.bin .\n';
const DISTROLESS = 'gcr.io/distroless/base-debian11';

ruleTests('no-shell-in-minimal-image', {
  task: 'scratch',
  valid: [
    { name: 'the scratch solution', code: `${GO}RUN mkdir /upload && chown 65534:65534 /upload\nFROM scratch\nWORKDIR /\nCOPY --from=build /app.bin /app.bin\nCOPY --from=build --chown=65534:65534 /upload /upload\nUSER 65534:65534\nENTRYPOINT ["/app.bin"]\n` },
    { name: 'the distroless solution', code: `${GO}FROM ${DISTROLESS}:nonroot\nCOPY --from=build /src/app /app\nUSER nonroot\nENTRYPOINT ["/app"]\n`, task: 'distroless' },
    { name: 'RUN in a builder stage is fine', code: `${GO}FROM scratch\nCOPY --from=build /app.bin /app.bin\nENTRYPOINT ["/app.bin"]\n` },
    { name: 'exec-form RUN of a copied program', code: `${GO}FROM scratch\nCOPY --from=build /app.bin /app.bin\nRUN ["/app.bin", "--migrate"]\nENTRYPOINT ["/app.bin"]\n` },
    { name: 'a builder named busybox-ish is not a shell', code: `${GO}FROM scratch\nCOPY --from=build /app.bin /usr/bin/shell-helper\nENTRYPOINT ["/usr/bin/shell-helper"]\n` },
    { name: 'shell-form CMD on a normal image is exec-form\'s business', code: 'FROM node:18.16.0-alpine3.17\nCMD node index.js\n', task: 'gate' },
    { name: 'copying busybox into a builder-only scratch stage is not the final image', code: 'FROM busybox:1.36.1 AS bb\nFROM scratch AS tools\nCOPY --from=bb /bin/busybox /bin/busybox\nFROM node:18.16.0-alpine3.17\n', task: 'generic' },
    { name: 'official-image style: scratch rootfs with bash (not minimal: its own shell)', code: 'FROM scratch\nADD rootfs.tar.xz /\nCMD ["bash"]\n', task: 'generic' },
  ],
  invalid: [
    {
      name: 'RUN in a scratch stage',
      code: `${GO}FROM scratch\nRUN mkdir /upload\nCOPY --from=build /app.bin /app.bin\nENTRYPOINT ["/app.bin"]\n`,
      errors: [{ messageId: 'runInMinimal', range: [4, 0, 4, 3], includes: 'scratch' }],
      output: null,
    },
    {
      name: 'RUN in a stage built FROM a distroless stage',
      code: `FROM ${DISTROLESS}:nonroot AS base\nFROM base\nRUN \\\r\n  echo hi\n`,
      task: 'distroless',
      errors: [{ messageId: 'runInMinimal', range: [2, 0, 2, 3], includes: DISTROLESS }],
      output: null,
    },
    {
      name: 'exec-form RUN of a shell',
      code: `FROM ${DISTROLESS}:nonroot\nRUN ["/bin/sh", "-c", "echo"]\n`,
      task: 'distroless',
      errors: [{ messageId: 'runShellProgram', range: [1, 0, 1, 3] }],
      output: null,
    },
    {
      name: 'shell-form CMD and ENTRYPOINT of a scratch final image',
      code: `${GO}FROM scratch\nCOPY --from=build /app.bin /app.bin\nENTRYPOINT /app.bin\nCMD --port 9999\n`,
      errors: [
        { messageId: 'shellFormCommand', range: [5, 0, 5, 10] },
        { messageId: 'shellFormCommand', range: [6, 0, 6, 3] },
      ],
      output: null,
    },
    {
      name: 'broken JSON is shell form too',
      code: `${GO}FROM scratch\nCOPY --from=build /app.bin /app.bin\nCMD ['/app.bin']\n`,
      errors: [{ messageId: 'shellFormCommand', range: [5, 0, 5, 3] }],
      output: null,
    },
    {
      name: 'copying busybox, a shell and the musl loader into the final image',
      code: `FROM busybox:1.36.1-musl AS bb\n${GO}FROM scratch\nCOPY --from=bb /bin/busybox /bin/\nCOPY --from=bb /bin/sh /bin/sh\nCOPY --from=bb /lib/ld-musl-x86_64.so.1 /lib/\nCOPY --from=build /app.bin /app.bin\nENTRYPOINT ["/app.bin"]\n`,
      errors: [
        { messageId: 'copiesShell', range: [5, 15, 5, 27], includes: 'busybox' },
        { messageId: 'copiesShell', range: [6, 15, 6, 22], includes: 'the shell sh' },
        { messageId: 'copiesShell', range: [7, 15, 7, 39], includes: 'musl loader' },
      ],
      output: null,
    },
    {
      name: 'a shell copied in makes RUN possible, but the copy itself fails the rule',
      code: `FROM busybox:1.36.1-musl AS bb\nFROM scratch\nCOPY --from=bb /bin/busybox /bin/sh\nRUN echo hi\n`,
      errors: [{ messageId: 'copiesShell', range: [2, 15, 2, 27] }],
      output: null,
    },
    {
      name: 'the whole /bin of a builder',
      code: `${GO}FROM scratch\nCOPY --from=build /bin /bin\nCOPY --from=build /app.bin /app.bin\nENTRYPOINT ["/app.bin"]\n`,
      errors: [{ messageId: 'copiesShell', range: [4, 18, 4, 22], includes: 'whole /bin' }],
      output: null,
    },
    {
      name: 'distroless :debug: fix to :nonroot',
      code: `${GO}FROM ${DISTROLESS}:debug\nCOPY --from=build /app.bin /app\nENTRYPOINT ["/app"]\n`,
      task: 'distroless',
      errors: [{ messageId: 'debugTag', range: [3, 37, 3, 42], includes: '`nonroot`' }],
      output: `${GO}FROM ${DISTROLESS}:nonroot\nCOPY --from=build /app.bin /app\nENTRYPOINT ["/app"]\n`,
    },
    {
      name: 'distroless :debug-nonroot-arm64 -> :nonroot-arm64, CRLF',
      code: `FROM ${DISTROLESS}:debug-nonroot-arm64\r\nENTRYPOINT ["/app"]\r\n`,
      task: 'distroless',
      errors: [{ messageId: 'debugTag', range: [0, 37, 0, 56] }],
      output: `FROM ${DISTROLESS}:nonroot-arm64\r\nENTRYPOINT ["/app"]\r\n`,
    },
    {
      name: ':debug with a digest: no fix (the digest pins the debug image)',
      code: `FROM ${DISTROLESS}:debug@sha256:${'a'.repeat(64)}\nENTRYPOINT ["/app"]\n`,
      task: 'distroless',
      errors: [{ messageId: 'debugTag', range: [0, 37, 0, 42] }],
      output: null,
    },
    {
      name: ':debug through an ARG before FROM: reported on the image, no fix',
      code: `ARG TAG=debug\nFROM ${DISTROLESS}:\${TAG}\nENTRYPOINT ["/app"]\n`,
      task: 'distroless',
      errors: [{ messageId: 'debugTag', range: [1, 5, 1, 43] }],
      output: null,
    },
    {
      name: 'generic task: a warning',
      code: 'FROM scratch\nRUN true\n',
      task: 'generic',
      errors: [{ messageId: 'runInMinimal', range: [1, 0, 1, 3], severity: 'warning' }],
      output: null,
    },
    {
      name: 'a heredoc RUN on scratch is shell form too',
      code: 'FROM scratch\nRUN <<EOF\nmkdir /x\nEOF\n',
      task: 'generic',
      errors: [{ messageId: 'runInMinimal', range: [1, 0, 1, 3] }],
      output: null,
    },
    {
      name: 'escape directive and ARG before FROM naming the distroless image',
      code: `# escape=\`\nARG BASE=${DISTROLESS}:nonroot\nFROM \${BASE}\nRUN echo \`\n  hi\n`,
      task: 'distroless',
      errors: [{ messageId: 'runInMinimal', range: [3, 0, 3, 3] }],
      output: null,
    },
  ],
});
