// The baseline: how long JSON.parse alone takes on a file's text, in a fresh process (the text read beforehand).
import { readFileSync } from 'node:fs';

const text = readFileSync(process.argv[2], 'utf8');
const start = performance.now();
JSON.parse(text);
process.stdout.write(`${JSON.stringify({ ms: performance.now() - start })}\n`);
