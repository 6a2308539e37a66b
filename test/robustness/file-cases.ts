/**
 * Hostile files and streams (issue 13 and more): endless and binary streams, pipes, files that keep growing,
 * millions of tiny values, huge strings, deep nesting, alias bombs, bad encodings, terminal escapes in names and
 * file names, parse errors next to secrets, files that cannot be read and reports that cannot be written.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { container, list, podSpec } from '../support/kube-fixtures.js';
import type { HostileCase } from './harness.js';

const json = (value: unknown) => JSON.stringify(value);
const pod = (name: string, spec = podSpec()) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'shop' },
  spec,
});
/** A manifest with a known finding (a privileged container), so a scan that reads it exits 1. */
const PRIVILEGED = pod('web', podSpec({ containers: [container('app', { privileged: true })] }));
const OSC52 = '\u001b]52;c;ZXZpbA==\u0007';
const CLEAR_SCREEN = '\u001b[2J';
const ESC = '\u001b';

const write = (dir: string, name: string, content: string | Buffer) => {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
};
const oneLine = (pattern: string) => new RegExp(`^${pattern}$`);

/** Starts `sh -c script` and returns its cleanup. */
function background(script: string): () => void {
  const child = spawn('/bin/sh', ['-c', script], { stdio: 'ignore', detached: true });
  return () => {
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch {
      // already gone
    }
  };
}

