// Lints source text given on stdin as if it lived at the given paths, with the repository's
// ESLint config. Runs in its own Node process because ESLint loads its config with a dynamic
// import, which Jest's module sandbox does not allow.
import { ESLint } from 'eslint';
import * as path from 'node:path';

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
const probes = JSON.parse(await new Response(process.stdin).text());

const eslint = new ESLint({
  cwd: REPO_ROOT,
  overrideConfig: {
    // The probe files do not exist on disk, so lint them without type information.
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'off',
      '@typescript-eslint/no-misused-promises': 'off',
    },
  },
});

const results = [];
for (const { file, code } of probes) {
  const [result] = await eslint.lintText(code, { filePath: path.join(REPO_ROOT, file) });
  results.push(
    (result?.messages ?? [])
      .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports')
      .map((m) => m.message),
  );
}
process.stdout.write(JSON.stringify(results));
