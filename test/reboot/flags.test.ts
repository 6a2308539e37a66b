import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/model/errors.js';
import { DAEMON_FLAGS, envName, parseDaemonOptions, parseDuration } from '../../src/reboot/flags.js';

const parse = (argv: string[], env: Record<string, string> = {}) =>
  parseDaemonOptions(['--node-name', 'n1', ...argv], env);

describe('reboot-daemon flags', () => {
  it('takes defaults from the table, then AKSGUARD_<FLAG>, then the command line', () => {
    expect(parse([]).concurrency).toBe(1);
    expect(parse([], { AKSGUARD_CONCURRENCY: '3' }).concurrency).toBe(3);
    expect(parse(['--concurrency', '2'], { AKSGUARD_CONCURRENCY: '3' }).concurrency).toBe(2);
    expect(parse(['--concurrency=4']).concurrency).toBe(4);
    expect(parseDaemonOptions([], { AKSGUARD_NODE_NAME: 'from-env' }).nodeName).toBe('from-env');
  });

  it('reads durations, booleans, repeatable lists and labels', () => {
    const o = parse([
      '--lock-ttl=90s',
      '--drain-timeout',
      '1h30m',
      '--no-delete-emptydir-data',
      '--dry-run',
      '--blocking-pod-selector',
      'app=backup',
      '--blocking-pod-selector=job=etl,team=x',
      '--post-reboot-node-labels',
      'patched=true',
    ]);
    expect(o.lockTtlMs).toBe(90_000);
    expect(o.drainTimeoutMs).toBe(5_400_000);
    expect(o.deleteEmptyDirData).toBe(false);
    expect(o.dryRun).toBe(true);
    // One occurrence is one selector, as kured takes it: `job=etl,team=x` means both labels.
    expect(o.blockingPodSelectors).toEqual(['app=backup', 'job=etl,team=x']);
    expect(o.postRebootNodeLabels).toEqual({ patched: 'true' });
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('0')).toBe(0);
    expect(parseDuration('5 minutes')).toBeUndefined();
  });

  it.each([
    [['--concurrency', 'two'], /--concurrency: expected a whole number/],
    [['--lock-ttl', 'soon'], /--lock-ttl: expected a duration/],
    [['--reboot-days', 'mo,xx'], /'xx' is not a day/],
    [['--start-time', '25:00'], /--start-time: expected a time/],
    [['--time-zone', 'Mars/Olympus'], /not an IANA time zone/],
    [['--reboot-method', 'kexec'], /--reboot-method must be command or signal/],
    [['--lock-ttl', '0s'], /--lock-ttl must be more than 0/],
    [['--lock-renew-interval', '2m'], /less than half of --lock-ttl/],
    [['--lock-renew-interval', '30s'], /less than half of --lock-ttl/],
    [['--alert-filter-match-only'], /--alert-filter-match-only needs --alert-filter-regexp/],
    [['--skip-wait-for-delete-timeout', '-1'], /--skip-wait-for-delete-timeout must be 0 or more/],
    [['--bogus'], /unknown flag --bogus \(see aksguard reboot-daemon --help\)/],
    [['--period'], /--period needs a value/],
    [['--notify-url', 'not a url'], /is not a URL/],
  ])('rejects %j with one line', (argv, message) => {
    expect(() => parse(argv)).toThrow(UsageError);
    expect(() => parse(argv)).toThrow(message);
  });

  it('keeps webhook URLs whole (a comma in a query string is not a second URL), from the command line or the environment', () => {
    const url = 'https://example.com/hook?a=1,2';
    expect(parse(['--notify-url', url, '--notify-url=https://example.org/x']).notifyUrls).toEqual([
      url,
      'https://example.org/x',
    ]);
    expect(parse([], { AKSGUARD_NOTIFY_URL: url }).notifyUrls).toEqual([url]);
    expect(parse([], { AKSGUARD_BLOCKING_POD_SELECTOR: 'app=a,tier=b' }).blockingPodSelectors).toEqual([
      'app=a,tier=b',
    ]);
  });

  it('reads the kured parity flags', () => {
    const o = parse([
      '--lock-release-delay=5m',
      '--prefer-no-schedule-taint',
      'example.com/reboot',
      '--skip-wait-for-delete-timeout=60',
      '--alert-filter-regexp=^RebootRequired$',
      '--alert-filter-match-only',
      '--reboot-timeout',
      '45m',
    ]);
    expect(o.lockReleaseDelayMs).toBe(300_000);
    expect(o.preferNoScheduleTaint).toBe('example.com/reboot');
    expect(o.skipWaitForDeleteTimeoutSeconds).toBe(60);
    expect(o.alertFilterMatchOnly).toBe(true);
    expect(o.rebootTimeoutMs).toBe(2_700_000);
    expect(parse([]).rebootTimeoutMs).toBe(1_800_000);
    expect(parse([]).preferNoScheduleTaint).toBeUndefined();
  });

  it('reports a bad environment value by its variable name', () => {
    expect(() => parse([], { AKSGUARD_PERIOD: 'hourly' })).toThrow(/AKSGUARD_PERIOD: expected a duration/);
  });

  it('requires the node name', () => {
    expect(() => parseDaemonOptions([], {})).toThrow(/--node-name/);
  });

  it('has unique kebab-case names and kured names where kured has the flag', () => {
    const names = DAEMON_FLAGS.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z]+(-[a-z]+)*$/);
    expect(envName('reboot-sentinel')).toBe('AKSGUARD_REBOOT_SENTINEL');
    for (const kured of [
      'period',
      'reboot-days',
      'start-time',
      'end-time',
      'time-zone',
      'concurrency',
      'lock-ttl',
      'drain-timeout',
      'blocking-pod-selector',
      'reboot-sentinel',
      'force-reboot',
      'lock-release-delay',
      'prefer-no-schedule-taint',
      'skip-wait-for-delete-timeout',
      'alert-filter-match-only',
    ]) {
      expect(DAEMON_FLAGS.find((f) => f.name === kured)?.kured).toBe(kured);
    }
  });
});
