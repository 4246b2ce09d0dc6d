import type { MixMethod } from './mix.js';

/**
 * OpenNebula 6.10's published response times in seconds at 10, 20 and 30 requests/s of the same mix, on
 * 1,250 hosts and 20,000 VMs (scalability guide of the 7.0 docs: Xeon E-2278G, 32 GB, SSD, MySQL 8.0).
 */
export const OPENNEBULA_6_10: Record<MixMethod, Record<number, number>> = {
  'one.vm.info': { 10: 0.01, 20: 0.05, 30: 0.06 },
  'one.vmpool.info': { 10: 0.78, 20: 1.1, 30: 1.27 },
  'one.host.info': { 10: 0.02, 20: 0.05, 30: 0.06 },
  'one.hostpool.info': { 10: 0.04, 20: 0.07, 30: 0.07 },
};

/** How much better than OpenNebula the benchmark must be. */
export const TARGET_FACTOR = 5;
