/**
 * Issue 17's acceptance: every shell step of the runbooks meshdoctor fills for each finding of the
 * istio-shop demo runs cleanly against `demo --serve` with the real kubectl (and our own CLI for
 * `meshdoctor` steps), and returns the objects the step is about — the pods the finding's selector
 * finds, the object it names, its logs, the caller's Envoy view of the failing upstream. Changes
 * (```sh write) are run as kubectl's client-side dry run (a read: kubectl only GETs), or, where kubectl
 * has none (`rollout restart`), the object they change is read. Commands of other tools (```sh
 * external: istioctl, linkerd) cannot run here; they are listed and must be those tools. A command
 * with a placeholder that could not be filled is never run (it is commented out when printed).
 */
import {spawn, type ChildProcess, execFile} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {BIN, ROOT, runCli} from '../helpers/cli.js';
import {errorsOf} from '../helpers/schemas.js';

const run = promisify(execFile);

type Command = {text: string; kind: 'read' | 'write' | 'external'; gaps: {placeholder: string; reason: string}[]};
type Filled = {checkId: string; values: Record<string, string>; context: {selector: string | null; pods: string[]} | null; steps: {id: string; commands: Command[]}[]};
type Finding = {checkId: string; namespace: string; name: string};

let child: ChildProcess;
let kubeconfig = '';
let tmp = '';
let home = '';
const findings: Finding[] = [];

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'md-rb-cmds-'));
  home = mkdtempSync(join(tmpdir(), 'md-rb-home-'));
  child = spawn(process.execPath, [BIN, 'demo', 'istio-shop', '--serve'], {cwd: ROOT, env: {...process.env, NO_COLOR: '1', TMPDIR: tmp}, stdio: ['ignore', 'pipe', 'pipe']});
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo not ready: ${out}`)), 60_000);
    child.stdout!.on('data', (d) => {
      out += d;
      if (/^api-server: /m.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  kubeconfig = /^kubeconfig: (.+)$/m.exec(out)![1];
  const r = await runCli(['check', '--kubeconfig', kubeconfig, '--metrics-source', 'proxies', '-o', 'json'], {timeoutMs: 90_000});
  const report = JSON.parse(r.stdout) as {checks: {id: string; findings: {subject: {namespace?: string; name: string} | null}[]}[]};
  for (const c of report.checks) for (const f of c.findings) if (f.subject?.namespace) findings.push({checkId: c.id, namespace: f.subject.namespace, name: f.subject.name});
}, 150_000);

afterAll(async () => {
  child?.kill('SIGTERM');
  rmSync(tmp, {recursive: true, force: true});
  rmSync(home, {recursive: true, force: true});
});

/** Shell words of a simple command (single and double quotes; no expansions). */
function words(command: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | undefined;
  let has = false;
  for (const ch of command) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else cur += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      has = true;
    } else if (/\s/.test(ch)) {
      if (has || cur) out.push(cur);
      cur = '';
      has = false;
    } else cur += ch;
  }
  if (has || cur) out.push(cur);
  return out;
}

/** kubectl's words without its global flags: verb first. */
function kubectlArgs(command: string): string[] {
  const w = words(command.split(' | ')[0]).slice(1);
  const out: string[] = [];
  for (let i = 0; i < w.length; i++) {
    if (['--context', '-n', '--namespace'].includes(w[i])) i++;
    else out.push(w[i]);
  }
  return out;
}

async function sh(command: string): Promise<{code: number; stdout: string; stderr: string}> {
  const cmd = command.startsWith('meshdoctor ') ? `"${process.execPath}" "${BIN}" ${command.slice('meshdoctor '.length)}` : command;
  try {
    const r = await run('bash', ['-o', 'pipefail', '-c', cmd], {env: {...process.env, KUBECONFIG: kubeconfig, HOME: home, NO_COLOR: '1'}, cwd: tmp, timeout: 90_000, maxBuffer: 64 * 1024 * 1024});
    return {code: 0, stdout: r.stdout, stderr: r.stderr};
  } catch (error) {
    const e = error as {code?: number; stdout?: string; stderr?: string};
    return {code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? String(error)};
  }
}

/** What the output of a read must show for the step to be about the finding's objects. */
function expectAbout(command: string, stdout: string, filled: Filled): void {
  const why = `${command}\n--- output ---\n${stdout.slice(0, 2000)}`;
  if (/>\s*\S+$/.test(command)) return; // writes a file for the next command
  if (command.startsWith('meshdoctor ')) {
    expect(stdout.trim().length, why).toBeGreaterThan(0);
    if (/ proxy-config /.test(command) && filled.values.host) expect(stdout, why).toContain(filled.values.host);
    if (/ describe pod /.test(command)) expect(stdout, why).toContain(filled.values.pod ?? filled.values.name);
    return;
  }
  const args = kubectlArgs(command);
  const [verb, type, name] = args;
  const jsonpath = args.some((a, i) => a.startsWith('jsonpath') || a.startsWith('-o=jsonpath') || (a === '-o' && args[i + 1]?.startsWith('jsonpath')));
  const named = verb === 'get' && ((name !== undefined && !name.startsWith('-')) || type?.includes('/'));
  if (verb === 'get' && !named && !args.includes('-l')) return; // a list: "are there any?" — empty is an answer
  expect(stdout.trim().length, why).toBeGreaterThan(0);
  if (verb === 'get' && args.includes('-l') && !jsonpath && filled.context?.pods.length) {
    expect(filled.context.pods.some((p) => stdout.includes(p)), why).toBe(true);
  } else if (named && !jsonpath) {
    expect(stdout, why).toContain(type.includes('/') ? type.split('/')[1] : name);
  } else if (verb === 'describe') {
    expect(stdout, why).toMatch(new RegExp(`Name:\\s+${name}`));
  } else if (verb === 'rollout' && type === 'history') {
    expect(stdout, why).toContain('REVISION');
  } else if (verb === 'patch') {
    expect(stdout, why).toContain(`name: ${type.split('/')[1]}`);
    expect(stdout, why).toMatch(/weight: 0\b/);
  }
}

describe('the runbooks of every istio-shop finding run against demo --serve', () => {
  test('the demo has its findings', () => {
    expect(findings.map((f) => f.checkId)).toEqual(expect.arrayContaining(['MD6001', 'MD6002', 'MD6007', 'MD5103', 'MD3002', 'MD4002', 'MD4102', 'MD2102']));
  });

  test('every filled shell step exits 0 and returns what it is about', async () => {
    const ran: string[] = [];
    const external: string[] = [];
    for (const f of findings) {
      const r = await runCli(['runbook', f.checkId, '--for', `${f.namespace}/${f.name}`, '--kubeconfig', kubeconfig, '--metrics-source', 'proxies', '-o', 'json'], {timeoutMs: 90_000});
      expect(r.code, r.stderr).toBe(0);
      const filled = JSON.parse(r.stdout) as Filled;
      expect(errorsOf('runbook-report', filled), `${f.checkId} ${f.namespace}/${f.name}`).toEqual([]);
      for (const step of filled.steps) {
        for (const c of step.commands) {
          if (c.gaps.length) continue;
          if (c.kind === 'external') {
            expect(c.text, `${f.checkId} ${step.id}: an external command must be another tool's`).toMatch(/^(istioctl|linkerd|osm|consul) /);
            external.push(c.text);
            continue;
          }
          expect(c.text, `${f.checkId} ${step.id}`).toMatch(/^(kubectl|meshdoctor) /);
          let command = c.text;
          if (c.kind === 'write') {
            const args = kubectlArgs(c.text);
            if (args[0] === 'rollout' && args[1] === 'restart') command = c.text.replace(/ rollout restart /, ' get ');
            else command = `${c.text} --dry-run=client${args[0] === 'patch' ? ' -o yaml' : ''}`;
          }
          const res = await sh(command);
          expect(res.code, `${f.checkId} ${step.id}: ${command}\n${res.stderr}`).toBe(0);
          expectAbout(command, res.stdout, filled);
          ran.push(`${f.checkId} ${step.id} ${c.kind}`);
        }
      }
    }
    // The canary's three findings lead through the caller's Envoy, its logs and the weight patch.
    expect(ran).toEqual(expect.arrayContaining(['MD6007 diagnosis-1 read', 'MD6007 diagnosis-2 read', 'MD6007 mitigation-1 write', 'MD6001 mitigation-1 write']));
    expect(ran.length).toBeGreaterThan(30);
    expect(external.every((e) => e.startsWith('istioctl '))).toBe(true);
  }, 600_000);

  test('the failing requests are in the caller\'s proxy log, with the flags the metrics count', async () => {
    const caller = (await sh(`kubectl -n shop get pods -l app=frontend -o jsonpath='{.items[0].metadata.name}'`)).stdout.trim();
    const log = await sh(`kubectl -n shop logs ${caller} -c istio-proxy --tail=600`);
    const lines = log.stdout.trim().split('\n').filter((l) => l.includes('outbound|80||checkout-canary.shop.svc.cluster.local'));
    const failing = lines.filter((l) => / 503 UF,URX /.test(l));
    expect(lines.length).toBeGreaterThan(50);
    // The canary fails 12 % now, ramping to 25 %: the sampled lines show about that share.
    expect(failing.length / lines.length).toBeGreaterThan(0.04);
    expect(failing.length / lines.length).toBeLessThan(0.35);
    expect(failing[0]).toMatch(/"checkout" "10\.\d+\.\d+\.\d+:8080" outbound\|80\|\|checkout-canary\.shop\.svc\.cluster\.local - \S+ \S+ - canary-split$/);
  });
});
