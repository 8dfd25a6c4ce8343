import { writeSamples } from "./samples";

// Rewrites public/samples/ from the demo data generator (run after changing dev/seed/).
const written = await writeSamples();
for (const file of written) console.log(`wrote ${file}`);
