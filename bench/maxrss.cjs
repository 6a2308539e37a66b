// Preloaded into a benchmarked process (`node --require`): writes its peak RSS in bytes to $BENCH_MAXRSS_FILE on exit.
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  writeFileSync(process.env.BENCH_MAXRSS_FILE, String(process.resourceUsage().maxRSS * 1024));
});
