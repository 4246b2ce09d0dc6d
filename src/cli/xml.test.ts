import { describe, expect, it } from 'vitest';
import { fixture } from './testing/fake-one.js';
import { at, hasChildren, items, parseXml, rootObject, str, texts, toJson } from './xml.js';

describe('parseXml', () => {
  it('makes repeatable elements arrays even when there is one', () => {
    const doc = parseXml('<VM_POOL><VM><ID>1</ID><TEMPLATE><DISK><SIZE>1</SIZE></DISK></TEMPLATE></VM></VM_POOL>');
    expect(doc).toEqual({ VM_POOL: { VM: [{ ID: '1', TEMPLATE: { DISK: [{ SIZE: '1' }] } }] } });
  });

  it('keeps values as strings and decodes entities and CDATA', () => {
    const vm = rootObject(parseXml('<VM><ID>007</ID><NAME><![CDATA[a&b]]></NAME><X>&lt;&quot;&#65;&gt;</X><E/></VM>'), 'VM');
    expect(vm).toEqual({ ID: '007', NAME: 'a&b', X: '<"A>', E: '' });
  });

  it('gives an empty pool as an object with no elements', () => {
    expect(parseXml('<VM_POOL></VM_POOL>')).toEqual({ VM_POOL: {} });
    expect(items(parseXml('<VM_POOL/>').VM_POOL, 'VM')).toEqual([]);
  });

  it('rejects an answer that is not a document', () => {
    expect(() => rootObject(parseXml('<HOST><ID>1</ID></HOST>'), 'VM')).toThrow(/Expected a <VM> document/);
  });
});

describe('path helpers', () => {
  const vm = rootObject(parseXml(fixture('vm.xml')), 'VM');

  it('reads texts, lists and nested values', () => {
    expect(str(vm, 'TEMPLATE/CPU')).toBe('1');
    expect(str(vm, 'TEMPLATE/DISK/TARGET')).toBe('vda');
    expect(items(vm, 'TEMPLATE/DISK').map((d) => str(d, 'DISK_ID'))).toEqual(['0', '2']);
    expect(items(vm, 'HISTORY_RECORDS/HISTORY')).toHaveLength(2);
    expect(texts(vm, 'SCHED_ACTIONS/ID')).toEqual(['0']);
    expect(str(vm, 'NO/SUCH')).toBeUndefined();
    expect(str(vm, 'TEMPLATE')).toBeUndefined();
    expect(at(vm, 'TEMPLATE/CONTEXT')).toEqual({ DISK_ID: '1', NETWORK: 'YES', TARGET: 'hda' });
  });

  it('tells elements with children from empty ones', () => {
    expect(hasChildren(vm, 'USER_TEMPLATE')).toBe(true);
    expect(hasChildren(vm, 'BACKUPS/BACKUP_CONFIG')).toBe(false);
    expect(hasChildren(vm, 'NOPE')).toBe(false);
  });
});

describe('toJson', () => {
  it('prints {"VM": {...}} with string values, as OpenNebula -j does', () => {
    const json = JSON.parse(toJson(parseXml(fixture('vm.xml'))));
    expect(Object.keys(json)).toEqual(['VM']);
    expect(json.VM.ID).toBe('0');
    expect(json.VM.TEMPLATE.NIC).toHaveLength(1);
    expect(json.VM.HISTORY_RECORDS.HISTORY[1].HOSTNAME).toBe('testbed');
  });
});
