/** Writes the published JSON Schema of the project file: npx tsx scripts/make-schema.ts */
import { writeFileSync } from 'node:fs';
import { PROJECT_VERSION, projectJsonSchema } from '../src/core/project.ts';

const path = `public/schema/project.v${PROJECT_VERSION}.json`;
writeFileSync(path, JSON.stringify(projectJsonSchema(), null, 2) + '\n');
console.log(path);
