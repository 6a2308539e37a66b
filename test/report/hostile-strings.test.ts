import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/finding.js';
import type { ScanResult } from '../../src/model/result.js';
import { renderReport } from '../../src/report/index.js';
import { json } from '../../src/report/json.js';
import { code, md } from '../../src/report/markdown-text.js';
import type { FormatOptions } from '../../src/report/options.js';
import { forReaders, MAX_SHOWN_CHARS } from '../../src/report/readable.js';
import { hideUrlCredentials, terminalLine, terminalText } from '../../src/report/terminal.js';
import { RULES } from '../../src/rules/index.js';

/** Terminal escapes of every kind the issue lists: OSC 52 clipboard write, screen clear, hyperlink, CR, bidi. */
const OSC52 = '\u001b]52;c;ZXZpbA==\u0007';
const CLEAR = '\u001b[2J';
const LINK = '\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007';
const HOSTILE = `x${OSC52}${CLEAR}${LINK}\rFORGED\n### forged heading\u202egnp.exe\u009b31m|[a](https://evil.example)![i](https://evil.example/i.png)<img src=x>`;
const PASSWORD = 'hunter2';

// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for raw control characters is the point
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function hostileResult(): ScanResult {
  const finding: Finding = {
    ruleId: 'workload/privileged-container',
    severity: 'critical',
    title: 'Container runs privileged',
    message: `container ${HOSTILE} pulls from https://admin:${PASSWORD}@registry.example/x`,
    target: `t${HOSTILE}`,
    resource: { kind: 'Pod', name: HOSTILE, namespace: `ns${HOSTILE}` },
    path: 'spec.containers[0]',
    location: { file: `dir/${HOSTILE}.yaml`, line: 3, column: 5 },
    remediation: `kubectl delete pod ${HOSTILE}\naz aks update -n \`touch /tmp/pwned\` $(curl evil)`,
    unknown: false,
    suppressed: null,
  };
  const failure: Finding = {
    ...finding,
    ruleId: 'rbac/cluster-admin-binding',
    severity: 'info',
    target: '*',
    message: `the rule failed (${HOSTILE})`,
    unknown: true,
    remediation: '',
    location: null,
  };
  return {
    schemaVersion: 1,
    tool: { name: 'aksguard', version: 't' },
    asOf: '2026-11-28T00:00:00.000Z',
    targets: [{ id: `t${HOSTILE}`, kind: 'aks-cluster', name: HOSTILE, source: `src${HOSTILE}` }],
    findings: [finding, failure],
    summary: {
      critical: 1,
      high: 0,
      medium: 0,
      low: 0,
      info: 1,
      suppressed: 0,
      unknown: 1,
      undecided: 1,
      errors: 1,
      rulesRun: 2,
    },
    skipped: [{ file: `s${HOSTILE}`, reason: `r${HOSTILE}` }],
  };
}

const OPTIONS: FormatOptions = {
  color: true,
  quiet: false,
  failOn: 'high',
  failed: true,
  rules: RULES.slice(0, 3).map((r) => r.meta),
};
const render = (format: Parameters<typeof renderReport>[0]) =>
  [...renderReport(format, hostileResult(), OPTIONS)].join('');

describe('terminal text', () => {
  it('shows every control character as its escape, never raw', () => {
    expect(terminalLine(`a${OSC52}b\rc\nd\te\u202ef\u0085`)).toBe(
      'a\\u001b]52;c;ZXZpbA==\\u0007b\\u000dc\\u000ad\\u0009e\\u202ef\\u0085',
    );
    expect(terminalText('line one\n\tline two\u001b[2J\r')).toBe('line one\n\tline two\\u001b[2J\\u000d');
  });

  it('hides the password of a URL', () => {
    expect(hideUrlCredentials('see https://user:pa$$@host:8443/x and ftp://u@h')).toBe(
      'see https://(sensitive)@host:8443/x and ftp://(sensitive)@h',
    );
    expect(hideUrlCredentials('https://host/a@b')).toBe('https://host/a@b');
  });
});

