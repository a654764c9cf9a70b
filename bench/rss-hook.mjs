// Preloaded with `node --import`: on exit, write the process's peak resident set size (KiB) to
// $MESHDOCTOR_BENCH_RSS_FILE, so the bench can measure the peak RSS of a real CLI run.
import {writeFileSync} from 'node:fs';

const file = process.env.MESHDOCTOR_BENCH_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
