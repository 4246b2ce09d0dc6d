import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cpuPercent, parseProbeOutput } from './probe-output.js';

const SAMPLE = `HYPERVISOR=qemu
ARCH=x86_64
HOSTNAME=h1
MODELNAME=AMD EPYC 7B13
CPUSPEED=2450
TOTALCPU=200
USEDCPU=37
TOTALMEMORY=24000000
USEDMEMORY=4000000
FREEMEMORY=20000000
NETRX=100
NETTX=200
DS_TOTAL_MB=1000
DS_USED_MB=400
DS_FREE_MB=600
CLK_TCK=100
NOW=1700000000
VM=one-7 PID=4242 TICKS=1234 RSS=210000 NETRX=5 NETTX=6
`;

describe('parseProbeOutput', () => {
  it('reads the host figures, its attributes and each QEMU process', () => {
    const p = parseProbeOutput(SAMPLE);
    expect(p.attributes).toEqual({ HYPERVISOR: 'qemu', ARCH: 'x86_64', HOSTNAME: 'h1', MODELNAME: 'AMD EPYC 7B13', CPUSPEED: '2450' });
    expect(p).toMatchObject({ totalCpu: 200, usedCpu: 37, totalMem: 24000000, freeMem: 20000000, dsFreeMb: 600, clockTicks: 100, now: 1700000000 });
    expect(p.processes).toEqual([{ deployId: 'one-7', pid: 4242, ticks: 1234, rss: 210000, netrx: 5, nettx: 6 }]);
  });

  it('quotes the line when a figure is missing or not a number', () => {
    expect(() => parseProbeOutput(SAMPLE.replace('TOTALCPU=200\n', ''))).toThrow(/no number for TOTALCPU/);
    expect(() => parseProbeOutput(SAMPLE.replace('PID=4242', 'PID=x'))).toThrow(/no number for PID in "VM=one-7 PID=x/);
  });

  it('reads what the real probe script prints on this machine', () => {
    const script = new URL('../../../remotes/qemu/probe.sh', import.meta.url);
    const out = execFileSync('sh', [script.pathname, '/tmp'], { encoding: 'utf8' });
    const p = parseProbeOutput(out);
    expect(p.totalCpu).toBeGreaterThanOrEqual(100);
    expect(p.totalMem).toBeGreaterThan(0);
    expect(p.attributes.HYPERVISOR).toBe('qemu');
  });
});

describe('cpuPercent', () => {
  it('is the share of one core between two probes, 0 when the process restarted', () => {
    expect(cpuPercent({ ticks: 100, at: 10 }, { ticks: 150, at: 11 }, 100)).toBe(50);
    expect(cpuPercent({ ticks: 100, at: 10 }, { ticks: 400, at: 11 }, 100)).toBe(300);
    expect(cpuPercent({ ticks: 500, at: 10 }, { ticks: 10, at: 11 }, 100)).toBe(0);
  });
});
