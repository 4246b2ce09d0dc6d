import type { DiskSnapshot, DiskSnapshotTree } from '../../domain/disk-snapshots.js';
import { el, intEl } from './elements.js';

/**
 * Orphans are never allowed, so a tree's chain always starts at the disk itself: CURRENT_BASE stays -1
 * (OpenNebula moves it only when ALLOW_ORPHANS is MIXED).
 */
const HEAD = el('ALLOW_ORPHANS', 'NO') + el('CURRENT_BASE', -1);

/** One `<SNAPSHOT>`; vm.xsd puts ACTIVE before CHILDREN, image.xsd after. */
function snapshotXml(s: DiskSnapshot, activeFirst: boolean): string {
  const active = s.active ? el('ACTIVE', 'YES') : '';
  const children = s.children.length > 0 ? el('CHILDREN', s.children.join(',')) : '';
  return (
    '<SNAPSHOT>' + (activeFirst ? active + children : children + active) +
    el('DATE', s.date) + el('ID', s.id) + el('NAME', s.name) + el('PARENT', s.parent) + intEl('SIZE', s.size) +
    '</SNAPSHOT>'
  );
}

/** One `<SNAPSHOTS>` per disk that has snapshots, as vm.xsd lists them in `<VM>`. */
export function diskSnapshotsXml(trees: readonly DiskSnapshotTree[]): string {
  let out = '';
  for (const t of trees) {
    out += `<SNAPSHOTS>${HEAD}${el('DISK_ID', t.diskId)}${el('NEXT_SNAPSHOT', t.nextSnapshot)}`;
    for (const s of t.snapshots) out += snapshotXml(s, true);
    out += '</SNAPSHOTS>';
  }
  return out;
}

/** The `<SNAPSHOTS>` of image.xsd (no DISK_ID); an image without snapshots gets the empty tree. */
export function imageSnapshotsXml(tree: DiskSnapshotTree | undefined): string {
  let out = `<SNAPSHOTS>${HEAD}${el('NEXT_SNAPSHOT', tree?.nextSnapshot ?? 0)}`;
  for (const s of tree?.snapshots ?? []) out += snapshotXml(s, false);
  return `${out}</SNAPSHOTS>`;
}
