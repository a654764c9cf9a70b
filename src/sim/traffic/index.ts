export type {EdgeSpec, FaultEffect, FaultSpec, FlagMix, LatencySpec, TrafficGraph, WorkloadSpec} from './graph.js';
export {GraphError, parseGraph, validateGraph} from './graph.js';
export type {SimClock, SimPod, SimSample, SimWorkload} from './model.js';
export {FLAG_EFFECTS, latencyCdf, ManualClock, systemClock, TrafficSim} from './model.js';
export {simObjects} from './objects.js';
export {openMetricsText, scrapeLabels, scrapedSamples, writeOpenMetrics} from './export.js';
export type {HistoryOptions} from './export.js';
export {registerSimProxies, simPodPorts, startSimExporter} from './serve.js';
