/** A pool document (`<VM_POOL>`, `<HOST_POOL>`, ...) around bodies already rendered. */
export function poolXml(root: string, bodies: readonly string[]): string {
  return `<${root}>${bodies.join('')}</${root}>`;
}
