/**
 * MD2402 — Open Service Mesh is installed. The project was archived by the CNCF in July 2023; its
 * last release is v1.2.4 (2023-04-20): no security fixes or Kubernetes compatibility updates will
 * ship. Reported once, as information, on the osm-controller Deployment.
 */
import {defineCheck, imageTag, subjectOf} from '../../src/core/index.js';

export default defineCheck({
  id: 'MD2402',
  slug: 'osm-archived',
  title: 'the service mesh in use is maintained upstream',
  block: 'control-plane',
  severity: 'info',
  meshes: ['osm'],
  inputs: {kinds: ['deployments.apps']},
  anchor: 'none',
  evaluate(ctx) {
    const osm = ctx.mesh('osm')!;
    const controller = ctx.objects.select('deployments.apps', undefined, {app: 'osm-controller'})[0];
    const image = controller?.spec.template.spec.containers.find((c) => c.name === 'osm-controller')?.image ?? controller?.spec.template.spec.containers[0]?.image;
    return [{
      subject: controller ? subjectOf(controller) : null,
      message: `Open Service Mesh${osm.version ? ` ${osm.version}` : ''} is ${controller ? 'installed' : 'in use'}; the project was archived by the CNCF in July 2023 (last release v1.2.4): it receives no fixes — plan a migration`,
      evidence: {version: osm.version ?? null, imageTag: imageTag(image) ?? null, lastRelease: 'v1.2.4'},
    }];
  },
});
