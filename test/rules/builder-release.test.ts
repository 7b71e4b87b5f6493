import { projectRuleTests } from '../projectRuleTester';

const FINAL = '\nFROM gcr.io/distroless/base-debian11:nonroot\nCOPY --from=build /app/app /app\nUSER nonroot\nENTRYPOINT ["/app"]\n';
const build = (from: string, run = 'RUN go build -o app .') => `FROM ${from} AS build\nWORKDIR /app\nCOPY . .\n${run}\n${FINAL}`;

projectRuleTests('builder-release', {
  task: 'distroless',
  valid: [
    { name: 'the distroless solution: bullseye for debian11', code: build('golang:1.19.13-bullseye') },
    { name: 'an older release runs on a newer glibc', code: build('golang:1.19.13-buster') },
    { name: 'a static build does not care', code: build('golang:1.19.13-bookworm', 'RUN CGO_ENABLED=0 go build -o app .') },
    { name: 'debian12 runtime with a bookworm builder', code: build('golang:1.19.13-bookworm').replace('base-debian11', 'base-debian12') },
    { name: 'static-debian11 has no glibc to match', code: build('golang:1.19.13-bookworm').replace('base-debian11', 'static-debian11') },
    { name: 'a builder image that is not golang', code: build('example.com/go:1.19') },
    { name: 'another task', task: 'scratch', code: build('golang:1.19') },
  ],
  invalid: [
    {
      name: 'the distroless first attempt: golang:1.19 is bookworm today',
      code: 'FROM golang:1.19\n\nWORKDIR /app\nCOPY . .\nRUN go build -o app .\n\nEXPOSE 9000\n',
      errors: [{ messageId: 'newer', range: [0, 12, 0, 16], severity: 'error', includes: ['golang:1.19', 'bookworm', 'glibc 2.36', 'glibc 2.31', 'golang:1.19.13-bullseye'] }],
      output: 'FROM golang:1.19.13-bullseye\n\nWORKDIR /app\nCOPY . .\nRUN go build -o app .\n\nEXPOSE 9000\n',
    },
    {
      name: 'an explicit bookworm builder',
      code: build('golang:1.20.14-bookworm'),
      errors: [{ messageId: 'newer', range: [0, 12, 0, 28] }],
      output: build('golang:1.20.14-bullseye'),
    },
    {
      name: 'alpine (musl) into a glibc image',
      code: build('golang:1.21.5-alpine'),
      errors: [{ messageId: 'musl', range: [0, 12, 0, 25] }],
      output: build('golang:1.21.5-bullseye'),
    },
    {
      name: 'a pinned bare tag the catalog does not know: say which release',
      code: build('golang:1.19.5'),
      errors: [{ messageId: 'implicitRelease', range: [0, 12, 0, 18], severity: 'warning', includes: ['`-bullseye`'] }],
      // 1.19.5-bullseye is not in the catalog, and another patch version is not this rule's call.
      output: null,
    },
  ],
});
