/** Prints the input of a fuzz counterexample: node out/test/fuzz/replay.js <pick> '<mutations json>' */
import { corpus, mutate, Mutation } from './corpus';

const all = corpus();
const [pick, mutations] = [Number(process.argv[2]), JSON.parse(process.argv[3] ?? '[]') as Mutation[]];
process.stdout.write(JSON.stringify(mutations.reduce((t, m) => mutate(t, m, all), all[pick % all.length])) + '\n');
