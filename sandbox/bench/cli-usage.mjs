// Preloaded (`node --import`) into the bundled CLI by `npm run bench -- --snapshot-only`: when the process
// exits, it writes its own CPU time, peak RSS and uptime to the file BENCH_USAGE_OUT names, so the bench
// measures the code users run (dist/) without a wrapper's cost. Does nothing without BENCH_USAGE_OUT.
import { writeFileSync } from 'node:fs'

const out = process.env.BENCH_USAGE_OUT
if (out) {
  process.on('exit', () => {
    const u = process.resourceUsage()
    const usage = {
      cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000,
      maxRssKiB: u.maxRSS,
      uptimeMs: process.uptime() * 1000,
    }
    writeFileSync(out, JSON.stringify(usage))
  })
}
