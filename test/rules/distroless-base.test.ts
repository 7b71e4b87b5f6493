import { projectRuleTests } from '../projectRuleTester';

const BUILD = 'FROM golang:1.19.13-bullseye AS build\nWORKDIR /app\nCOPY . .\nRUN go build -o app .\n\n';
const TAIL = '\nCOPY --from=build /app/app /app\nUSER nonroot\nENTRYPOINT ["/app"]\n';

projectRuleTests('distroless-base', {
  task: 'distroless',
  valid: [
    { name: 'the distroless solution', code: BUILD + 'FROM gcr.io/distroless/base-debian11:nonroot' + TAIL },
    { name: 'a digest', code: BUILD + 'FROM gcr.io/distroless/base-debian11@sha256:' + 'a'.repeat(64) + TAIL },
    { name: 'no tag: pinned-base-image\'s', code: BUILD + 'FROM gcr.io/distroless/base-debian11' + TAIL },
    { name: 'through an intermediate stage', code: BUILD + 'FROM gcr.io/distroless/base-debian11:nonroot AS run\nFROM run' + TAIL },
    { name: 'a build argument', code: BUILD + 'ARG BASE\nFROM ${BASE}' + TAIL },
    { name: 'another task', task: 'scratch', code: 'FROM golang:1.19\n' },
  ],
  invalid: [
    {
      name: 'the distroless first attempt: one golang stage',
      code: 'FROM golang:1.19\n\nWORKDIR /app\nCOPY . .\nRUN go build -o app .\n',
      errors: [{ messageId: 'notDistroless', range: [0, 5, 0, 16], severity: 'error', includes: ['`golang:1.19`', 'Go toolchain'] }],
      output: null,
    },
    {
      name: 'static-debian11 has no libc',
      code: BUILD + 'FROM gcr.io/distroless/static-debian11:nonroot' + TAIL,
      errors: [{ messageId: 'static', range: [5, 12, 5, 38] }],
      output: BUILD + 'FROM gcr.io/distroless/base-debian11:nonroot' + TAIL,
    },
    {
      name: 'debian12',
      code: BUILD + 'FROM gcr.io/distroless/base-debian12:nonroot' + TAIL,
      errors: [{ messageId: 'wrongRelease', range: [5, 12, 5, 36], includes: ['Debian 12'] }],
      output: BUILD + 'FROM gcr.io/distroless/base-debian11:nonroot' + TAIL,
    },
    {
      name: 'cc-debian11 is not what the customer asked for',
      code: BUILD + 'FROM gcr.io/distroless/cc-debian11:debug-nonroot' + TAIL,
      errors: [{ messageId: 'otherFlavour', range: [5, 12, 5, 34] }],
      output: BUILD + 'FROM gcr.io/distroless/base-debian11:debug-nonroot' + TAIL,
    },
    {
      name: 'a digest of another flavour: no fix (the digest pins that flavour)',
      code: BUILD + 'FROM gcr.io/distroless/static-debian11@sha256:' + 'b'.repeat(64) + TAIL,
      errors: [{ messageId: 'static', range: [5, 12, 5, 38] }],
      output: null,
    },
    {
      name: 'scratch',
      code: BUILD + 'FROM scratch' + TAIL,
      errors: [{ messageId: 'notDistroless', range: [5, 5, 5, 12] }],
      output: null,
    },
  ],
});
