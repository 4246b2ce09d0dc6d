import { stateDiagram } from './diagram.js';

// `npm run diagram` writes this to docs/state-diagram.md.
process.stdout.write(stateDiagram());
