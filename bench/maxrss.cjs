// Preloaded into a measured process (`node --require`): on exit, writes its peak RSS (bytes) and CPU time (ms) as
// JSON to $BENCH_MAXRSS_FILE.
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  const usage = process.resourceUsage();
  const cpuMs = Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000);
  writeFileSync(process.env.BENCH_MAXRSS_FILE, JSON.stringify({ maxRss: usage.maxRSS * 1024, cpuMs }));
});