describe('every report with hostile strings', () => {
  it('text: only our own colours reach the terminal; names cannot forge lines', () => {
    const text = render('text');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing our own colour codes is the point
    const ours = text.replace(/\u001b\[[0-9;]*m/g, '');
    expect(ours).not.toMatch(RAW_CONTROL);
    expect(text).toContain('\\u001b]52;c;ZXZpbA==\\u0007');
    expect(text.split('\n').some((line) => line.startsWith('FORGED') || line.startsWith('### forged'))).toBe(false);
    expect(text).toContain('INCOMPLETE (1 rule failed)');
    expect(text).not.toContain(PASSWORD);
  });

  it('markdown: no markup from the inputs renders, in text or in the fix', () => {
    const out = render('markdown');
    expect(out).not.toMatch(RAW_CONTROL);
    expect(out).not.toContain('\r');
    expect(out).not.toMatch(/^#+ forged/m);
    expect(out).not.toContain('<img');
    expect(out).not.toContain(PASSWORD);
    // Inside <code> (the fix), every markup character is an entity: no link, image, emphasis or HTML.
    for (const [, inner] of out.matchAll(/<code>(.*?)<\/code>/gs))
      expect((inner ?? '').replaceAll('<br>', '')).not.toMatch(/[<>`[\]*_|]/);
    expect(out).toContain(':x: **INCOMPLETE**: 1 rule(s) failed');
  });

  it('markdown text and code escape backticks, pipes, brackets and every line break', () => {
    expect(code('a `b` | c')).toBe('<code>a &#96;b&#96; &#124; c</code>');
    expect(code('[a](https://e.x)')).toBe('<code>&#91;a&#93;(https://e.x)</code>');
    expect(md('a\rb\r\nc\nd')).toBe('a<br>b<br>c<br>d');
    expect(md('@team\u0007')).toBe('@\u200bteam&#92;u0007');
  });

  it('html: one script of JSON data, no markup from the inputs', () => {
    const out = render('html');
    expect(out.match(/<script/g)).toHaveLength(2);
    expect(out).not.toContain('<img');
    expect(out).not.toContain(PASSWORD);
    const data = /<script type="application\/json" id="aksguard-data">(.*)<\/script>/.exec(out)?.[1] ?? '';
    expect(JSON.parse(data).findings[0].resource.name).toContain('<img src=x>');
    expect(out).toContain('INCOMPLETE: 1 rule(s) failed');
  });

  it('sarif, json and junit stay valid data; SARIF messages cannot form links', () => {
    const sarif = JSON.parse(render('sarif'));
    const message = sarif.runs[0].results[0].message.text as string;
    expect(message).toContain('\\[a\\](https://evil.example)');
    expect(sarif.runs[0].invocations[0].executionSuccessful).toBe(false);
    const report = JSON.parse(render('json')) as ScanResult;
    expect(report.findings[0]?.resource.name).toBe(HOSTILE);
    expect(JSON.stringify(report)).not.toContain(PASSWORD);
    const xml = render('junit');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 forbids these characters
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    expect(xml).not.toContain('<img');
  });
});

describe('what reports take from the inputs', () => {
  it('cuts very long strings and hides URL credentials, in a copy', () => {
    const result = hostileResult();
    const long = {
      ...result,
      targets: [{ ...(result.targets[0] as ScanResult['targets'][number]), name: 'n'.repeat(1e6) }],
    };
    const shown = forReaders(long);
    expect(shown.targets[0]?.name).toBe(`${'n'.repeat(MAX_SHOWN_CHARS)}… (${1e6 - MAX_SHOWN_CHARS} more characters)`);
    expect(shown.findings[0]?.message).toContain('https://(sensitive)@registry.example/x');
    expect(long.findings[0]?.message).toContain(PASSWORD);
  });

  it('the streamed JSON report is exactly JSON.stringify, pretty-printed', () => {
    const result = hostileResult();
    expect(json(result)).toBe(`${JSON.stringify(result, null, 2)}\n`);
    const empty = { ...result, findings: [], skipped: [], targets: [] };
    expect(json(empty)).toBe(`${JSON.stringify(empty, null, 2)}\n`);
    const withBaseline = { ...result, baseline: { file: 'b.json', resolved: [] } };
    expect(json(withBaseline)).toBe(`${JSON.stringify(withBaseline, null, 2)}\n`);
  });
});
