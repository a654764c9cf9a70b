#!/usr/bin/env node
// `npm test`: every stage runs and is reported, whatever an earlier one did — a failing suite must
// not hide the tmux stage (an `a && b && c` chain stops at the first failure). The stages that test
// the build are not run when the build failed: they would test a stale dist/. Exit 1 if any stage
// failed or did not run. `npm test -- suite tmux` runs only the named stages.
import {spawnSync} from 'node:child_process';
import {join} from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const bin = (name) => join(ROOT, 'node_modules', '.bin', name);
// The terminal tests: tui-tmux.test.ts and every *.tmux.test.ts.
const TMUX_FILES = ['test/e2e/tui-tmux.test.ts', 'test/e2e/*.tmux.test.ts'];

const STAGES = [
  {name: 'build', what: 'tsc, bundles, compiled scenarios', command: 'npm', args: ['run', '--silent', 'build']},
  {name: 'typecheck', what: 'the tests\' types', command: bin('tsc'), args: ['-p', 'tsconfig.test.json']},
  {name: 'suite', what: 'vitest: every test file but the tmux ones', command: bin('vitest'), args: ['run', ...TMUX_FILES.flatMap((f) => ['--exclude', f])], needsBuild: true},
  // On its own, after the suite, so that the terminal UI is not racing the rest of the suite for the CPU.
  {name: 'tmux', what: 'vitest: the TUI in tmux (every test file named *tmux*)', command: bin('vitest'), args: ['run', 'tmux'], needsBuild: true},
];

const wanted = process.argv.slice(2);
for (const name of wanted) {
  if (!STAGES.some((s) => s.name === name)) {
    process.stderr.write(`npm test: unknown stage "${name}" (stages: ${STAGES.map((s) => s.name).join(', ')})\n`);
    process.exit(2);
  }
}

const results = [];
let buildFailed = false;
for (const stage of STAGES) {
  if (wanted.length > 0 && !wanted.includes(stage.name)) continue;
  if (stage.needsBuild && buildFailed) {
    results.push({stage, status: 'not run', detail: 'the build failed'});
    continue;
  }
  process.stdout.write(`\n=== npm test: ${stage.name} (${stage.what})\n`);
  const started = Date.now();
  const r = spawnSync(stage.command, stage.args, {cwd: ROOT, stdio: 'inherit'});
  const seconds = Math.round((Date.now() - started) / 1000);
  const ok = r.status === 0;
  if (stage.name === 'build' && !ok) buildFailed = true;
  results.push({stage, status: ok ? 'passed' : 'FAILED', detail: `${seconds}s${ok ? '' : r.error ? `, ${r.error.message}` : `, exit ${r.status ?? r.signal}`}`});
}

process.stdout.write('\n=== npm test: stages\n');
for (const {stage, status, detail} of results) process.stdout.write(`  ${status.padEnd(8)} ${stage.name.padEnd(10)} ${detail}\n`);
process.exitCode = results.every((r) => r.status === 'passed') ? 0 : 1;
