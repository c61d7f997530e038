// `npm run demo`: the seed walkthrough end to end on the local cluster (or yours). See docs/getting-started.md.
import { runDemo } from './demo.ts';

process.exit(await runDemo(process.argv.slice(2)));
