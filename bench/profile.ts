/**
 * A loop of checks to profile, not part of `npm run bench`:
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof out/bench/profile.js [lines=5000] [iterations=40] [check|parse|validate]
 *   node out/bench/profileTop.js /tmp/prof/<file>.cpuprofile
 */
import { DockerfileParser } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { checkDockerfile } from '../server/src/engine/engine';
import { generateDockerfile } from './generate';
import { gateProject } from './inprocess';

const lines = Number(process.argv[2] ?? 5000);
const iterations = Number(process.argv[3] ?? 40);
const what = process.argv[4] ?? 'check';
const { text } = generateDockerfile(lines);
const project = gateProject();
const run =
  what === 'parse' ? () => DockerfileParser.parse(text) : what === 'validate' ? () => validate(text) : () => checkDockerfile({ text, project, task: 'gate' });
const t0 = process.hrtime.bigint();
for (let i = 0; i < iterations; i++) run();
console.log(`${what} x${iterations} on ${lines} lines: ${(Number(process.hrtime.bigint() - t0) / 1e6 / iterations).toFixed(2)} ms each`);
