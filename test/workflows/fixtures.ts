/** What the workflow tests share: the bundled CLI, and the workflow most students write first. */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

export const CLI = path.resolve(__dirname, '..', '..', '..', 'dist', 'cli.js');

/** Runs the bundled `dist/cli.js` in `cwd` without colours. */
export const cli = (args: string[], cwd: string) => spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

/** build-push-action (BuildKit), run by hand only, an uppercase name tagged only `latest`, no login. */
export const BUILD_PUSH_WORKFLOW = `on: workflow_dispatch
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: docker/build-push-action@v5
        with:
          push: true
          tags: ghcr.io/Student/App:latest
`;
