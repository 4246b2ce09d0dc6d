import { str, type XmlObject } from '../xml.js';

/** OWNER/GROUP/OTHER as `um-` masks, from an object's PERMISSIONS element. */
export function permissionLines(obj: XmlObject): [string, string][] {
  return (['OWNER', 'GROUP', 'OTHER'] as const).map((who) => {
    const bit = (b: string, ch: string): string => (str(obj, `PERMISSIONS/${who}_${b}`) === '1' ? ch : '-');
    return [who, bit('U', 'u') + bit('M', 'm') + bit('A', 'a')];
  });
}
