import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRuleTests } from '../projectRuleTester';

const EXAMPLES = path.resolve(__dirname, '..', '..', '..', 'examples', 'scratch');
const read = (f: string) => fs.readFileSync(path.join(EXAMPLES, f), 'utf8');
const GO_MOD = 'module example.com/upload\n\ngo 1.19\n';
const files = (main: string) => ({ 'go.mod': GO_MOD, 'cmd/main.go': main });
const EXAMPLE_FILES = files(read('first-attempt/cmd/main.go'));
const writes = (dir: string, extra = '') => `package main\nimport ("net/http"; "os"; "path/filepath")\nconst dir = "${dir}"\nfunc h(w http.ResponseWriter, r *http.Request) {\n${extra}\tos.Create(filepath.Join(dir, "x"))\n}\nfunc main() { http.ListenAndServe(":9999", nil) }\n`;
const BUILD = 'FROM golang:1.19.13-bullseye AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app.bin cmd/main.go\nRUN mkdir /upload /tmp-scratch && chown 65534:65534 /upload /tmp-scratch\n';
const TMP = 'COPY --from=build --chown=65534:65534 /tmp-scratch /tmp\n';
const final = (body: string) => `${BUILD}\nFROM scratch\nWORKDIR /\nCOPY --from=build /app.bin /app.bin\n${body}USER 65534:65534\nENTRYPOINT ["/app.bin"]\n`;
const OWNED = 'COPY --from=build --chown=65534:65534 /upload /upload\n';

projectRuleTests('upload-volume', {
  task: 'scratch',
  valid: [
    { name: 'the scratch solution', code: read('solution/Dockerfile'), files: files(read('solution/cmd/main.go')) },
    { name: 'created, owned, mounted; /tmp for big uploads', code: final(OWNED + TMP + 'VOLUME /upload\n'), files: EXAMPLE_FILES },
    { name: 'VOLUME in JSON form', code: final(OWNED + TMP + 'VOLUME ["/upload"]\n'), files: EXAMPLE_FILES },
    { name: 'the upload folder cannot be read: only the VOLUME is checked', code: final(OWNED + 'VOLUME /upload\n'), files: files('package main\nfunc main() {}\n') },
    { name: 'a VOLUME from an unknown build argument', code: final('ARG V\nVOLUME $V\n'), files: EXAMPLE_FILES },
    { name: 'an owner by name cannot be compared', code: final(OWNED.replace('65534:65534', 'nobody') + TMP + 'VOLUME /upload\n'), files: EXAMPLE_FILES },
    { name: 'another task', task: 'distroless', code: 'FROM scratch\n', files: EXAMPLE_FILES },
  ],
  invalid: [
    {
      name: 'the scratch first attempt: WORKDIR /app puts ./upload on /app/upload',
      code: read('first-attempt/Dockerfile'),
      files: EXAMPLE_FILES,
      errors: [{ messageId: 'workdirMismatch', range: [2, 8, 2, 12], severity: 'error', includes: ['`/app/upload`', 'cmd/main.go:33', 'nothing creates', 'WORKDIR `/`'] }],
      // CMD ./app.bin depends on WORKDIR /app: no mechanical fix.
      output: null,
    },
    {
      name: 'WORKDIR /app with absolute paths after it: fixed to /',
      code: final(OWNED + TMP + 'VOLUME /upload\n').replace('WORKDIR /\n', 'WORKDIR /app\n'),
      files: EXAMPLE_FILES,
      errors: [{ messageId: 'workdirMismatch', range: [7, 8, 7, 12] }],
      output: final(OWNED + TMP + 'VOLUME /upload\n'),
    },
    {
      name: 'no VOLUME: added after the last COPY of the final stage',
      code: final(OWNED + TMP),
      files: EXAMPLE_FILES,
      errors: [{ messageId: 'noVolume', range: [6, 0, 6, 4] }],
      output: final(OWNED + TMP + 'VOLUME /upload\n'),
    },
    {
      name: 'no /upload in the image: created in the builder, copied with the runtime uid',
      code: final(TMP + 'VOLUME /upload\n'),
      files: EXAMPLE_FILES,
      errors: [{ messageId: 'notCreated', range: [10, 0, 10, 6], includes: ['USER 65534:65534', '--chown=65534:65534'] }],
      output: final(TMP + 'COPY --from=build --chown=65534:65534 /upload /upload\nVOLUME /upload\n').replace('/tmp-scratch\n\nFROM', '/tmp-scratch\nRUN mkdir -p /upload\n\nFROM'),
    },
    {
      name: 'copied without --chown: a warning, --chown added',
      code: final('COPY --from=build /upload /upload\n' + TMP + 'VOLUME /upload\n'),
      files: EXAMPLE_FILES,
      errors: [{ messageId: 'notOwned', range: [9, 0, 9, 4], severity: 'warning' }],
      output: final('COPY --chown=65534:65534 --from=build /upload /upload\n' + TMP + 'VOLUME /upload\n'),
    },
    {
      name: 'owned by another uid',
      code: final(OWNED.replace('65534:65534', '1000:1000') + TMP + 'VOLUME /upload\n'),
      files: EXAMPLE_FILES,
      errors: [{ messageId: 'wrongOwner', range: [9, 26, 9, 35] }],
      output: final(OWNED + TMP + 'VOLUME /upload\n'),
    },
    {
      name: 'the code writes to an absolute folder that is not the volume',
      code: final(OWNED + 'VOLUME /upload\n'),
      files: files(writes('/data/uploads')),
      errors: [{ messageId: 'writesElsewhere', range: [10, 0, 10, 6], includes: ['`/data/uploads`'] }],
      output: null,
    },
    {
      name: 'multipart uploads with no /tmp in scratch',
      code: final(OWNED + 'VOLUME /upload\n'),
      files: EXAMPLE_FILES,
      errors: [{ messageId: 'noTmp', range: [6, 0, 6, 4], severity: 'warning', includes: ['cmd/main.go:21', '32 MB'] }],
      output: null,
    },
    {
      name: 'the code creates the folder itself: still root-owned parent',
      code: final('VOLUME /upload\n'),
      files: files(writes('./upload', '\tos.MkdirAll(dir, 0o755)\n')),
      errors: [{ messageId: 'notCreated', range: [9, 0, 9, 6], includes: ['os.MkdirAll'] }],
      output: final('COPY --from=build --chown=65534:65534 /upload /upload\nVOLUME /upload\n').replace('/tmp-scratch\n\nFROM', '/tmp-scratch\nRUN mkdir -p /upload\n\nFROM'),
    },
  ],
});
