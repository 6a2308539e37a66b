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
    expect(o.blockingPodSelectors).toEqual(['app=backup', 'job=etl', 'team=x']);
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
    [['--lock-renew-interval', '2m'], /less than --lock-ttl/],
    [['--bogus'], /unknown flag --bogus \(see aksguard reboot-daemon --help\)/],
    [['--period'], /--period needs a value/],
    [['--notify-url', 'not a url'], /is not a URL/],
  ])('rejects %j with one line', (argv, message) => {
    expect(() => parse(argv)).toThrow(UsageError);
    expect(() => parse(argv)).toThrow(message);
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
    ]) {
      expect(DAEMON_FLAGS.find((f) => f.name === kured)?.kured).toBe(kured);
    }
  });
});
