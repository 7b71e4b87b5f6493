import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRuleTests } from '../projectRuleTester';

const EXAMPLES = path.resolve(__dirname, '..', '..', '..', 'examples', 'distroless');
const read = (f: string) => fs.readFileSync(path.join(EXAMPLES, f), 'utf8');
const GO_MOD = 'module example.com/events\n\ngo 1.19\n';
const MAIN = read('first-attempt/main.go');
const FIRST = { 'go.mod': GO_MOD, 'main.go': MAIN, 'docker-compose.yml': read('first-attempt/docker-compose.yml') };
const SOLUTION = { 'go.mod': GO_MOD, 'main.go': MAIN, 'docker-compose.yml': read('solution/docker-compose.yml') };
const HEAD = 'FROM golang:1.19.13-bullseye AS build\nWORKDIR /app\nCOPY . .\nRUN go build -o app .\n\nFROM gcr.io/distroless/base-debian11:nonroot\nCOPY --from=build /app/app /app\nUSER nonroot\n';
const ALL_FROM_ENV = MAIN.replace('flag.String("dbUrl", "postgres://localhost:5432/events", "database URL")', 'flag.String("dbUrl", envOr("APP_DB_URL", "postgres://localhost:5432/events"), "database URL")');

projectRuleTests('flags-from-env', {
  task: 'distroless',
  valid: [
    { name: 'every flag reads the environment', code: HEAD + 'ENTRYPOINT ["/app"]\n', files: { ...FIRST, 'main.go': ALL_FROM_ENV } },
    { name: '-dbUrl given as a literal argument', code: HEAD + 'ENTRYPOINT ["/app", "-dbUrl=postgres://db/events"]\n', files: SOLUTION },
    {
      name: 'an env-to-flags bridge (flag.VisitAll) may reach any flag',
      code: HEAD + 'ENTRYPOINT ["/app"]\n',
      files: { ...SOLUTION, 'main.go': MAIN.replace('flag.Parse()', 'flag.VisitAll(func(f *flag.Flag) { if v := os.Getenv("APP_" + f.Name); v != "" { f.Value.Set(v) } })\n\tflag.Parse()') },
    },
    { name: 'a value overridden from the environment after parsing', code: HEAD + 'ENTRYPOINT ["/app"]\n', files: { ...SOLUTION, 'main.go': MAIN.replace('flag.Parse()', 'flag.Parse()\n\tif v := os.Getenv("APP_DB_URL"); v != "" {\n\t\t*dbURL = v\n\t}') } },
    { name: 'no flags at all', code: HEAD + 'ENTRYPOINT ["/app"]\n', files: { 'go.mod': GO_MOD, 'main.go': 'package main\nfunc main() {}\n' } },
    { name: 'another task', task: 'scratch', code: HEAD + 'ENTRYPOINT ["/app"]\n', files: SOLUTION },
  ],
  invalid: [
    {
      name: 'the distroless solution: -dbUrl cannot come from the environment (information, no fix)',
      code: read('solution/Dockerfile'),
      files: SOLUTION,
      errors: [{ messageId: 'unreachable', range: [17, 11, 17, 19], severity: 'information', includes: ['-dbUrl (main.go:49)', 'Only -port (APP_PORT), -host (APP_HOST) read', 'docker run <image> -dbUrl=', '"postgres://localhost:5432/events"'] }],
      output: null,
    },
    {
      name: 'the distroless first attempt: redundant -port/-host, a shell-only -dbUrl, APP_DB_URL in compose',
      code: read('first-attempt/Dockerfile'),
      files: FIRST,
      errors: [
        { messageId: 'redundant', range: [7, 10, 7, 25], severity: 'warning', includes: ['from APP_PORT (main.go:47)'] },
        { messageId: 'redundant', range: [7, 26, 7, 41] },
        { messageId: 'unreachableVariable', range: [7, 42, 7, 60], severity: 'warning', includes: ['never reads APP_DB_URL'] },
        { file: 'docker-compose.yml', messageId: 'composeUnread', range: [8, 6, 8, 16], severity: 'warning', includes: ['`command:`'] },
      ],
      output: read('first-attempt/Dockerfile').replace('./app -port=$APP_PORT -host=$APP_HOST -dbUrl', './app -dbUrl'),
      remainingAfterFix: 2,
    },
    {
      name: 'exec form: the redundant arguments go with their commas',
      code: HEAD + 'ENTRYPOINT ["/app", "-port=$APP_PORT", "-host=${APP_HOST}"]\n',
      files: SOLUTION,
      errors: [
        { messageId: 'unreachable', range: [8, 11, 8, 59], severity: 'information' },
        { messageId: 'redundant', range: [8, 20, 8, 37] },
        { messageId: 'redundant', range: [8, 39, 8, 58] },
      ],
      output: HEAD + 'ENTRYPOINT ["/app"]\n',
      remainingAfterFix: 1,
    },
    {
      name: 'a variable the code does not read for that flag',
      code: HEAD + 'ENTRYPOINT ["/app", "-port=$PORT", "-dbUrl=x"]\n',
      files: SOLUTION,
      errors: [{ messageId: 'otherVariable', range: [8, 20, 8, 33], includes: ['from APP_PORT', '-e APP_PORT='] }],
      output: null,
    },
  ],
});