export const FILE_CASES: readonly HostileCase[] = [
  {
    name: '/dev/zero named on the command line',
    prepare: () => ({ args: ['scan', '/dev/zero'] }),
    expected: { exit: [2], stderr: oneLine('/dev/zero: a device, not a configuration file') },
  },
  {
    name: '/dev/urandom named on the command line',
    prepare: () => ({ args: ['scan', '/dev/urandom'] }),
    expected: { exit: [2], stderr: /^\/dev\/urandom: a device/ },
  },
  {
    // The cap lowered to 50 MB to keep the suite quick; the bench reads endless stdin up to the default cap.
    name: 'endless text on stdin (read up to the cap)',
    prepare: () => ({
      args: ['scan', '-'],
      env: { AKSGUARD_MAX_INPUT_MB: '50' },
      stdin: { endless: Buffer.from('{"apiVersion": "v1",\n'.repeat(4096)) },
    }),
    expected: {
      exit: [2],
      stderr: oneLine('<stdin>: larger than 50 MB: refused \\(AKSGUARD_MAX_INPUT_MB raises the limit\\)'),
    },
  },
  {
    name: 'endless zeros on stdin',
    prepare: () => ({ args: ['scan', '-'], stdin: { endless: Buffer.alloc(65_536) } }),
    expected: { exit: [2], stderr: oneLine('<stdin>: this is a binary file, not a configuration file') },
  },
  {
    name: 'a named pipe nobody writes to',
    prepare: (dir) => ({ args: ['scan', makeFifo(join(dir, 'cluster.json'))], env: { AKSGUARD_PIPE_TIMEOUT: '2' } }),
    expected: { exit: [2], stderr: /cluster\.json: nothing arrived on this pipe for 2 s: refused/ },
  },
  {
    name: 'a named pipe whose writer never writes',
    prepare: (dir) => {
      const fifo = makeFifo(join(dir, 'cluster.json'));
      const writer = openSync(fifo, 'r+'); // opens without waiting for a reader, and holds the pipe open
      return { args: ['scan', fifo], env: { AKSGUARD_PIPE_TIMEOUT: '2' }, cleanup: () => closeSync(writer) };
    },
    expected: { exit: [2], stderr: /cluster\.json: nothing arrived on this pipe for 2 s: refused/ },
  },
  {
    name: 'a named pipe that streams zeros forever',
    prepare: (dir) => {
      const fifo = makeFifo(join(dir, 'cluster.json'));
      return { args: ['scan', fifo], cleanup: background(`cat /dev/zero > '${fifo}'`) };
    },
    expected: { exit: [2], stderr: /cluster\.json: this is a binary file, not a configuration file$/ },
  },
  {
    name: 'a file that keeps growing while it is read',
    prepare: (dir) => {
      // With a 64 MB cap, so the writer (as fast as the disk) does not fill it before the read ends.
      const file = write(dir, 'growing.json', '[');
      return {
        args: ['scan', file],
        env: { AKSGUARD_MAX_INPUT_MB: '64' },
        cleanup: background(`yes '{"apiVersion": "v1", "kind": "Pod"},' >> '${file}'`),
      };
    },
    expected: { exit: [2], stderr: /growing\.json/ },
  },
  {
    name: 'a List of 1,000,000 items (~70 MB)',
    prepare: (dir) => {
      const items = '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"pod-0000"},"spec":{}},'.repeat(1_000_000);
      return { args: ['scan', write(dir, 'list.json', `{"apiVersion":"v1","kind":"List","items":[${items}{}]}`)] };
    },
    expected: {
      exit: [2],
      stderr: /list\.json: more than 400,000 Kubernetes objects or list items in this scan: refused/,
    },
  },
  {
    name: '15 million empty objects (45 MB of {},)',
    prepare: (dir) => ({ args: ['scan', write(dir, 'objects.json', `{"value":[${'{},'.repeat(15_000_000)}{}]}`)] }),
    expected: { exit: [2], stderr: /objects\.json: more than 4 million objects and lists or 20 million values/ },
  },
  {
    name: '25 million numbers in one list (50 MB)',
    prepare: (dir) => ({ args: ['scan', write(dir, 'numbers.json', `[[${'1,'.repeat(25_000_000)}1]]`)] }),
    expected: { exit: [2], stderr: /numbers\.json: more than 4 million objects and lists or 20 million values/ },
  },
  {
    name: 'a 100 MB single-line string as a pod name',
    prepare: (dir) => {
      const [head, tail] = json(list(PRIVILEGED)).split('"web"');
      const text = `${head}"${'x'.repeat(100 * 2 ** 20)}"${tail}`;
      return { args: ['scan', write(dir, 'long.json', text), '--format', 'json'] };
    },
    expected: { exit: [1], absent: ['x'.repeat(5000)] },
  },
  {
    name: 'JSON nested 10,000 levels inside a pod',
    prepare: (dir) => {
      const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
      const text = json(PRIVILEGED).replace('"spec":{', `"spec":{"deep":${deep},`);
      return { args: ['scan', write(dir, 'deep.json', text)] };
    },
    expected: { exit: [1, 2] },
  },
  {
    name: 'YAML nested 10,000 levels (flow)',
    prepare: (dir) => ({
      args: [
        'scan',
        write(
          dir,
          'deep.yaml',
          `apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`,
        ),
      ],
    }),
    expected: { exit: [1, 2] },
  },
  {
    name: 'YAML nested 10,000 levels (block)',
    prepare: (dir) => {
      const lines = Array.from({ length: 10_000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n');
      return {
        args: ['scan', write(dir, 'deep-block.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n${lines} x\n`)],
      };
    },
    expected: { exit: [0, 1, 2] },
  },
  {
    name: 'a YAML alias bomb ("billion laughs")',
    prepare: (dir) => {
      const levels = Array.from({ length: 10 }, (_, i) =>
        i === 0
          ? 'a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'
          : `a${i}: &a${i} [${Array(10)
              .fill(`*a${i - 1}`)
              .join(', ')}]`,
      );
      const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n${levels.map((l) => `  ${l}`).join('\n')}\n`;
      return { args: ['scan', write(dir, 'bomb.yaml', text)] };
    },
    expected: { exit: [2], stderr: /bomb\.yaml:\d+:\d+: its aliases expand too far/ },
  },
  {
    name: 'a YAML file over the 8 MB YAML cap',
    prepare: (dir) => ({
      args: ['scan', write(dir, 'big.yaml', `# ${'x'.repeat(9 * 2 ** 20)}\napiVersion: v1\nkind: List\n`)],
    }),
    expected: {
      exit: [2],
      stderr: /big\.yaml: larger than 8 MB: refused \(YAML reads about a hundred times slower than JSON/,
    },
  },
  {
    name: '2,000 small YAML documents',
    prepare: (dir) => {
      const docs = Array.from({ length: 2_000 }, (_, i) => stringify(pod(`p${i}`))).join('---\n');
      return { args: ['scan', write(dir, 'many.yaml', docs), '--format', 'json', '--output', join(dir, 'r.json')] };
    },
    expected: { exit: [0, 1] },
  },
  {
    name: 'NUL bytes after the first 8 KB',
    prepare: (dir) => {
      const text = `${json(PRIVILEGED).slice(0, -1)},"pad":"${'a'.repeat(10_000)}\u0000\u0000"}`;
      return { args: ['scan', write(dir, 'nul.json', text)] };
    },
    expected: { exit: [2], stderr: /^[^ ]*nul\.json:1:\d+: invalid JSON: / },
  },
  {
    name: 'invalid UTF-8 in a name',
    prepare: (dir) => {
      const [head, tail] = json(list(PRIVILEGED)).split('"web"');
      const bytes = Buffer.concat([
        Buffer.from(`${head}"we`),
        Buffer.from([0xc3, 0x28, 0xff, 0xfe]),
        Buffer.from(`b"${tail}`),
      ]);
      return { args: ['scan', write(dir, 'utf8.json', bytes)] };
    },
    expected: { exit: [1] },
  },
  {
    name: 'a UTF-16 file (as Windows PowerShell writes it)',
    prepare: (dir) => ({
      args: [
        'scan',
        write(dir, 'utf16.json', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json(PRIVILEGED), 'utf16le')])),
      ],
    }),
    expected: {
      exit: [2],
      stderr: /utf16\.json: this file is UTF-16 \(Windows PowerShell writes it so\): save it as UTF-8$/,
    },
  },
  {
    name: 'Windows line endings',
    prepare: (dir) => ({ args: ['scan', write(dir, 'crlf.yaml', stringify(PRIVILEGED).replaceAll('\n', '\r\n'))] }),
    expected: { exit: [1] },
  },
  {
    name: 'lone carriage returns as line ends',
    prepare: (dir) => ({ args: ['scan', write(dir, 'cr.yaml', stringify(PRIVILEGED).replaceAll('\n', '\r'))] }),
    expected: { exit: [0, 1, 2] },
  },
  {
    name: 'terminal escapes in resource and namespace names (text report)',
    prepare: (dir) => {
      const named = { ...PRIVILEGED, metadata: { name: `web${OSC52}`, namespace: `shop${CLEAR_SCREEN}\rforged` } };
      return { args: ['scan', write(dir, 'escapes.json', json(list(named)))] };
    },
    expected: { exit: [1], absent: [ESC, '\r', '\u0007'] },
  },
  {
    name: 'a newline and escapes in a file name (one-line error)',
    prepare: (dir) => ({ args: ['scan', write(dir, `bad\n${CLEAR_SCREEN}name.json`, '{"apiVersion": tru')] }),
    expected: { exit: [2], stderr: /bad\\u000a\\u001b\[2Jname\.json:1:\d+: invalid JSON: /, absent: [ESC] },
  },
  {
    // The cap lowered to 10,000 to keep the suite quick; the bench makes 100,000 findings at the default cap.
    name: 'a pod with 6,000 privileged containers (too many findings)',
    prepare: (dir) => {
      const containers = Array.from({ length: 6_000 }, (_, i) => ({
        name: `c${i}`,
        image: 'x',
        securityContext: { privileged: true },
      }));
      const file = write(dir, 'wide.json', json(pod('wide', { containers })));
      return { args: ['scan', file], env: { AKSGUARD_MAX_FINDINGS: '10000' } };
    },
    expected: { exit: [2], stderr: /^aksguard: the inputs give more than 10,000 findings: refused/ },
  },
  {
    name: 'a JSON syntax error next to a secret',
    prepare: (dir) => ({
      args: ['scan', write(dir, 'secret.json', '{"apiVersion": "v1", "token": sk-live-4f9a8b7c6d5e}')],
    }),
    expected: {
      exit: [2],
      stderr: /secret\.json:1:\d+: invalid JSON: unexpected character/,
      absent: ['sk-live', '4f9a8b7c6d5e'],
    },
  },
  {
    name: 'a YAML syntax error next to a secret',
    prepare: (dir) => ({
      args: [
        'scan',
        write(dir, 'secret.yaml', 'apiVersion: v1\nkind: Secret\nstringData: !s3cr3t-t0ken-value {a: 1\n'),
      ],
    }),
    expected: { exit: [2], stderr: /secret\.yaml:\d+:\d+: invalid YAML: /, absent: ['s3cr3t', 't0ken'] },
  },
  {
    name: 'a file that cannot be read (permission denied)',
    prepare: (dir) => {
      // Root reads any ordinary file; procfs refuses reading a write-only entry even to root.
      const file = process.getuid?.() === 0 ? '/proc/sys/vm/drop_caches' : write(dir, 'locked.json', '{}');
      if (file !== '/proc/sys/vm/drop_caches') chmodSync(file, 0);
      else if (!existsSync(file)) throw new Error('no unreadable file to test with on this machine');
      return { args: ['scan', file] };
    },
    expected: { exit: [2], stderr: /: permission denied$/ },
  },
  {
    name: 'a folder where --config expects a file',
    prepare: (dir) => {
      mkdirSync(join(dir, 'config.yaml'));
      return { args: ['scan', 'examples/demo', '--config', join(dir, 'config.yaml')] };
    },
    expected: { exit: [2], stderr: /config\.yaml: a folder where a file was expected$/ },
  },
  {
    name: 'a report that cannot be written',
    prepare: (dir) => ({
      args: ['scan', 'examples/demo', '--format', 'json', '--output', join(dir, 'no', 'such', 'r.json')],
    }),
    expected: { exit: [2], stderr: /r\.json: no such file or folder$/ },
  },
  {
    name: 'a JSON report of 10,000 findings, streamed',
    prepare: (dir) => {
      const items = Array.from({ length: 3_300 }, (_, i) => ({
        ...PRIVILEGED,
        metadata: { name: `p${i}`, namespace: 'shop' },
      }));
      return {
        args: ['scan', write(dir, 'many.json', json(list(...items))), '--format', 'json'],
        check: (run) => (run.stdoutBytes < 2 ** 20 ? `a report of only ${run.stdoutBytes} bytes` : undefined),
      };
    },
    expected: { exit: [1] },
  },
];

function makeFifo(path: string): string {
  execFileSync('mkfifo', [path]);
  return path;
}

/**
 * Inputs just under each cap: the most a hostile input can make aksguard do without being refused. Too slow for
 * `npm test` on a shared machine; `npm run bench` runs them with the cases above.
 */
export const AT_THE_CAPS: readonly HostileCase[] = [
  {
    name: 'just under 100,000 findings (the findings cap)',
    prepare: (dir) => {
      const items = Array.from({ length: 33_000 }, (_, i) => ({
        ...PRIVILEGED,
        metadata: { name: `p${i}`, namespace: 'shop' },
      }));
      const file = write(dir, 'many.json', json(list(...items)));
      return { args: ['scan', file, '--format', 'json', '--output', join(dir, 'r.json')] };
    },
    expected: { exit: [1, 2] },
  },
  {
    name: 'endless text on stdin, up to the default 400 MB cap',
    prepare: () => ({ args: ['scan', '-'], stdin: { endless: Buffer.from('{"apiVersion": "v1",\n'.repeat(4096)) } }),
    expected: { exit: [2], stderr: /^<stdin>: larger than 400 MB: refused/ },
  },
  {
    name: 'a 390 MB string in one file (just under the 400 MB input cap)',
    prepare: (dir) => {
      const annotated = {
        ...PRIVILEGED,
        metadata: { name: 'big', namespace: 'shop', annotations: { note: 'x'.repeat(390 * 2 ** 20) } },
      };
      return { args: ['scan', write(dir, 'big.json', json(annotated)), '--format', 'json'] };
    },
    expected: { exit: [1], absent: ['x'.repeat(5000)] },
  },
  {
    name: 'YAML just under the 8 MB YAML cap, in small documents',
    prepare: (dir) => {
      const one = `${stringify(pod('p'))}---\n`;
      const docs = Array.from({ length: Math.floor((8 * 2 ** 20 - 1024) / (one.length + 8)) }, (_, i) =>
        one.replace('name: p\n', `name: p${i}\n`),
      );
      return {
        args: ['scan', write(dir, 'many.yaml', docs.join('')), '--format', 'json', '--output', join(dir, 'r.json')],
      };
    },
    expected: { exit: [0, 1, 2] },
  },
];
