/**
 * MD5503 — a Gateway API Gateway is not serving: its controller reports `Accepted=False` or
 * `Programmed=False` for the current generation, or has written no status at all after the status
 * grace (no controller owns its class); a listener cannot resolve its references (certificate
 * Secrets, for example) or conflicts with another; or its GatewayClass is missing or not accepted.
 * Every route attached to it is then unreachable.
 */
import type {FindingDraft} from '../../src/core/index.js';
import {defineCheck, subjectOf} from '../../src/core/index.js';
import {currentCondition} from '../../src/mesh/gateway-api/routes.js';

export default defineCheck({
  id: 'MD5503',
  slug: 'gateway-api-gateway-not-programmed',
  title: 'Gateway API Gateways are accepted and programmed by their controller',
  block: 'traffic-config',
  severity: 'error',
  meshes: 'any',
  runtime: true,
  inputs: {kinds: ['gateways.gateway.networking.k8s.io'], optionalKinds: ['gatewayclasses.gateway.networking.k8s.io']},
  anchor: 'IST0171; KIA1503, KIA1504',
  evaluate(ctx) {
    const graceMs = ctx.thresholds().grace.statusSeconds * 1000;
    const older = (timestamp: string | undefined) => {
      const t = Date.parse(timestamp ?? '');
      return Number.isNaN(t) || ctx.now.getTime() - t >= graceMs;
    };
    const findings: FindingDraft[] = [];
    for (const gw of ctx.objects.list('gateways.gateway.networking.k8s.io')) {
      const ns = gw.metadata.namespace ?? 'default';
      const gen = gw.metadata.generation;
      const problems: string[] = [];
      const describe = (type: string) => {
        const c = currentCondition(gw.status?.conditions, type, gen);
        return c ? `${c.reason ?? c.status}${c.message ? `: ${c.message}` : ''}` : '';
      };
      const accepted = currentCondition(gw.status?.conditions, 'Accepted', gen);
      const programmed = currentCondition(gw.status?.conditions, 'Programmed', gen) ?? currentCondition(gw.status?.conditions, 'Ready', gen);
      if (accepted?.status === 'False') problems.push(`not Accepted (${describe('Accepted')})`);
      if (programmed?.status === 'False') problems.push(`not Programmed (${describe(programmed.type)})`);
      else if (!programmed && older(gw.metadata.creationTimestamp)) problems.push(`no controller has reported it Programmed${accepted ? '' : ' or Accepted'}`);
      for (const l of gw.status?.listeners ?? []) {
        const resolved = currentCondition(l.conditions, 'ResolvedRefs', gen);
        if (resolved?.status === 'False') problems.push(`listener ${l.name} cannot resolve its references (${resolved.reason ?? 'no reason'}${resolved.message ? `: ${resolved.message}` : ''})`);
        const conflicted = currentCondition(l.conditions, 'Conflicted', gen);
        if (conflicted?.status === 'True') problems.push(`listener ${l.name} conflicts with another listener (${conflicted.reason ?? 'Conflicted'})`);
      }
      const className = gw.spec.gatewayClassName;
      const cls = ctx.objects.get('gatewayclasses.gateway.networking.k8s.io', undefined, className);
      if (!cls) {
        if (ctx.objects.availability('gatewayclasses.gateway.networking.k8s.io').state === 'ok') problems.push(`GatewayClass ${className} does not exist`);
      } else {
        const c = cls.status?.conditions?.find((x) => x.type === 'Accepted');
        if (c?.status !== 'True' && (c || older(cls.metadata.creationTimestamp))) problems.push(`GatewayClass ${className} is not Accepted (${c ? `${c.reason ?? c.status}` : 'no controller claims it'}; controller ${cls.spec.controllerName})`);
      }
      if (problems.length > 0) {
        findings.push({
          subject: subjectOf(gw),
          message: `Gateway ${ns}/${gw.metadata.name}: ${problems.join('; ')}; routes attached to it receive no traffic`,
          evidence: {gatewayClass: className, problems: problems.length, generation: gen ?? null},
        });
      }
    }
    return findings;
  },
});
